/**
 * A question's threaded comments, kept in the DOM by comment id: a sync adds
 * what is new in its place, redraws what changed and leaves everything else
 * (including an open reply composer) alone.
 */
import { h } from '../dom.js';
import { createCommentNode } from './comment.js';

// Long enough to notice a new comment in passing, short enough not to linger.
const HIGHLIGHT_MS = 6_000;

/** What a comment looks like on screen; a change redraws it. */
function signature(c) {
  return [c.status, c.html, c.edited_at, c.support_count, c.supported_by_me, c.author?.display_name,
    c.author?.affiliation, c.lang, c.pinned_at, c.moderator_answer].join('\u0000');
}

/** Pinned comments lead their thread (and the screen's wall), then the moderators' marked answers, then the rest. */
export function prominence(comment) {
  if (comment.pinned_at) return 0;
  return comment.moderator_answer ? 1 : 2;
}

/**
 * @param {object} ctx passed to each comment node (see createCommentNode)
 */
export function createThread(ctx) {
  const el = h('ol', { class: 'thread' });
  /** @type {Map<number, object>} */
  const nodes = new Map();
  const signatures = new Map();
  let order = 'oldest';
  let language = '';

  function containerFor(comment) {
    const parent = comment.parent_id ? nodes.get(comment.parent_id) : null;
    return parent ? parent.replies : el;
  }

  /** Whether `a` goes before `b` among siblings of `container`. */
  function goesBefore(a, b, container) {
    const rank = prominence(a) - prominence(b);
    if (rank) return rank < 0;
    return container === el && order === 'newest' ? a.id > b.id : a.id < b.id;
  }

  /**
   * Pinned and answered comments first; then threads follow the chosen order and replies
   * read oldest first, under their parent.
   */
  function place(node, container) {
    const before = [...container.children].find((sibling) => {
      const other = nodes.get(Number(sibling.dataset.commentId));
      return other && other !== node && goesBefore(node.comment, other.comment, container);
    });
    if (before) {
      if (node.el.nextElementSibling !== before || node.el.parentElement !== container) {
        container.insertBefore(node.el, before);
      }
    } else if (node.el.parentElement !== container || container.lastElementChild !== node.el) {
      container.append(node.el);
    }
  }

  function filter(node) {
    node.article.hidden = Boolean(language) && node.comment.lang !== language;
  }

  return {
    el,
    nodes,
    /**
     * Bring the DOM in line with `comments` (oldest first).
     * @param {object[]} comments
     * @param {{highlight?: (comment: object) => boolean}} [options] which new ones to highlight
     * @returns {object[]} the comments that were not shown before
     */
    sync(comments, { highlight = () => false } = {}) {
      const added = [];
      for (const comment of comments) {
        let node = nodes.get(comment.id);
        if (!node) {
          node = createCommentNode(comment, ctx);
          nodes.set(comment.id, node);
          signatures.set(comment.id, signature(comment));
          place(node, containerFor(comment));
          added.push(comment);
          if (highlight(comment)) {
            node.article.classList.add('is-new');
            setTimeout(() => node.article.classList.remove('is-new'), HIGHLIGHT_MS);
          }
        } else {
          const container = containerFor(comment);
          if (node.el.parentElement !== container) place(node, container); // its parent arrived later
          if (signatures.get(comment.id) !== signature(comment)) {
            signatures.set(comment.id, signature(comment));
            const moved = prominence(node.comment) !== prominence(comment);
            node.update(comment);
            if (moved) place(node, container); // pinned or unpinned, marked or unmarked
          }
        }
        filter(node);
      }
      for (const node of nodes.values()) node.setReplyCount(node.replies.children.length);
      return added;
    },
    /** 'oldest' or 'newest' first, for the threads (not the replies). */
    setOrder(next) {
      order = next;
      const comment = (item) => nodes.get(Number(item.dataset.commentId)).comment;
      el.append(...[...el.children].sort((a, b) => (goesBefore(comment(a), comment(b), el) ? -1 : 1)));
    },
    /** Show only comments in this language ('' for all). */
    setLanguage(next) {
      language = next;
      for (const node of nodes.values()) filter(node);
    },
    /** Redraw every comment (the reader logged in or out, the question closed). */
    redraw() {
      for (const node of nodes.values()) node.update(node.comment);
    },
  };
}
