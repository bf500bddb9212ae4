/**
 * Deleting one's own comment, asked once more in place: the comment becomes a
 * tombstone for everyone, its replies keep their place.
 */
import { api } from '../api.js';
import { closeOnEscape, h } from '../dom.js';
import { describeError } from '../errors.js';
import { label } from '../i18n.js';

/**
 * @param {object} options
 * @param {object} options.comment the reader's own comment
 * @param {(tombstone: object) => void} options.onDeleted the server's answer
 * @param {() => void} options.onCancel
 */
export function createDeleteForm({ comment, onDeleted, onCancel }) {
  const error = h('p', { class: 'form-error', role: 'alert' });
  const confirm = h('button', { type: 'submit', class: 'danger', t: 'comment.deleteConfirm' });
  const form = h('form', { class: 'delete-form', novalidate: true },
    h('p', { class: 'delete-question', t: 'comment.deleteQuestion' }),
    h('div', { class: 'composer-row' }, confirm,
      h('button', { type: 'button', class: 'secondary', t: 'comment.deleteKeep', on: { click: () => onCancel() } })),
    error);

  form.addEventListener('keydown', closeOnEscape(onCancel));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    confirm.disabled = true;
    try {
      onDeleted(await api.delete(`/comments/${comment.id}`));
    } catch (failure) {
      const { key, args } = describeError(failure);
      label(error, key, args);
    } finally {
      confirm.disabled = false;
    }
  });

  return { el: form, focus: () => confirm.focus() };
}
