/**
 * The reason codes of docs/protocol.md ("Reason codes"), shown in the reader's
 * language as `reason.<code>.name`, and a picker for them.
 */
import { h } from './dom.js';

/** Why a moderator rejects, hides or edits a comment (`approved` is implied by approving). */
export const REMOVAL_REASONS = ['off_topic', 'duplicate', 'spam', 'offensive', 'personal_attack', 'personal_data',
  'misinformation', 'legal', 'clarity', 'other'];
/** Why a participant flags a comment. */
export const FLAG_REASONS = ['spam', 'offensive', 'off_topic', 'other'];
/** Why someone is muted or banned. */
export const RESTRICTION_REASONS = ['spam', 'offensive', 'personal_attack', 'off_topic', 'disruption',
  'repeated_violations', 'impersonation', 'other'];
/** Why a space is locked or slowed down. */
export const CONTROL_REASONS = ['volume', 'disruption', 'spam', 'pause', 'other'];

/** The catalogue key of a reason code (`.name`: a bare `reason.other` would read as a plural form). */
export function reasonKey(code) {
  return `reason.${code}.name`;
}

/** A reason as a relabelled element (a language switch retranslates it). */
export function reasonText(code) {
  return h('span', { class: 'reason', t: reasonKey(code ?? 'other') });
}

/**
 * A <select> of reason codes, starting with a "choose a reason" option (value '').
 * @param {string[]} codes
 * @param {object} [props] attributes for the select (id, name, class, …)
 */
export function reasonSelect(codes, props = {}) {
  return h('select', props,
    h('option', { value: '', t: 'reason.choose' }),
    codes.map((code) => h('option', { value: code, t: reasonKey(code) })));
}
