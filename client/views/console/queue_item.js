/**
 * One queue item, compact: who, where, when, its status and a few lines of text.
 * Only the selected item opens its tools (reason, note, decisions, claim, screens,
 * edit, the author's actions), so a long queue stays short, on a phone too.
 */
import { h, replaceChildren, setSanitisedHtml } from '../../dom.js';
import { formatTime } from '../../i18n.js';
import { REMOVAL_REASONS, reasonSelect, reasonText } from '../../reasons.js';
import { currentUser } from '../../session.js';
import { authorLine, languageTag } from '../comment.js';
import { errorLine } from './common.js';

/** A claim that has not expired yet, else null (no event marks an expiry). */
export const liveClaim = (claim) => (claim && Date.parse(claim.expires_at) > Date.now() ? claim : null);

/** The decisions a comment's status allows, in the order a moderator reads them. */
export function decisions(item) {
  const { status, pinned_at: pinned, moderator_answer: answer } = item.comment;
  const found = [];
  if (status === 'pending') found.push('approve', 'reject');
  if (status === 'published') found.push('hide', pinned ? 'unpin' : 'pin', answer ? 'unmark_answer' : 'mark_answer');
  if (status === 'hidden' || status === 'rejected') found.push('restore'); // undo a mistake
  if (item.flags.count > 0 && status !== 'pending') found.push('dismiss_flags');
  if (status === 'hidden' && item.flags.count > 0) found.push('hide'); // confirm a hide by flags
  return found;
}

/** The decisions a participant's question allows, as `decisions` for comments (no pins or answers). */
export function questionDecisions(item) {
  const { visibility, pending_edit: edit } = item.question;
  const found = [];
  if (visibility === 'pending' || edit) found.push('approve', 'reject');
  if (visibility === 'published') found.push('hide');
  if (visibility === 'hidden' || visibility === 'rejected') found.push('restore');
  if (item.flags.count > 0 && visibility !== 'pending') found.push('dismiss_flags');
  return found;
}

/**
 * A decision's body from the reason and note a moderator chose, or null (and the
 * reason focused) when a removal has no reason yet. Shared by both queues.
 */
export function decisionBody(view, action, current) {
  const reason = view.reason.value || null;
  if ((action === 'reject' || action === 'hide') && !reason) {
    view.errors.showKey('console.reasonNeeded');
    view.reason.focus();
    return null;
  }
  const body = { action, expected_status: current };
  if (reason && action !== 'approve') body.reason = reason;
  if (view.note.value.trim()) body.note = view.note.value.trim();
  return body;
}

/**
 * @param {{comment: object, flags: object, claim: object | null}} item
 * @param {object} ctx
 * @param {(id: number) => number | null} ctx.questionNumber
 * @param {(view: object, action: string) => void} ctx.decide
 * @param {(view: object) => void} ctx.toggleClaim
 * @param {(comment: object, how: 'now' | 'next') => void} ctx.onSpotlight
 * @param {(comment: object) => void} ctx.onAuthor
 * @param {(comment: object) => void} ctx.onEdit
 * @param {(id: number) => void} ctx.select
 */
export function createQueueItemView(item, ctx) {
  const { comment } = item;
  const id = `queue-item-${comment.id}`;
  // Kept for the item's life, so a reason or note survives a live redraw.
  const reason = reasonSelect(REMOVAL_REASONS, { id: `${id}-reason`, class: 'queue-reason' });
  const note = h('input', { id: `${id}-note`, class: 'queue-note', type: 'text', maxlength: 2000 });
  const errors = errorLine();
  const head = h('header', { class: 'comment-meta' });
  const body = h('div', { class: 'comment-body queue-body' });
  const summary = h('p', { class: 'queue-summary' });
  const details = h('div', { class: 'queue-details' });
  const actions = h('div', { class: 'queue-actions' });
  const tools = h('div', { class: 'queue-tools' },
    details,
    h('div', { class: 'queue-decide' },
      h('label', { for: reason.id, t: 'console.reason' }), reason,
      h('label', { for: note.id, t: 'console.note' }), note),
    actions, errors.el);
  const article = h('article', { class: 'queue-item', id, tabindex: '-1', 'data-comment-id': comment.id,
    'aria-labelledby': `${id}-by` }, head, body, summary);
  article.addEventListener('focusin', () => ctx.select(view.item.comment.id));
  article.addEventListener('click', () => ctx.select(view.item.comment.id));
  const view = { article, reason, note, errors, item, selected: false };

  function button(action, key, onClick, extra = '') {
    return h('button', { type: 'button', class: extra, 'data-action': action, t: key, on: { click: onClick } });
  }

  function drawTools(current, claim, mine) {
    const flags = current.flags;
    replaceChildren(details,
      flags.count ? h('p', { class: 'queue-flags' },
        h('span', { t: 'console.flags', tArgs: { count: flags.count } }), ' ',
        Object.entries(flags.reasons).map(([code, n]) => [reasonText(code), ` ×${n} `]),
        flags.texts.map((text) => h('q', { class: 'flag-text' }, text))) : null,
      claim ? h('p', { class: 'queue-claim', t: mine ? 'console.claimedByMe' : 'console.claimedBy',
        tArgs: { name: claim.moderator.display_name, time: formatTime(new Date(claim.expires_at)) } }) : null);
    const c = current.comment;
    replaceChildren(actions,
      decisions(current).map((action) => button(action, `console.action.${action}`,
        () => ctx.decide(view, action), `decide decide-${action}`)),
      button('claim', mine ? 'console.release' : 'console.claim', () => ctx.toggleClaim(view),
        'secondary claim-button'),
      c.status === 'published' ? [
        button('now', 'console.showOnScreens', () => ctx.onSpotlight(c, 'now'), 'secondary put-on-screens'),
        button('next', 'console.queueForScreens', () => ctx.onSpotlight(c, 'next'), 'secondary queue-for-screens'),
      ] : null,
      c.body !== null && c.status !== 'deleted'
        ? button('edit', 'console.editComment', () => ctx.onEdit(c), 'secondary edit-comment') : null,
      c.author ? h('button', { type: 'button', class: 'link-button author-button', t: 'console.authorActions',
        tArgs: { name: c.author.display_name }, on: { click: () => ctx.onAuthor(c) } }) : null);
  }

  view.draw = () => {
    const current = view.item;
    const c = current.comment;
    const number = ctx.questionNumber(c.question_id);
    const claim = liveClaim(current.claim);
    const mine = Boolean(claim && claim.moderator.id === currentUser()?.id);
    article.dataset.status = c.status;
    replaceChildren(head,
      h('span', { id: `${id}-by`, class: 'comment-by' }, authorLine(c.author)),
      languageTag(c.lang),
      number ? h('span', { class: 'queue-question', t: 'screen.questionShort', tArgs: { number } }) : null,
      h('time', { datetime: c.created_at, 'data-i18n-date': c.created_at }),
      h('span', { class: `badge badge-${c.status}`, t: `console.status.${c.status}` }),
      c.moderator_answer ? h('span', { class: 'badge badge-answer', t: 'comment.answer' }) : null,
      c.edited_by_moderator ? h('span', { class: 'badge', t: 'console.editedByModerator' }) : null);
    setSanitisedHtml(body, c.html);
    body.lang = c.lang;
    // The closed item says in a word what its tools would show in full.
    replaceChildren(summary,
      current.flags.count ? h('span', { class: 'queue-flag-count', t: 'console.flags',
        tArgs: { count: current.flags.count } }) : null,
      claim ? h('span', { class: 'queue-claim-mark', t: mine ? 'console.claimedShortMine' : 'console.claimedShort',
        tArgs: { name: claim.moderator.display_name } }) : null);
    summary.hidden = view.selected || !summary.childNodes.length;
    article.classList.toggle('is-claimed-by-other', Boolean(claim && !mine));
    if (view.selected) {
      drawTools(current, claim, mine);
      if (tools.parentElement !== article) article.append(tools);
    } else {
      tools.remove();
    }
  };

  /** Open or close the item's tools. */
  view.setSelected = (selected) => {
    if (view.selected === selected) return;
    view.selected = selected;
    article.classList.toggle('is-selected', selected);
    if (selected) article.setAttribute('aria-current', 'true');
    else article.removeAttribute('aria-current');
    view.draw();
  };

  view.draw();
  return view;
}

