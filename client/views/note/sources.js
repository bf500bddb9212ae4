/**
 * The writer's sources: comments found by search, grouped in a question's themes, or
 * arriving live. Each shows its exact text; the writer selects words in it (or nothing,
 * for the whole comment) and cites them at the editor's cursor as an exact span.
 */
import { api } from '../../api.js';
import { h, replaceChildren, uniqueId } from '../../dom.js';
import { errorKey } from '../../errors.js';
import { LANGUAGES, languageName } from '../../i18n.js';
import { citationFor } from './spans.js';

// Live comments kept in the tab: a writer looks at the last few, not the whole day.
const LIVE_KEPT = 30;
// Comments of one theme shown at once, most central first.
const THEME_SHOWN = 10;

/** One comment as a source: its words, selectable (by keyboard too), and a button citing them. */
function sourceCard(comment, cite) {
  const id = uniqueId('source');
  const text = h('textarea', { id, class: 'note-source-text', readonly: true, rows: 3,
    'data-comment-id': comment.id, value: comment.body });
  const cited = () => {
    const whole = text.selectionStart === text.selectionEnd;
    cite(citationFor(comment.id, comment.body, whole ? 0 : text.selectionStart,
      whole ? comment.body.length : text.selectionEnd));
  };
  return h('li', { class: 'note-source' },
    h('label', { for: id, class: 'hint', t: 'note.sourceLabel', tArgs: { id: comment.id,
      author: comment.author?.display_name ?? '', language: languageName(comment.lang),
      supports: comment.support_count } }),
    text,
    h('button', { type: 'button', t: 'note.cite', on: { click: cited } }));
}

const published = (comments) => comments.filter((c) => c?.status === 'published' && c.body);

async function readComments(ids) {
  const found = await Promise.all(ids.map((id) => api.get(`/comments/${id}`).catch(() => null)));
  return published(found);
}

function searchTab(slug, questions, cite) {
  const results = h('ul', { class: 'note-source-list', 'aria-live': 'polite' });
  const field = (key, control) => h('label', {}, h('span', { t: key }), ' ', control);
  const q = h('input', { type: 'search', name: 'q', required: true });
  const question = h('select', { name: 'question_id' }, h('option', { value: '', t: 'note.anyQuestion' }),
    questions.map((item) => h('option', { value: item.id }, `${item.number}. ${item.title}`)));
  const lang = h('select', { name: 'lang' }, h('option', { value: '', t: 'note.anyLanguage' }),
    LANGUAGES.map((code) => h('option', { value: code }, languageName(code))));
  const since = h('input', { type: 'date', name: 'since' });
  const until = h('input', { type: 'date', name: 'until' });
  async function run(event) {
    event.preventDefault();
    const params = new URLSearchParams({ q: q.value });
    if (question.value) params.set('question_id', question.value);
    if (lang.value) params.set('lang', lang.value);
    if (since.value) params.set('since', new Date(`${since.value}T00:00:00`).toISOString());
    if (until.value) params.set('until', new Date(`${until.value}T00:00:00`).toISOString());
    try {
      const page = await api.get(`/spaces/${slug}/search?${params}`);
      const comments = await readComments(page.items.filter((hit) => hit.kind === 'comment').map((hit) => hit.id));
      replaceChildren(results, comments.length ? comments.map((c) => sourceCard(c, cite))
        : h('li', { class: 'hint', t: 'note.noResults' }));
    } catch (error) {
      replaceChildren(results, h('li', { class: 'form-error', t: errorKey(error) }));
    }
  }
  return [h('form', { class: 'note-search', role: 'search', on: { submit: run } },
    field('note.searchWords', q), field('note.question', question), field('note.searchLanguage', lang),
    field('note.since', since), field('note.until', until),
    h('button', { type: 'submit', t: 'note.search' })), results];
}

function themesTab(questions, cite) {
  const list = h('div', { class: 'note-themes' });
  Promise.all(questions.map(async (question) => {
    const { themes } = await api.get(`/questions/${question.id}/themes`);
    return h('section', {}, h('h3', {}, `${question.number}. ${question.title}`),
      themes.length ? themes.map((theme) => themeView(theme, cite)) : h('p', { class: 'hint', t: 'note.noThemes' }));
  })).then((sections) => replaceChildren(list, sections))
    .catch((error) => replaceChildren(list, h('p', { class: 'form-error', t: errorKey(error) })));
  return list;
}

function themeView(theme, cite) {
  const members = h('ul', { class: 'note-source-list' });
  let loaded = false;
  const open = async (event) => {
    if (!event.target.open || loaded) return;
    loaded = true;
    const comments = await readComments(theme.comment_ids.slice(0, THEME_SHOWN));
    replaceChildren(members, comments.map((c) => sourceCard(c, cite)));
  };
  return h('details', { class: 'note-theme', 'data-theme-id': theme.id, on: { toggle: open } },
    h('summary', { t: 'note.themeSummary', tArgs: { label: theme.label, comments: theme.comments } }), members);
}

function liveTab(store, cite) {
  const list = h('ul', { class: 'note-source-list', 'aria-live': 'polite' },
    h('li', { class: 'hint', t: 'note.liveWaiting' }));
  const seen = new Set();
  const stop = store?.subscribe((_state, change) => {
    if (change.type !== 'events') return;
    const arrived = published(change.events.filter((e) => e.type === 'comment.created'
      || e.type === 'comment.approved').map((e) => e.data.comment)).filter((c) => !seen.has(c.id));
    if (!arrived.length) return;
    if (!seen.size) replaceChildren(list);
    for (const comment of arrived) {
      seen.add(comment.id);
      list.prepend(sourceCard(comment, cite));
    }
    while (list.children.length > LIVE_KEPT) list.lastElementChild.remove();
  });
  return { element: list, stop: stop ?? (() => {}) };
}

/**
 * The side panel: tabs for search, themes and the live stream (arrow keys move between tabs).
 * `cite(citation)` receives the citation text to insert, or null when nothing was selected.
 */
export function sourcesPanel({ slug, questions, store, cite }) {
  const live = liveTab(store, cite);
  const tabs = [
    ['note.tabSearch', h('div', {}, searchTab(slug, questions, cite))],
    ['note.tabThemes', themesTab(questions, cite)],
    ['note.tabLive', live.element],
  ];
  const buttons = [];
  const panels = tabs.map(([key, content], index) => {
    const tabId = uniqueId('note-tab');
    const panel = h('div', { role: 'tabpanel', id: uniqueId('note-tabpanel'), 'aria-labelledby': tabId,
      tabindex: 0, hidden: index !== 0 }, content);
    buttons.push(h('button', { type: 'button', role: 'tab', id: tabId, 'aria-controls': panel.id,
      'aria-selected': String(index === 0), tabindex: index === 0 ? 0 : -1, t: key,
      on: { click: () => select(index), keydown: (event) => move(event, index) } }));
    return panel;
  });
  function select(index) {
    buttons.forEach((button, i) => {
      button.setAttribute('aria-selected', String(i === index));
      button.tabIndex = i === index ? 0 : -1;
      panels[i].hidden = i !== index;
    });
    buttons[index].focus();
  }
  function move(event, index) {
    const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
    if (!step) return;
    event.preventDefault();
    select((index + step + buttons.length) % buttons.length);
  }
  const element = h('aside', { class: 'note-sources-panel', 'aria-labelledby': 'note-sources-title' },
    h('h2', { id: 'note-sources-title', t: 'note.sourcesPanel' }),
    h('p', { class: 'hint', t: 'note.citeHint' }),
    h('div', { role: 'tablist', tAttrs: { 'aria-label': 'note.sourcesPanel' } }, buttons), panels);
  return { element, stop: live.stop };
}
