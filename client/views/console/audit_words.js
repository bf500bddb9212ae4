/**
 * Audit entries in words, in the reader's language: "Amina hid Bea's comment “The
 * weir…”: Spam", not "comment.hide comment #13". One sentence per action code
 * (`console.audit.<action>`), with the actor and the target filled in.
 */
import { h } from '../../dom.js';
import { t } from '../../i18n.js';
import { CONTROL_REASONS, REMOVAL_REASONS, RESTRICTION_REASONS } from '../../reasons.js';

/** Every action a space's audit log records, by what it acts on (the filter's choices). */
export const AUDIT_ACTIONS = [
  ['comment', ['approve', 'reject', 'hide', 'restore', 'pin', 'unpin', 'mark_answer', 'unmark_answer',
    'dismiss_flags', 'edit', 'claim', 'release']],
  ['user', ['participant.hold', 'participant.unhold', 'participant.invite', 'participant.uninvite',
    'participant.mute', 'participant.ban', 'participant.unmute', 'participant.unban']],
  ['question', ['post', 'edit', 'move', 'schedule', 'open', 'close', 'reopen', 'slow_mode']],
  ['item', ['spotlight.set', 'spotlight.clear', 'spotlight.enqueue', 'spotlight.remove', 'spotlight.reorder',
    'spotlight.advance']],
  ['space', ['lock', 'unlock', 'slow_mode', 'set_moderation']],
  ['announcement', ['post', 'dismiss']],
  ['note', ['create', 'delete']],
  ['invitation', ['create', 'revoke']],
  ['screen', ['create', 'revoke']],
].flatMap(([target, names]) => names.map((name) => ({
  action: name.includes('.') ? name : `${target}.${name}`,
  target,
})));

/** What the log's entries act on, for the target filter. */
export const AUDIT_TARGETS = ['comment', 'user', 'question', 'space', 'announcement', 'note', 'invitation', 'screen'];

/** Every reason code an entry may carry, for the reason filter. */
export const AUDIT_REASONS = [...new Set(['approved', ...REMOVAL_REASONS, ...RESTRICTION_REASONS, ...CONTROL_REASONS])];

const KNOWN = new Set(AUDIT_ACTIONS.map((a) => a.action));

/**
 * The target as a moderator knows it: "Bea's comment “The weir should…”", "the question
 * “Who pays?”", "Bea"; by number ("comment #13") only when the server has no words for it.
 */
function targetWords({ target_type: type, target_id: id, target_label: label, target_author: author }) {
  if (type === 'user' && label) return label;
  if (type === 'comment' && label && author) return t('console.auditTargetNamed.comment', { name: author, excerpt: label });
  if (type === 'comment' && author) return t('console.auditTargetNamed.commentBy', { name: author });
  if (type === 'question' && label) return t('console.auditTargetNamed.question', { title: label });
  const key = `console.auditTarget.${type}`;
  const text = t(key, { id: id ?? '' });
  return text === key ? `${type}${id ? ` #${id}` : ''}` : text;
}

/** An entry's sentence, without its reason. */
export function auditSentence(entry) {
  const actor = entry.actor_name ?? t('console.auditRoundtable');
  const target = targetWords(entry);
  if (entry.action === 'comment.hide' && entry.details?.by === 'flags') {
    return t('console.audit.comment.hide.flags', { target });
  }
  if (!KNOWN.has(entry.action) && !entry.action.startsWith('account.')) {
    return t('console.audit.unknown', { actor, action: entry.action, target });
  }
  return t(`console.audit.${entry.action}`, { actor, target });
}

/** The filter's label of an action: "Someone hid a comment". */
export function actionWords({ action, target }) {
  return t(`console.audit.${action}`, { actor: t('console.auditSomeone'), target: t(`console.auditTargetAny.${target}`) });
}

/** An entry as a list item: when, the sentence, its reason and its note. */
export function auditLine(entry) {
  return h('li', { class: 'audit-entry', 'data-action': entry.action },
    h('time', { datetime: entry.at, 'data-i18n-date': entry.at }), ' ',
    h('span', { class: 'audit-sentence' }, auditSentence(entry)),
    // "Approved" after "approved comment #3" would say it twice.
    entry.reason && entry.reason !== 'approved' ? [h('span', {}, t('console.auditReasonSeparator')),
      h('span', { class: 'reason' }, t(`reason.${entry.reason}.name`))] : null,
    entry.note ? [' · ', h('q', {}, entry.note)] : null);
}
