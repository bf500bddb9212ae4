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
export function sourceCard(comment, cite) {
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

/** A button under a list that adds the next page to it, and goes away when there is no more. */
function moreButton(list, loadMore) {
  const button = h('button', { type: 'button', t: 'note.more', on: { click: async () => {
    button.disabled = true;
    try {
      const { items, more } = await loadMore();
      list.append(...items);
      button.disabled = false;
      if (!more) button.remove();
    } catch (error) {
      button.replaceWith(h('p', { class: 'form-error', t: errorKey(error) }));
    }
  } } });
  return button;
}

function searchTab(slug, questions, cite) {
  const results = h('ul', { class: 'note-source-list', 'aria-live': 'polite' });
  const more = h('div', {});
  const field = (key, control) => h('label', {}, h('span', { t: key }), ' ', control);
  const q = h('input', { type: 'search', name: 'q', required: true });
  const question = h('select', { name: 'question_id' }, h('option', { value: '', t: 'note.anyQuestion' }),
    questions.map((item) => h('option', { value: item.id }, `${item.number}. ${item.title}`)));
  const lang = h('select', { name: 'lang' }, h('option', { value: '', t: 'note.anyLanguage' }),
    LANGUAGES.map((code) => h('option', { value: code }, languageName(code))));
  const since = h('input', { type: 'date', name: 'since' });
  const until = h('input', { type: 'date', name: 'until' });
  async function page(params) {
    const found = await api.get(`/spaces/${slug}/search?${params}`);
    const comments = await readComments(found.items.filter((hit) => hit.kind === 'comment').map((hit) => hit.id));
    return { comments, cursor: found.next_cursor };
  }
  async function run(event) {
    event.preventDefault();
    const params = new URLSearchParams({ q: q.value });
    if (question.value) params.set('question_id', question.value);
    if (lang.value) params.set('lang', lang.value);
    // A date picked is the start of that day where the writer is.
    if (since.value) params.set('since', new Date(`${since.value}T00:00:00`).toISOString());
    if (until.value) params.set('until', new Date(`${until.value}T00:00:00`).toISOString());
    replaceChildren(more);
    try {
      let { comments, cursor } = await page(params);
      replaceChildren(results, comments.length ? comments.map((c) => sourceCard(c, cite))
        : h('li', { class: 'hint', t: 'note.noResults' }));
      if (cursor) {
        replaceChildren(more, moreButton(results, async () => {
          params.set('cursor', cursor);
          ({ comments, cursor } = await page(params));
          return { items: comments.map((c) => sourceCard(c, cite)), more: Boolean(cursor) };
        }));
      }
    } catch (error) {
      replaceChildren(results, h('li', { class: 'form-error', t: errorKey(error) }));
    }
  }
  return [h('form', { class: 'note-search', role: 'search', on: { submit: run } },
    field('note.searchWords', q), field('note.question', question), field('note.searchLanguage', lang),
    field('note.since', since), field('note.until', until),
    h('button', { type: 'submit', t: 'note.search' })), results, more];
}

/** Each question's themes; a question's list is redrawn when its themes change (`theme.updated`). */
function themesTab(questions, cite) {
  const sections = new Map(questions.map((question) => [question.id, h('section', {})]));
  const draw = (question, themes) => replaceChildren(sections.get(question.id),
    h('h3', {}, `${question.number}. ${question.title}`),
    themes.length ? themes.map((theme) => themeView(theme, cite)) : h('p', { class: 'hint', t: 'note.noThemes' }));
  for (const question of questions) {
    api.get(`/questions/${question.id}/themes`).then(({ themes }) => draw(question, themes))
      .catch((error) => replaceChildren(sections.get(question.id), h('p', { class: 'form-error', t: errorKey(error) })));
  }
  return {
    element: h('div', { class: 'note-themes' }, [...sections.values()]),
    update({ question_id: questionId, themes }) {
      const question = questions.find((q) => q.id === questionId);
      if (question) draw(question, themes);
    },
  };
}

function themeView(theme, cite) {
  const members = h('ul', { class: 'note-source-list' });
  let shown = 0;
  const next = async () => {
    const ids = theme.comment_ids.slice(shown, shown + THEME_SHOWN);
    shown += ids.length;
    return { items: (await readComments(ids)).map((c) => sourceCard(c, cite)), more: shown < theme.comment_ids.length };
  };
  const details = h('details', { class: 'note-theme', 'data-theme-id': theme.id, on: { toggle: async () => {
    if (!details.open || shown) return;
    const { items, more } = await next();
    members.append(...items);
    if (more) details.append(moreButton(members, next));
  } } }, h('summary', { t: 'note.themeSummary', tArgs: { label: theme.label, comments: theme.comments } }), members);
  return details;
}

/** New published comments as they arrive, newest first, the last few kept. */
function liveTab(cite) {
  const list = h('ul', { class: 'note-source-list', 'aria-live': 'polite' },
    h('li', { class: 'hint', t: 'note.liveWaiting' }));
  const seen = new Set();
  return {
    element: list,
    add(comments) {
      const arrived = published(comments).filter((c) => !seen.has(c.id));
      if (!arrived.length) return;
      if (!seen.size) replaceChildren(list);
      for (const comment of arrived) {
        seen.add(comment.id);
        list.prepend(sourceCard(comment, cite));
      }
      while (list.children.length > LIVE_KEPT) list.lastElementChild.remove();
    },
  };
}

/** The events that make a comment readable by everyone: its posting (unmoderated) or its approval. */
const isArrival = (event) => event.type === 'comment.created' || event.type === 'comment.approved';

/**
 * The side panel: tabs for search, themes and the live stream (the arrows, Home and End move between tabs).
 * `cite(citation)` receives the citation text to insert, or null when nothing was selected.
 */
export function sourcesPanel({ slug, questions, store, cite }) {
  const live = liveTab(cite);
  const themes = themesTab(questions, cite);
  const stop = store?.subscribe((_state, change) => {
    const events = change.events ?? [];
    live.add(events.filter(isArrival).map((e) => e.data.comment));
    for (const e of events) if (e.type === 'theme.updated' && e.data.themes) themes.update(e.data.themes);
  }) ?? (() => {});
  const tabs = [
    ['note.tabSearch', h('div', {}, searchTab(slug, questions, cite))],
    ['note.tabThemes', themes.element],
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
    const last = buttons.length - 1;
    const target = { ArrowRight: index === last ? 0 : index + 1, ArrowLeft: index === 0 ? last : index - 1,
      Home: 0, End: last }[event.key];
    if (target === undefined) return;
    event.preventDefault();
    select(target);
  }
  const element = h('aside', { class: 'note-sources-panel', 'aria-labelledby': 'note-sources-title' },
    h('h2', { id: 'note-sources-title', t: 'note.sourcesPanel' }),
    h('p', { class: 'hint', t: 'note.citeHint' }),
    h('div', { role: 'tablist', tAttrs: { 'aria-label': 'note.sourcesPanel' } }, buttons), panels);
  return { element, stop };
}
