/**
 * A space's comments as this reader sees them: the live store's (shared by
 * everyone) merged with what only this reader gets over HTTP — their own held
 * comments, whether they support a comment, and pages older than the snapshot.
 *
 * The live store is the authority on a comment's content and status; the
 * HTTP answers fill in what it lacks. A reader's own write (posting,
 * supporting) is fresh and replaces the whole comment.
 */

export function createCommentIndex() {
  /** @type {Map<number, object>} */
  const byId = new Map();

  function merge(previous, next) {
    if (previous && next.supported_by_me === null) {
      return { ...next, supported_by_me: previous.supported_by_me };
    }
    return next;
  }

  return {
    /** From the live store (snapshot or event): content and status win. */
    putLive(comment) {
      byId.set(comment.id, merge(byId.get(comment.id), comment));
    },
    /** From an HTTP page that may be older than the live state: only fills gaps. */
    putFetched(comment) {
      const known = byId.get(comment.id);
      if (!known) byId.set(comment.id, comment);
      else if (comment.supported_by_me !== null) known.supported_by_me = comment.supported_by_me;
    },
    /** The reader's own write's answer: fresh, replaces the comment. */
    putOwn(comment) {
      byId.set(comment.id, merge(byId.get(comment.id), comment));
    },
    get(id) {
      return byId.get(id);
    },
    /** The comments of one question, oldest first (ids grow in the order comments are posted). */
    forQuestion(questionId) {
      return [...byId.values()].filter((c) => c.question_id === questionId).sort((a, b) => a.id - b.id);
    },
  };
}
