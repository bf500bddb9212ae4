/**
 * The background note of a space (#/note/<slug>): everyone reads the published note with
 * its sources; the space's moderators also write it, see what is unsourced or needs review,
 * check coverage, start from a generated draft, export and publish.
 *
 * Saves carry the version they were based on; a stale one is refused (note_conflict) and
 * the current text is shown beside the writer's, so nothing is lost.
 */
import { api } from '../api.js';
import { h, replaceChildren } from '../dom.js';
import { errorKey } from '../errors.js';
import { LANGUAGES, formatDateTime, formatPercent, languageName } from '../i18n.js';

const MARKER = /\[\^c(\d+):[^\]]*\]/g;

/** The published note's text, its citation markers shown as numbered references. */
function publishedView(note) {
  const numbers = new Map();
  const paragraphs = note.markdown.split(/\n\s*\n/).map((block) => {
    const heading = /^(#{1,6})\s+(.*)$/.exec(block.trim());
    if (heading) return h(`h${Math.min(heading[1].length + 1, 6)}`, {}, heading[2]);
    const parts = [];
    let at = 0;
    for (const match of block.matchAll(MARKER)) {
      parts.push(block.slice(at, match.index));
      const id = Number(match[1]);
      if (!numbers.has(id)) numbers.set(id, numbers.size + 1);
      parts.push(h('sup', {}, h('a', { href: `#note-source-${id}` }, String(numbers.get(id)))));
      at = match.index + match[0].length;
    }
    parts.push(block.slice(at));
    return h('p', {}, parts);
  });
  const sources = [...numbers.entries()].map(([id, number]) => {
    const spans = note.sources.filter((s) => s.comment_id === id);
    if (!spans.length) return h('li', { id: `note-source-${id}`, value: number, t: 'note.sourceWithdrawn' });
    return h('li', { id: `note-source-${id}`, value: number },
      h('q', { lang: spans[0].lang }, spans.map((s) => s.quote).join(' … ')), ' — ',
      spans[0].attribution, ` (${languageName(spans[0].lang)})`);
  });
  return h('article', { class: 'note-published', lang: note.lang },
    h('p', { class: 'hint', t: 'note.publishedAt', tArgs: { date: formatDateTime(note.published_at) } }),
    paragraphs,
    sources.length ? [h('h2', { t: 'note.sources' }), h('ol', { class: 'note-sources' }, sources)] : null);
}

function coverageView(coverage) {
  const share = (key, value) => h('li', { t: key, tArgs: {
    cited: value.cited, total: value.total, share: formatPercent(value.share) } });
  return h('section', { class: 'note-coverage', 'aria-labelledby': 'note-coverage-title' },
    h('h2', { id: 'note-coverage-title', t: 'note.coverage' }),
    h('ul', {},
      share('note.coverageQuestions', coverage.questions),
      share('note.coverageLanguages', coverage.languages),
      share('note.coverageParticipants', coverage.participants),
      h('li', { t: 'note.coverageWords', tArgs: { words: coverage.words, target: coverage.target_words } })),
    coverage.dominant_participants.map((p) => h('p', { class: 'form-error', t: 'note.coverageDominant',
      tArgs: { participant: p.participant, share: formatPercent(p.share) } })),
    coverage.most_supported_uncited.length ? [
      h('h3', { t: 'note.coverageUncited' }),
      h('ul', {}, coverage.most_supported_uncited.map((c) => h('li', {},
        h('span', { t: 'note.supports', tArgs: { count: c.support_count } }), ' ',
        h('q', {}, c.excerpt), ` [^c${c.id}]`)))] : null);
}

function sentencesView(note) {
  const flagged = note.sections.flatMap((section) => section.sentences)
    .filter((s) => s.unsourced || s.citations.some((c) => c.needs_review));
  return h('section', { class: 'note-check', 'aria-labelledby': 'note-check-title' },
    h('h2', { id: 'note-check-title', t: 'note.check' }),
    h('p', { t: 'note.checkSummary', tArgs: { count: note.unsourced_sentences,
      review: note.citations_needing_review, words: note.words } }),
    h('ul', {}, flagged.map((s) => h('li', {},
      h('span', { class: 'badge', t: s.unsourced ? 'note.unsourced' : 'note.needsReview' }), ' ', s.text))));
}

export function mountNote(container, { slug }) {
  let disposed = false;
  let base = null;
  const status = h('p', { role: 'status', class: 'hint note-status' });
  const published = h('div', {});
  const workspace = h('div', {});
  replaceChildren(container, h('h1', { t: 'note.title' }), status, published, workspace);
  const path = `/spaces/${slug}/note`;
  const fail = (error) => { if (!disposed) status.replaceChildren(h('span', { t: errorKey(error) })); };

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
  const conflict = h('div', { role: 'alert' });
  const panels = h('div', { class: 'note-panels' });

  async function refreshPanels(note) {
    const coverage = await api.get(`${path}/coverage`);
    if (!disposed) replaceChildren(panels, sentencesView(note), coverageView(coverage));
  }

  function show(note) {
    base = note.version;
    editor.value = note.markdown;
    language.value = note.lang;
    status.replaceChildren(h('span', { t: 'note.version', tArgs: { version: note.version } }));
    refreshPanels(note).catch(fail);
  }

  async function save() {
    replaceChildren(conflict);
    try {
      show(await api.put(path, { markdown: editor.value, lang: language.value, base_version: base }));
    } catch (error) {
      if (error.code !== 'note_conflict') return fail(error);
      // Keep the writer's text; show the current version to merge by hand, and base on it.
      base = error.details.current_version;
      replaceChildren(conflict, h('p', { class: 'form-error', t: 'note.conflict',
        tArgs: { version: base } }), h('pre', { class: 'note-current' }, error.details.markdown ?? ''));
    }
  }

  async function draft() {
    const { markdown } = await api.get(`${path}/draft`);
    editor.value = editor.value.trim() ? `${editor.value.trim()}\n\n${markdown}` : markdown;
  }

  async function publish() {
    await api.post(`${path}/publish`, { version: base });
    await loadPublished();
  }

  const button = (key, action) => h('button', { type: 'button', t: key, on: { click: () => action().catch(fail) } });

  async function loadWorkspace() {
    let note = null;
    try {
      note = await api.get(path);
    } catch (error) {
      // Not a moderator here: the published note is all there is to see.
      if (error.code !== 'background_note_not_found') return;
    }
    if (disposed) return;
    replaceChildren(workspace,
      h('h2', { t: 'note.workspace' }), conflict,
      h('p', {}, language, ' ', button('note.save', save), ' ', button('note.draft', draft), ' ',
        button('note.publish', publish), ' ',
        h('a', { href: `/api/v1${path}/export?format=docx`, download: '', t: 'note.exportWord' }), ' ',
        h('a', { href: `/api/v1${path}/export?format=markdown`, download: '', t: 'note.exportMarkdown' })),
      h('p', { class: 'hint', t: 'note.syntax' }), editor, panels);
    if (note) show(note);
  }

  loadPublished();
  loadWorkspace();
  return { unmount() { disposed = true; } };
}
