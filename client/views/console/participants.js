/**
 * Actions on a comment's author, reached from a queue item: mute (for a time or
 * until lifted), ban, lift, hold their comments for review, and private notes
 * (listed, added, deleted; kept live by `note.created` and `note.deleted`) — in
 * a modal <dialog>, so focus stays inside it and Escape closes it.
 */
import { api } from '../../api.js';
import { h, replaceChildren } from '../../dom.js';
import { label } from '../../i18n.js';
import { RESTRICTION_REASONS, reasonSelect } from '../../reasons.js';
import { errorLine, field, run } from './common.js';

// Mute durations a moderator picks from (seconds; '' = until lifted).
const DURATIONS = [['900', 'console.duration.15m'], ['3600', 'console.duration.1h'],
  ['86400', 'console.duration.1d'], ['', 'console.duration.untilLifted']];

/** @param {{slug: string, say: (key: string) => void}} options */
export function createParticipantDialog({ slug, say }) {
  let author = null;
  let comment = null;
  const title = h('h2', { id: 'author-dialog-title' });
  const kind = h('select', { name: 'kind' },
    h('option', { value: 'muted', t: 'console.mute' }), h('option', { value: 'banned', t: 'console.ban' }));
  const duration = h('select', { name: 'duration' },
    DURATIONS.map(([value, key]) => h('option', { value, t: key })));
  const reason = reasonSelect(RESTRICTION_REASONS, { name: 'reason' });
  const note = h('textarea', { name: 'note', rows: 2, maxlength: 2000 });
  const noteText = h('textarea', { name: 'private-note', rows: 2, maxlength: 2000 });
  const errors = errorLine();
  const done = h('p', { class: 'form-saved', role: 'status' });
  const apply = h('button', { type: 'button', class: 'restrict-button', t: 'console.applyRestriction' });
  const lift = h('button', { type: 'button', class: 'secondary lift-button', t: 'console.lift' });
  const addNote = h('button', { type: 'button', class: 'secondary note-button', t: 'console.addNote' });
  const hold = h('button', { type: 'button', class: 'secondary hold-button', t: 'console.hold' });
  const notes = h('ul', { class: 'note-list' });
  const close = h('button', { type: 'button', class: 'secondary', t: 'console.close' });

  const dialog = h('dialog', { class: 'author-dialog', 'aria-labelledby': 'author-dialog-title' },
    title,
    h('div', { class: 'form-grid' },
      field('console.restriction', kind), field('console.duration', duration),
      field('console.reason', reason), field('console.note', note)),
    h('div', { class: 'button-row' }, apply, lift, hold),
    h('h3', { t: 'console.notesTitle' }), notes,
    field('console.privateNote', noteText),
    h('div', { class: 'button-row' }, addNote, close),
    errors.el, done);

  function finished(key) {
    label(done, key);
    say(key);
  }

  apply.addEventListener('click', async () => {
    if (!reason.value) return errors.showKey('console.reasonNeeded');
    const body = { user_id: author.id, kind: kind.value, reason: reason.value, note: note.value.trim() };
    if (kind.value === 'muted' && duration.value) body.duration_secs = Number(duration.value);
    if (await run(apply, errors, () => api.post(`/spaces/${slug}/restrictions`, body))) {
      finished(kind.value === 'muted' ? 'console.muted' : 'console.banned');
    }
  });
  lift.addEventListener('click', async () => {
    if (await run(lift, errors, () => api.delete(`/spaces/${slug}/restrictions/${author.id}`))) {
      finished('console.lifted');
    }
  });
  addNote.addEventListener('click', async () => {
    const body = noteText.value.trim();
    if (!body) return errors.showKey('console.noteEmpty');
    const target = { target_type: 'user', target_id: author.id, body };
    if (await run(addNote, errors, () => api.post(`/spaces/${slug}/notes`, target))) {
      noteText.value = '';
      finished('console.noteAdded');
    }
  });
  hold.addEventListener('click', async () => {
    const body = { note: note.value.trim() };
    if (await run(hold, errors, () => api.put(`/spaces/${slug}/held-participants/${author.id}`, body))) {
      finished('console.held');
    }
  });

  async function loadNotes() {
    const forAuthor = author;
    const page = await run(null, errors, () => api.get(`/spaces/${slug}/notes?target_type=user&target_id=${author.id}`));
    if (!page || forAuthor !== author) return;
    replaceChildren(notes, page.items.length ? page.items.map((item) => {
      const remove = h('button', { type: 'button', class: 'link-button delete-note', t: 'console.deleteNote' });
      remove.addEventListener('click', () => run(remove, errors, () => api.delete(`/spaces/${slug}/notes/${item.id}`)));
      return h('li', { class: 'note-item' }, h('p', { class: 'note-body' }, item.body),
        h('p', { class: 'hint' }, item.author?.display_name ?? '—', ' · ',
          h('time', { datetime: item.created_at, 'data-i18n-date': item.created_at }), ' ', remove));
    }) : h('li', { class: 'hint', t: 'console.noNotes' }));
  }

  close.addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => {
    // Focus goes back to where the moderator was.
    document.querySelector(`.queue-item[data-comment-id="${comment?.id}"] .author-button`)?.focus();
  });

  return {
    el: dialog,
    /** Open the dialog for this comment's author. */
    open(forComment) {
      comment = forComment;
      author = forComment.author;
      label(title, 'console.authorTitle', { name: author.display_name });
      errors.clear();
      replaceChildren(done);
      delete done.dataset.i18n;
      replaceChildren(notes);
      dialog.showModal();
      loadNotes();
    },
    /** Notes on the person shown change live. */
    onEvents(events) {
      if (!dialog.open || !author) return;
      const touched = events.some((e) => (e.type === 'note.created' || e.type === 'note.deleted')
        && e.data?.note?.target_type === 'user' && e.data.note.target_id === author.id);
      if (touched) loadNotes();
    },
  };
}
