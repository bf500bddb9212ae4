/**
 * One question of a space: heading, body, closing remark, thread controls (order,
 * language filter), the thread, and the composer — or why there is none (closed,
 * scheduled with a countdown, the space locked, the reader muted, log in).
 */
import { h, replaceChildren, setSanitisedHtml, uniqueId } from '../dom.js';
import { replyDraftParents } from '../drafts.js';
import { formatDateTime, label } from '../i18n.js';
import { links } from '../router.js';
import { createComposer } from './composer.js';
import { createDeleteForm } from './delete.js';
import { createFlagForm } from './flag.js';
import { questionStanding } from './own_question.js';
import { createThread } from './thread.js';

// How long the server counts someone as writing after their typing signal.
const WRITING_WINDOW_MS = 6_000;

/** "1:02:03" (or "2 d 1:02:03"): the time left until `target`, language-neutral. */
export function countdown(target, now = Date.now()) {
  const total = Math.max(0, Math.ceil((Date.parse(target) - now) / 1000));
  const days = Math.floor(total / 86_400);
  const pad = (n) => String(n).padStart(2, '0');
  const clock = `${Math.floor((total % 86_400) / 3600)}:${pad(Math.floor((total % 3600) / 60))}:${pad(total % 60)}`;
  return days ? `${days} d ${clock}` : clock;
}

/**
 * @param {object} options
 * @param {string} options.slug
 * @param {object} options.question
 * @param {() => object} options.space the space now
 * @param {() => object | null} options.user the reader now
 * @param {object} options.index the comment index (createCommentIndex)
 * @param {object} options.live the live client (for typing signals)
 * @param {(comment: object) => void} options.onPosted the reader posted a comment
 * @param {(comment: object, key: string) => void} options.onOwnChange the reader edited or deleted a comment:
 *   the server's answer, and what to tell them
 * @param {(node: object) => void} options.onSupport the reader pressed a support button
 * @param {() => string | null} options.heldBy what keeps this reader from writing: 'locked', 'muted',
 *   'banned', or null
 * @param {(key: string) => void} options.say announce the result of the reader's action
 */
export function createQuestionView({ slug, question, space, user, index, live: connection, onPosted, onOwnChange, onSupport,
  heldBy, say }) {
  let current = question;
  // The server counts this reader among those writing for a while after their last keystroke
  // (docs/protocol.md, "typing"); they are told only about the others.
  let typedAt = -Infinity;
  let writingPeople = 0;
  const live = {
    typing(spaceSlug, questionId) {
      typedAt = Date.now();
      connection.typing(spaceSlug, questionId);
    },
  };
  const others = () => Math.max(0, writingPeople - (Date.now() - typedAt < WRITING_WINDOW_MS ? 1 : 0));
  const titleId = `question-${question.id}-title`;
  const number = h('span', { class: 'question-number' });
  const title = h('span', { class: 'question-title', dir: 'auto' });
  const heading = h('h3', { id: titleId, 'data-anchor': '', tabindex: '-1' }, number, ' ', title);
  const status = h('p', { class: 'question-meta' });
  const count = h('span', { class: 'question-count' });
  const writing = h('span', { class: 'question-writing', hidden: true });
  const body = h('div', { class: 'question-body', dir: 'auto' });
  const remark = h('div', { class: 'closing-remark', hidden: true });
  const empty = h('p', { class: 'hint thread-empty', t: 'thread.empty' });
  const composerArea = h('div', { class: 'composer-area' });
  const replyComposers = new Map();
  let composer = null;

  // A participant's question waiting for moderation, or removed, takes no comments.
  const mayPost = () => Boolean(user() && space().accepting_input && current.status === 'open'
    && current.accepting_comments !== false && !heldBy() && (current.visibility ?? 'published') === 'published');
  let countdownText = null;

  const thread = createThread({
    user,
    lookup: (id) => index.get(id),
    mayReply: mayPost,
    onReply: (node) => openReply(node),
    onSupport,
    onFlag: (node) => openFlag(node),
    mayAct: () => Boolean(user()) && !heldBy(),
    onEdit: (node) => openEdit(node),
    onDelete: (node) => openDelete(node),
  });

  const orderId = uniqueId('order');
  const langId = uniqueId('lang');
  const order = h('select', { id: orderId, on: { change: () => thread.setOrder(order.value) } },
    h('option', { value: 'oldest', t: 'thread.oldestFirst' }),
    h('option', { value: 'newest', t: 'thread.newestFirst' }));
  const language = h('select', { id: langId, on: { change: () => thread.setLanguage(language.value) } },
    h('option', { value: '', t: 'thread.allLanguages' }),
    space().languages.map((code) => h('option', { value: code, 'data-i18n-lang': code })));
  const controls = h('div', { class: 'thread-controls' },
    h('label', { for: orderId, t: 'thread.order' }), order,
    h('label', { for: langId, t: 'thread.language' }), language);

  const el = h('section', { class: 'question', id: `question-${question.id}`, 'aria-labelledby': titleId,
    'data-question-id': question.id },
  heading, status, body, remark, controls, thread.el, empty, composerArea);

  function openFlag(node) {
    if (node.slot.querySelector('.flag-form')) return;
    const back = () => node.article.querySelector('.flag-button')?.focus();
    const form = createFlagForm({
      comment: node.comment,
      onDone: (key) => {
        form.el.remove();
        say(key);
        back();
      },
      onCancel: () => {
        form.el.remove();
        back();
      },
    });
    node.slot.prepend(form.el);
    form.focus();
  }

  /** The reader's own comment, edited in place under its current text. */
  function openEdit(node) {
    const open = node.slot.querySelector('.composer-edit');
    if (open) return open.querySelector('textarea').focus();
    const back = () => node.article.querySelector('.edit-button')?.focus();
    const editor = createComposer({
      slug, question: current, parent: null, languages: space().languages, live, editing: node.comment,
      onPosted: (comment) => {
        editor.el.remove();
        onOwnChange(comment, 'comment.editSaved');
        back();
      },
      onCancel: () => {
        editor.el.remove();
        back();
      },
    });
    node.slot.prepend(editor.el);
    return editor.focus();
  }

  function openDelete(node) {
    if (node.slot.querySelector('.delete-form')) return;
    const form = createDeleteForm({
      comment: node.comment,
      onDeleted: (tombstone) => {
        form.el.remove();
        onOwnChange(tombstone, 'comment.deletedOwn');
        node.article.focus();
      },
      onCancel: () => {
        form.el.remove();
        node.article.querySelector('.delete-button')?.focus();
      },
    });
    node.slot.prepend(form.el);
    form.focus();
  }

  function openReply(node, { focus = true } = {}) {
    const parent = node.comment;
    let reply = replyComposers.get(parent.id);
    if (!reply) {
      const close = () => {
        replyComposers.delete(parent.id);
        reply.el.remove();
      };
      reply = createComposer({
        slug, question: current, parent, languages: space().languages, live,
        onPosted: (comment) => {
          close();
          onPosted(comment);
          thread.nodes.get(comment.id)?.article.focus();
        },
        onCancel: () => {
          close();
          node.article.querySelector('.reply-button')?.focus();
        },
      });
      replyComposers.set(parent.id, reply);
      node.slot.append(reply.el);
    }
    if (focus) reply.focus();
  }

  function drawComposerArea() {
    const reader = user();
    for (const reply of replyComposers.values()) reply.el.hidden = !mayPost();
    if (mayPost()) {
      if (!composer) {
        composer = createComposer({ slug, question: current, parent: null, languages: space().languages, live,
          onPosted });
      }
      replaceChildren(composerArea, composer.el);
      return;
    }
    let notice;
    countdownText = null;
    if (current.status === 'scheduled') {
      countdownText = h('span', { class: 'countdown' });
      notice = h('p', { class: 'notice question-scheduled' },
        h('span', { t: 'question.scheduled', tArgs: { time: formatDateTime(current.opens_at) } }), ' ',
        countdownText);
      tick();
    } else if (current.status !== 'open' || current.accepting_comments === false) {
      notice = h('p', { class: 'notice', t: 'question.closed' });
    } else if (!space().accepting_input) notice = h('p', { class: 'notice', t: 'question.spaceClosed' });
    else if (reader && heldBy()) notice = h('p', { class: 'notice', t: `question.held.${heldBy()}` });
    else if (!reader) {
      // Back to this question, not the top of the page, once logged in.
      const here = links.question(slug, question.id);
      notice = h('p', { class: 'notice login-prompt' },
        h('a', { href: links.login(here), t: 'question.loginToPost' }), ' ',
        h('a', { href: links.register(here), t: 'question.registerToPost' }));
    }
    replaceChildren(composerArea, notice);
  }

  function draw() {
    label(number, current.number ? 'question.number' : 'question.participant', { number: current.number ?? 0 });
    title.textContent = current.title ?? ''; // null on a removed participant's question
    setSanitisedHtml(body, current.body_html);
    remark.hidden = !current.closing_remark_html;
    setSanitisedHtml(remark, current.closing_remark_html);
    replaceChildren(status,
      current.status === 'closed' ? h('span', { class: 'badge badge-closed', t: 'question.closedBadge' }) : null,
      current.status === 'scheduled'
        ? h('span', { class: 'badge badge-pending', t: 'question.scheduledBadge' }) : null,
      current.kind === 'participant' && current.author
        ? h('span', { class: 'question-author', t: 'question.askedBy', tArgs: { name: current.author.display_name } })
        : null,
      questionStanding(current),
      count, writing);
    drawComposerArea();
  }

  /** Count down to a scheduled question's opening (the scheduler opens it; an event follows). */
  function tick() {
    drawWriting();
    if (!countdownText || !current.opens_at) return;
    label(countdownText, 'question.opensIn', { countdown: countdown(current.opens_at) });
  }

  function drawWriting() {
    const count = others();
    writing.hidden = !count;
    if (writing.dataset.i18nArgs !== JSON.stringify({ count })) label(writing, 'question.writing', { count });
  }

  draw();

  return {
    tick,
    el,
    focusHeading: () => heading.focus({ preventScroll: true }),
    get question() { return current; },
    /** The question changed (edited, moved, closed, reopened) or the space did. */
    update(next) {
      const reopenedOrClosed = next.status !== current.status;
      current = next;
      draw();
      if (reopenedOrClosed) thread.redraw();
    },
    /** The reader logged in or out, or the space changed: redraw what depends on it. */
    refresh() {
      draw();
      thread.redraw();
    },
    /** Bring the thread up to date; returns the comments that were not shown before. */
    sync(options) {
      const comments = index.forQuestion(question.id);
      const added = thread.sync(comments, options);
      const visible = comments.filter((c) => c.status === 'published').length;
      label(count, 'question.comments', { count: visible });
      empty.hidden = comments.length > 0;
      return added;
    },
    /** How many people are writing on this question now. */
    setWriting(people) {
      writingPeople = people;
      drawWriting();
    },
    /** Reopen the reply composers that have a saved draft. */
    restoreReplyDrafts() {
      if (!mayPost()) return;
      for (const parentId of replyDraftParents(slug, question.id)) {
        const node = thread.nodes.get(parentId);
        if (node && !replyComposers.has(parentId)) openReply(node, { focus: false });
      }
    },
  };
}
