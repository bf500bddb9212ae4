/**
 * Flagging a comment for the moderators: a reason (docs/protocol.md "Flag
 * reasons") and, for "other", a sentence saying what is wrong. Nobody but the
 * moderators hears of it.
 */
import { api } from '../api.js';
import { closeOnEscape, h, uniqueId } from '../dom.js';
import { errorKey } from '../errors.js';
import { label } from '../i18n.js';
import { FLAG_REASONS, reasonSelect } from '../reasons.js';

// The server's limit (FLAG_TEXT_MAX_CHARS in server/schemas/moderation.py).
const FLAG_TEXT_MAX_CHARS = 500;

/**
 * @param {object} options
 * @param {object} options.comment
 * @param {(key: string) => void} options.onDone the flag was sent (or had been before): say `key`
 * @param {() => void} options.onCancel
 */
export function createFlagForm({ comment, onDone, onCancel }) {
  const ids = { reason: uniqueId('flag-reason'), text: uniqueId('flag-text') };
  const reason = reasonSelect(FLAG_REASONS, { id: ids.reason, required: true });
  const text = h('input', { id: ids.text, type: 'text', maxlength: FLAG_TEXT_MAX_CHARS });
  const error = h('p', { class: 'form-error', role: 'alert' });
  const submit = h('button', { type: 'submit', t: 'flag.send' });
  const form = h('form', { class: 'flag-form', novalidate: true },
    h('p', { class: 'flag-title', t: 'flag.title' }),
    h('div', { class: 'composer-row' },
      h('label', { for: ids.reason, t: 'flag.reason' }), reason,
      h('label', { for: ids.text, t: 'flag.text' }), text),
    h('div', { class: 'composer-row' }, submit,
      h('button', { type: 'button', class: 'secondary', t: 'composer.cancel', on: { click: () => onCancel() } })),
    error);

  form.addEventListener('keydown', closeOnEscape(onCancel));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!reason.value) {
      label(error, 'flag.reasonNeeded');
      reason.focus();
      return;
    }
    submit.disabled = true;
    try {
      await api.post(`/comments/${comment.id}/flags`, { reason: reason.value, text: text.value });
      onDone('flag.sent');
    } catch (failure) {
      if (failure?.code === 'already_flagged') onDone('flag.already');
      else label(error, errorKey(failure));
    } finally {
      submit.disabled = false;
    }
  });

  return { el: form, focus: () => reason.focus() };
}
