/** Errors from the API as sentences in the interface language, with what the details add (until when). */
import { formatDateTime, t } from './i18n.js';

// Codes a reader can meet in the client; anything else gets the generic sentence.
const KNOWN = new Set([
  'network_error', 'invalid_credentials', 'too_many_login_attempts', 'email_taken', 'invalid_body',
  'text_too_long', 'not_authenticated', 'question_closed', 'space_closed', 'space_not_open', 'not_invited',
  'unsupported_language', 'parent_not_replyable', 'own_comment', 'space_not_found',
  // Moderation and stewarding (docs/protocol.md).
  'not_moderator', 'reason_required', 'already_decided', 'claimed_by_other', 'not_claimed', 'no_open_flags',
  'already_flagged', 'not_flaggable', 'flag_text_required', 'not_spotlightable', 'already_in_spotlight',
  'spotlight_queue_full', 'spotlight_queue_empty', 'space_locked', 'muted', 'banned', 'question_not_open',
  'slow_mode', 'cannot_restrict_steward', 'restriction_not_found', 'account_suspended',
  'comment_deleted', 'not_author',
  // Invitation links (client/views/invitation.js).
  'invitation_not_found', 'invitation_revoked', 'invitation_expired', 'invitation_used_up',
  // The background note (docs/protocol.md "The background note").
  'quote_not_in_comment', 'quote_out_of_order', 'citation_invalid', 'cited_comment_not_found',
]);

/** The catalogue key for an API error's code. */
export function errorKey(error) {
  return KNOWN.has(error?.code) ? `error.${error.code}` : 'error.generic';
}

export function errorText(error) {
  return t(errorKey(error));
}

/**
 * What to tell the reader about a refusal: the catalogue key and its arguments, and
 * `retryAt` (epoch ms) when the refusal passes by itself (slow mode), so the caller can
 * count down and clear it.
 *
 * @returns {{key: string, args?: object, retryAt?: number}}
 */
export function describeError(error, now = Date.now()) {
  const details = error?.details ?? {};
  if (error?.code === 'slow_mode' && details.retry_at) {
    const retryAt = Date.parse(details.retry_at);
    return { key: 'error.slow_modeWait', args: { count: secondsUntil(retryAt, now) }, retryAt };
  }
  if ((error?.code === 'muted' || error?.code === 'banned') && details.until) {
    return { key: `error.${error.code}Until`, args: { time: formatDateTime(details.until) } };
  }
  return { key: errorKey(error) };
}

/** Whole seconds from `now` to `at`, at least 1 while it has not passed. */
export function secondsUntil(at, now = Date.now()) {
  return Math.max(1, Math.ceil((at - now) / 1000));
}
