/**
 * A moderator's edit of a comment's text (`PATCH /comments/{id}/moderation`),
 * with its earlier versions (`GET /comments/{id}/revisions`) beside the text
 * being edited, so the moderator sees what the author wrote before changing it.
 * A modal <dialog>: focus stays inside, Escape closes it.
 */
import { api } from '../../api.js';
import { h, replaceChildren } from '../../dom.js';
import { label } from '../../i18n.js';
import { REMOVAL_REASONS, reasonSelect } from '../../reasons.js';
import { errorLine, field, run } from './common.js';

// The server's COMMENT_MAX_CHARS.
const COMMENT_MAX_CHARS = 10_000;

/** @param {{say: (key: string) => void}} options */
export function createCommentEditor({ say }) {
  let comment = null;
  const title = h('h2', { id: 'comment-editor-title' });
  const text = h('textarea', { name: 'moderated-body', rows: 6, maxlength: COMMENT_MAX_CHARS });
  const reason = reasonSelect(REMOVAL_REASONS, { name: 'edit-reason' });
  const note = h('input', { type: 'text', name: 'edit-note', maxlength: 2000 });
  const revisions = h('ol', { class: 'revision-list console-revisions' });
  const errors = errorLine();
  const saved = h('p', { class: 'form-saved', role: 'status' });
  const save = h('button', { type: 'button', class: 'save-edit', t: 'console.saveEdit' });
  const close = h('button', { type: 'button', class: 'secondary', t: 'console.close' });
  const dialog = h('dialog', { class: 'comment-editor', 'aria-labelledby': 'comment-editor-title' },
    title,
    h('div', { class: 'revision-columns' },
      h('section', { class: 'revision-column', 'aria-labelledby': 'comment-editor-before' },
        h('h3', { id: 'comment-editor-before', t: 'console.revisionsTitle' }), revisions),
      h('section', { class: 'revision-column', 'aria-labelledby': 'comment-editor-now' },
        h('h3', { id: 'comment-editor-now', t: 'console.currentText' }),
        field('console.commentText', text),
        h('div', { class: 'form-grid' }, field('console.reason', reason), field('console.note', note)))),
    h('div', { class: 'button-row' }, save, close), errors.el, saved);

  async function loadRevisions() {
    const page = await run(null, errors, () => api.get(`/comments/${comment.id}/revisions`));
    if (!page) return;
    replaceChildren(revisions, page.items.length ? page.items.map((revision) => h('li', { class: 'revision' },
      h('p', { class: 'hint' },
        h('time', { datetime: revision.written_at, 'data-i18n-date': revision.written_at }),
        revision.replaced_by_moderator ? [' · ', h('span', { t: 'console.replacedByModerator' })] : null),
      h('p', { class: 'revision-body', lang: revision.lang }, revision.body)))
      : h('li', { class: 'hint', t: 'console.noRevisions' }));
  }

  save.addEventListener('click', async () => {
    const body = text.value.trim();
    if (!body) return errors.showKey('composer.empty');
    if (body === comment.body) return errors.showKey('console.editUnchanged');
    const edit = { body };
    if (reason.value) edit.reason = reason.value;
    if (note.value.trim()) edit.note = note.value.trim();
    const result = await run(save, errors, () => api.patch(`/comments/${comment.id}/moderation`, edit));
    if (!result) return undefined;
    comment = result;
    label(saved, 'console.editSaved');
    say('console.editSaved');
    return loadRevisions();
  });
  close.addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => {
    // Focus goes back to the item the moderator was on.
    document.querySelector(`.queue-item[data-comment-id="${comment?.id}"]`)?.focus();
  });

  return {
    el: dialog,
    /** Open the editor on this comment (the moderators' view: `body` is its source). */
    open(forComment) {
      comment = forComment;
      label(title, 'console.editTitle', { name: comment.author?.display_name ?? '—' });
      text.value = comment.body ?? '';
      text.lang = comment.lang;
      reason.value = '';
      note.value = '';
      errors.clear();
      replaceChildren(saved);
      delete saved.dataset.i18n;
      replaceChildren(revisions, h('li', { class: 'hint', t: 'common.loading' }));
      dialog.showModal();
      loadRevisions();
    },
  };
}
