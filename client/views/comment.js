/**
 * One comment in a thread: its author line, its sanitised body, its status,
 * support and reply buttons, a slot for a reply composer, and its replies.
 * Updating a comment redraws its own parts only, never the reply slot (where
 * someone may be typing) or the replies.
 */
import { api } from '../api.js';
import { h, replaceChildren, setSanitisedHtml } from '../dom.js';
import { errorKey } from '../errors.js';
import { label } from '../i18n.js';
import { reasonText } from '../reasons.js';

// A comment longer than this (in characters of text) opens folded, with "Show more": about
// a screenful, so one long text does not push the rest of the thread out of reach.
const LONG_COMMENT_CHARS = 1_200;

const TOMBSTONE_TEXT = {
  deleted: 'comment.deleted',
  hidden: 'comment.hidden',
  rejected: 'comment.rejected',
};

/** "Sarah Okafor, Ministry of Water" as text nodes (user text never becomes markup). */
export function authorLine(author) {
  if (!author) return [h('span', { class: 'comment-author', t: 'comment.deletedAuthor' })];
  return [
    h('bdi', { class: 'comment-author' }, author.display_name),
    author.affiliation ? [' ', h('bdi', { class: 'comment-affiliation' }, author.affiliation)] : null,
  ];
}

/** A language tag: "FR" to the eye, the language's name to a screen reader. */
export function languageTag(code) {
  return h('span', { class: 'lang-tag' },
    h('span', { 'aria-hidden': 'true' }, code.toUpperCase()),
    h('span', { class: 'visually-hidden', 'data-i18n-lang': code }));
}

/**
 * @param {object} comment
 * @param {object} ctx
 * @param {() => object | null} ctx.user the reader (the `Me` resource) or null
 * @param {(id: number) => object | undefined} ctx.lookup another comment of the index
 * @param {() => boolean} ctx.mayReply whether replies can be written now
 * @param {(node: object) => void} ctx.onReply
 * @param {(node: object) => void} ctx.onSupport
 * @param {(node: object) => void} ctx.onFlag the reader wants to flag the comment
 * @param {() => boolean} ctx.mayAct whether the reader may support, edit or delete now (no lock, mute or ban)
 * @param {(node: object) => void} ctx.onEdit the reader wants to edit their comment
 * @param {(node: object) => void} ctx.onDelete the reader wants to delete their comment
 */
export function createCommentNode(comment, ctx) {
  const id = `comment-${comment.id}`;
  const meta = h('header', { class: 'comment-meta' });
  const body = h('div', { class: 'comment-body', id: `${id}-body` });
  const more = h('button', { type: 'button', class: 'link-button show-more', hidden: true,
    'aria-controls': `${id}-body` });
  const actions = h('div', { class: 'comment-actions' });
  const slot = h('div', { class: 'reply-slot' });
  const article = h('article', { class: 'comment', id, tabindex: '-1', 'aria-labelledby': `${id}-by`,
    'data-anchor': '' }, meta, body, more, actions, slot);
  const replies = h('ol', { class: 'replies' });
  const toggle = h('button', { type: 'button', class: 'link-button replies-toggle', hidden: true,
    'aria-expanded': 'true', 'aria-controls': `${id}-replies` });
  replies.id = `${id}-replies`;
  const el = h('li', { class: 'comment-item', 'data-comment-id': comment.id }, article, toggle, replies);

  const node = { el, article, meta, body, more, actions, replies, slot, toggle, comment, replyCount: 0,
    collapsed: false, expanded: false };

  more.addEventListener('click', () => {
    node.expanded = !node.expanded;
    drawFold(node);
  });

  toggle.addEventListener('click', () => {
    node.collapsed = !node.collapsed;
    drawToggle(node);
  });

  node.update = (next) => {
    node.comment = next;
    draw(node, ctx);
  };
  node.setReplyCount = (count) => {
    node.replyCount = count;
    drawToggle(node);
  };
  draw(node, ctx);
  return node;
}

/** Fold a long body to its first lines, or unfold it; short ones are never folded. */
function drawFold(node) {
  const long = !node.body.querySelector('.tombstone') && node.body.textContent.length > LONG_COMMENT_CHARS;
  node.more.hidden = !long;
  node.body.classList.toggle('is-folded', long && !node.expanded);
  if (!long) return;
  node.more.setAttribute('aria-expanded', String(node.expanded));
  label(node.more, node.expanded ? 'comment.showLess' : 'comment.showMore');
}

function drawToggle(node) {
  node.toggle.hidden = node.replyCount === 0;
  node.replies.hidden = node.collapsed;
  node.toggle.setAttribute('aria-expanded', String(!node.collapsed));
  label(node.toggle, node.collapsed ? 'thread.showReplies' : 'thread.hideReplies', { count: node.replyCount });
}

function draw(node, ctx) {
  const { comment } = node;
  const user = ctx.user();
  const own = Boolean(user && comment.author && comment.author.id === user.id);
  const tombstone = TOMBSTONE_TEXT[comment.status];
  node.article.classList.toggle('is-own', own);
  node.article.classList.toggle('is-tombstone', Boolean(tombstone));
  node.article.classList.toggle('is-pending', comment.status === 'pending');
  node.article.classList.toggle('is-pinned', Boolean(comment.pinned_at));
  node.article.classList.toggle('is-answer', Boolean(comment.moderator_answer));
  node.article.dataset.status = comment.status;
  node.article.dataset.lang = comment.lang;

  const parent = comment.parent_id ? ctx.lookup(comment.parent_id) : null;
  let replyTo = null;
  if (comment.parent_id) {
    replyTo = parent?.author
      ? h('span', { class: 'comment-reply-to', t: 'comment.inReplyTo', tArgs: { name: parent.author.display_name } })
      : h('span', { class: 'comment-reply-to', t: 'comment.inReplyToUnknown' });
  }
  replaceChildren(node.meta,
    h('span', { id: `${node.article.id}-by`, class: 'comment-by' }, authorLine(comment.author)),
    languageTag(comment.lang),
    h('time', { datetime: comment.created_at, 'data-i18n-date': comment.created_at }),
    comment.edited_at ? editedMarker(comment, own) : null,
    replyTo,
    comment.status === 'pending' ? h('span', { class: 'badge badge-pending', t: 'comment.pending' }) : null,
    comment.pinned_at ? h('span', { class: 'badge badge-pinned', t: 'comment.pinned' }) : null,
    comment.moderator_answer ? h('span', { class: 'badge badge-answer', t: 'comment.answer' }) : null);

  const { body } = node;
  if (tombstone) {
    body.removeAttribute('lang');
    body.removeAttribute('dir');
    replaceChildren(body, comment.removal ? removalLine(comment) : h('p', { class: 'tombstone', t: tombstone }));
  } else {
    body.setAttribute('lang', comment.lang);
    // Arabic, Hebrew or Persian text reads right to left whatever the page's direction.
    body.setAttribute('dir', 'auto');
    setSanitisedHtml(body, comment.html);
  }
  drawFold(node);

  // Redrawing replaces the buttons: give focus back to the one that had it.
  const focused = node.actions.contains(document.activeElement) ? document.activeElement.classList[0] : null;
  replaceChildren(node.actions, supportControls(node, ctx, own), replyButton(node, ctx), flagButton(node, ctx, own),
    ownButtons(node, ctx, own));
  if (focused) node.actions.querySelector(`.${focused}`)?.focus();
}

/** "Removed by a moderator: Off topic, 27 Nov 2026, 18:37" — each part relabelled on a language switch. */
function removalLine(comment) {
  const { by, reason, at } = comment.removal;
  let key = by === 'flags' ? 'comment.removedByFlags' : 'comment.removedByModerator';
  if (by !== 'flags' && comment.status === 'rejected') key = 'comment.rejectedByModerator';
  return h('p', { class: 'tombstone' }, h('span', { t: key }), ': ', reasonText(reason), ', ',
    h('time', { datetime: at, 'data-i18n-date': at }));
}

/** "edited"; for the author, a disclosure that fetches and lists the earlier versions. */
function editedMarker(comment, own) {
  if (!own) return h('span', { class: 'comment-edited', t: 'comment.edited' });
  const list = h('ol', { class: 'revision-list' });
  const history = h('details', { class: 'comment-history' },
    h('summary', { class: 'comment-edited', t: 'comment.editedHistory' }), list);
  history.addEventListener('toggle', async () => {
    if (!history.open) return;
    replaceChildren(list, h('li', { class: 'hint', t: 'common.loading' }));
    try {
      const { items } = await api.get(`/comments/${comment.id}/revisions`);
      replaceChildren(list, items.map((revision) => h('li', { class: 'revision' },
        h('p', { class: 'revision-meta' }, h('span', { t: 'comment.revisionWritten' }), ' ',
          h('time', { datetime: revision.written_at, 'data-i18n-date': revision.written_at })),
        // The author's own earlier Markdown, shown as text: it is history, not a post.
        h('p', { class: 'revision-body', lang: revision.lang, dir: 'auto' }, revision.body))));
    } catch (failure) {
      replaceChildren(list, h('li', { class: 'form-error', t: errorKey(failure) }));
    }
  });
  return history;
}

/** Edit and delete, on the reader's own comment while it is theirs to change. */
function ownButtons(node, ctx, own) {
  const changeable = ['published', 'pending'].includes(node.comment.status);
  if (!own || !changeable || !ctx.onEdit || !ctx.mayAct()) return null;
  const by = `${node.article.id}-by`;
  return [
    h('button', { type: 'button', class: 'link-button edit-button', t: 'comment.edit', 'aria-describedby': by,
      on: { click: () => ctx.onEdit(node) } }),
    h('button', { type: 'button', class: 'link-button delete-button', t: 'comment.delete',
      'aria-describedby': by, on: { click: () => ctx.onDelete(node) } }),
  ];
}

function flagButton(node, ctx, own) {
  if (node.comment.status !== 'published' || !ctx.user() || own || !ctx.onFlag) return null;
  return h('button', { type: 'button', class: 'link-button flag-button', t: 'comment.flag',
    'aria-describedby': `${node.article.id}-by`, on: { click: () => ctx.onFlag(node) } });
}

function supportControls(node, ctx, own) {
  const { comment } = node;
  if (comment.status !== 'published') return null;
  const count = comment.support_count;
  const counter = h('span', { class: 'support-count', t: 'comment.supporters', tArgs: { count } });
  // While the space is paused or the reader muted, a support button would only be refused.
  if (!ctx.user() || own || (ctx.mayAct && !ctx.mayAct())) return count ? counter : null;
  const pressed = Boolean(comment.supported_by_me);
  const button = h('button', {
    type: 'button', class: 'support-button secondary', 'aria-pressed': String(pressed),
    t: pressed ? 'comment.supported' : 'comment.support',
    on: { click: () => ctx.onSupport(node) },
  });
  return [button, count ? counter : null];
}

function replyButton(node, ctx) {
  if (node.comment.status !== 'published' || !ctx.mayReply()) return null;
  return h('button', { type: 'button', class: 'link-button reply-button', t: 'comment.reply',
    'aria-describedby': `${node.article.id}-by`, on: { click: () => ctx.onReply(node) } });
}
