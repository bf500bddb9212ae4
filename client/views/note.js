/**
 * The background note of a space (#/note/<slug>): everyone reads the published note with
 * its sources; the space's moderators also write it here, citing comments found by search,
 * in a theme or arriving live, and check what is unsourced, needs review or is not covered.
 *
 * Saves carry the version they were based on; a stale one is refused (note_conflict) and
 * the current text is shown beside the writer's, so nothing is lost.
 */
import { api } from '../api.js';
import { h, replaceChildren } from '../dom.js';
import { errorKey } from '../errors.js';
import { LANGUAGES, languageName } from '../i18n.js';
import { createSpaceStore } from '../live.js';
import { coverageView, previewView, reviewView, themeCoverage } from './note/checks.js';
import { publishedView } from './note/published.js';
import { sourcesPanel } from './note/sources.js';
import { citedCommentIds, insertAtCursor } from './note/spans.js';
import { versionsView } from './note/versions.js';

/** Events after which a cited comment's citations need review (docs/protocol.md "Review"). */
const changesCitedText = ({ type }) => type === 'comment.edited' || type === 'comment.edit_approved'
  || type === 'comment.hidden' || type === 'comment.deleted' || type === 'comment.rejected';

/** Where a refused save went wrong: the sentence for its code and, for a citation, its marker. */
function refusalView(error) {
  const marker = error.details?.marker;
  return h('p', { class: 'form-error' }, h('span', { t: errorKey(error) }),
    marker ? [' ', h('code', {}, marker)] : null);
}

/** The current version beside the writer's text as it was when the save was refused. */
function conflictView(details, mine) {
  return h('div', { class: 'note-conflict' },
    h('p', { class: 'form-error', t: 'note.conflict', tArgs: { version: details.current_version } }),
    h('div', { class: 'note-conflict-texts' },
      h('section', {}, h('h3', { t: 'note.conflictMine' }),
        h('textarea', { class: 'note-mine', readonly: true, rows: 10, value: mine,
          tAttrs: { 'aria-label': 'note.conflictMine' } })),
      h('section', {}, h('h3', { t: 'note.conflictTheirs', tArgs: { version: details.current_version } }),
        h('pre', { class: 'note-current' }, details.markdown ?? ''))));
}

export function mountNote(container, { slug, live }) {
  let disposed = false;
  let base = null;
  let questions = [];
  let current = null; // the saved version the panels describe
  const status = h('p', { role: 'status', class: 'hint note-status' });
  const published = h('div', {});
  const workspace = h('div', {});
  replaceChildren(container, h('h1', { t: 'note.title' }), status, published, workspace);
  const path = `/spaces/${slug}/note`;
  const alert = h('div', { role: 'alert' });
  const fail = (error) => { if (!disposed) replaceChildren(alert, refusalView(error)); };

  async function loadPublished() {
    try {
      const note = await api.get(`${path}/published`);
      if (!disposed) replaceChildren(published, publishedView(note));
    } catch (error) {
      if (disposed) return;
      replaceChildren(published, h('p', { class: 'hint',
        t: error.code === 'note_not_published' ? 'note.notPublished' : errorKey(error) }));
    }
  }

  const editor = h('textarea', { class: 'note-editor', rows: 20, tAttrs: { 'aria-label': 'note.markdown' } });
  const language = h('select', { tAttrs: { 'aria-label': 'note.language' } },
    LANGUAGES.map((code) => h('option', { value: code }, languageName(code))));
  const panels = h('div', { class: 'note-panels' });

  async function refreshPanels(note) {
    current = note;
    const [coverage, versions, themes] = await Promise.all([
      api.get(`${path}/coverage`), api.get(`${path}/versions`),
      Promise.all(questions.map((q) => api.get(`/questions/${q.id}/themes`).then((r) => r.themes))),
    ]);
    if (disposed) return;
    replaceChildren(panels, previewView(note), reviewView(note, editor, cite),
      coverageView(coverage, themeCoverage(note, themes.flat())), versionsView(path, versions.items));
  }

  /** The panels only, from the saved version as the server now reads it; the editor is left alone. */
  function recheck() {
    api.get(path).then((note) => refreshPanels(note)).catch(fail);
  }

  function show(note) {
    base = note.version;
    editor.value = note.markdown;
    language.value = note.lang;
    status.replaceChildren(h('span', { t: 'note.version', tArgs: { version: note.version } }));
    refreshPanels(note).catch(fail);
  }

  async function save() {
    replaceChildren(alert);
    try {
      show(await api.put(path, { markdown: editor.value, lang: language.value, base_version: base }));
    } catch (error) {
      if (error.code !== 'note_conflict') return fail(error);
      // Keep the writer's text in the editor and beside theirs; the next save is based on theirs.
      base = error.details.current_version;
      replaceChildren(alert, conflictView(error.details, editor.value));
    }
  }

  async function draft() {
    const { markdown } = await api.get(`${path}/draft`);
    editor.value = editor.value.trim() ? `${editor.value.trim()}\n\n${markdown}` : markdown;
  }

  /** One section per discussion question: its title as a heading, unless the note has it already. */
  async function insertHeadings() {
    const present = new Set(editor.value.split('\n').map((line) => line.replace(/^#+\s*/, '').trim()));
    const missing = questions.filter((q) => !present.has(q.title)).map((q) => `# ${q.title}`);
    if (missing.length) editor.value = [editor.value.trim(), ...missing].filter(Boolean).join('\n\n') + '\n';
  }

  /** Publishes the saved version the writer sees: unsaved changes, or another writer's newer version, wait. */
  async function publish() {
    if (!current || current.version !== base || current.markdown !== editor.value) {
      replaceChildren(alert, h('p', { class: 'form-error', t: 'note.saveFirst' }));
      return;
    }
    replaceChildren(alert);
    await api.post(`${path}/publish`, { version: base });
    await loadPublished();
  }

  const cite = (citation) => {
    if (citation) insertAtCursor(editor, citation);
    else replaceChildren(alert, h('p', { class: 'form-error', t: 'note.nothingSelected' }));
  };

  const button = (key, action) => h('button', { type: 'button', t: key, on: { click: () => action().catch(fail) } });

  // Moderators hear of another writer's save and of publishing as they happen.
  const store = live?.subscribe(slug, createSpaceStore());
  const stopEvents = store?.subscribe((_state, change) => {
    for (const event of change.events ?? []) {
      const note = event.data.note;
      if (event.type === 'note.saved' && note.version > (base ?? 0)) {
        status.replaceChildren(h('span', { t: 'note.savedMeanwhile', tArgs: { version: note.version,
          author: note.saved_by ?? '' } }));
      }
      if (event.type === 'note.published') loadPublished();
      // A cited comment edited, hidden or deleted: its citations now need review.
      if (changesCitedText(event) && citedCommentIds(current).has(event.data.comment?.id)) recheck();
    }
  });

  let sources = null;
  async function loadWorkspace() {
    let note = null;
    try {
      note = await api.get(path);
    } catch (error) {
      // Not a moderator here: the published note is all there is to see.
      if (error.code !== 'background_note_not_found') return;
    }
    questions = (await api.get(`/spaces/${slug}/questions`)).discussion.filter((q) => q.title);
    if (disposed) return;
    sources = sourcesPanel({ slug, questions, store, cite });
    replaceChildren(workspace,
      h('h2', { t: 'note.workspace' }), alert,
      h('div', { class: 'note-workspace' },
        h('div', { class: 'note-writing' },
          h('p', { class: 'button-row' }, language, button('note.save', save), button('note.draft', draft),
            button('note.insertHeadings', insertHeadings), button('note.publish', publish),
            h('a', { href: `/api/v1${path}/export?format=docx`, download: '', t: 'note.exportWord' }),
            h('a', { href: `/api/v1${path}/export?format=markdown`, download: '', t: 'note.exportMarkdown' })),
          h('p', { class: 'hint', t: 'note.syntax' }), editor),
        sources.element),
      panels);
    if (note) show(note);
  }

  loadPublished();
  loadWorkspace();
  return {
    unmount() {
      disposed = true;
      sources?.stop();
      stopEvents?.();
      if (store) live.unsubscribe(slug);
    },
  };
}
