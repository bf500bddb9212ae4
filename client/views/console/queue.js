/**
 * The moderators' queues — pending, flagged, recent, and removed (hidden and
 * rejected, to undo a mistake) — with their counts kept live as docs/protocol.md
 * "Queues and keeping counts live" says: counts and seq from `GET …/queue`, then
 * the `queue` of every later event. Items follow the `comment.*`,
 * `comment.flagged`, `comment.claimed` and `comment.released` events.
 *
 * One item is selected and opens its tools; keyboard shortcuts act on it (see SHORTCUTS).
 */
import { api } from '../../api.js';
import { h, replaceChildren } from '../../dom.js';
import { label } from '../../i18n.js';
import { currentUser } from '../../session.js';
import { errorLine, run } from './common.js';
import { createQueueItemView, decisionBody, decisions, liveClaim } from './queue_item.js';

const KINDS = ['pending', 'flagged', 'recent', 'removed'];
// Items a queue shows at once; a moderator works from the top.
const PAGE_LIMIT = 100;
// Claims expire without an event: redraw them this often so an expired one shows as free.
const CLAIM_REFRESH_MS = 15_000;
// Comments leave the recent queue as they age, and no event says so: read it again this
// often while it is shown. Half a minute keeps it current to the eye and costs one page read.
const RECENT_REFRESH_MS = 30_000;

/** Keyboard shortcuts: key → what it does (labels in the catalogue as console.key.<name>). */
export const SHORTCUTS = [
  ['j', 'next'], ['n', 'next'], ['k', 'previous'], ['a', 'approve'], ['r', 'reject'], ['h', 'hide'],
  ['c', 'claim'], ['s', 'spotlight'],
];

const NO_FLAGS = { count: 0, reasons: {}, texts: [] };

function isTyping(target) {
  return Boolean(target?.closest?.('input, textarea, select, [contenteditable=""], [contenteditable="true"]'));
}

/**
 * @param {object} options
 * @param {string} options.slug
 * @param {object} options.store the space's live store (moderators' audience)
 * @param {object} options.space the space (languages)
 * @param {(comment: object) => void} options.onAuthor open the participant actions for a comment's author
 * @param {(comment: object, how: 'now' | 'next') => Promise<void>} options.onSpotlight
 * @param {(comment: object) => void} options.onEdit open the editor of a comment's text
 * @param {(text: string) => void} options.say announce the result of an action
 */
export function createQueuePanel({ slug, store, space, onAuthor, onSpotlight, onEdit, say }) {
  let kind = 'pending';
  /** @type {{pending: number, flagged: number, recent: number} | null} */
  let counts = null;
  let countsSeq = -1;
  /** @type {Map<number, {comment: object, flags: object, claim: object | null}>} */
  let items = new Map();
  let selectedId = null;
  let loading = null; // events that arrive while a page loads, applied after it
  const views = new Map();
  const errors = errorLine();

  const tabs = h('div', { class: 'queue-tabs', role: 'group', tAttrs: { 'aria-label': 'console.queues' } });
  const tabButtons = new Map(KINDS.map((name) => {
    const button = h('button', { type: 'button', class: 'secondary queue-tab', 'data-kind': name,
      'aria-pressed': String(name === kind), on: { click: () => switchKind(name) } });
    tabs.append(button);
    return [name, button];
  }));
  const questionFilter = h('select', { id: 'queue-question', on: { change: () => load() } });
  const languageFilter = h('select', { id: 'queue-language', on: { change: () => load() } },
    h('option', { value: '', t: 'thread.allLanguages' }),
    space.languages.map((code) => h('option', { value: code, 'data-i18n-lang': code })));
  const list = h('ol', { class: 'queue-list', 'aria-live': 'off' });
  const empty = h('p', { class: 'hint queue-empty', t: 'console.queueEmpty' });
  const el = h('section', { class: 'console-panel queue-panel', id: 'queue', 'aria-labelledby': 'queue-title' },
    h('h2', { id: 'queue-title', t: 'console.queueTitle' }),
    tabs,
    h('div', { class: 'queue-filters' },
      h('label', { for: 'queue-question', t: 'console.filterQuestion' }), questionFilter,
      h('label', { for: 'queue-language', t: 'thread.language' }), languageFilter),
    errors.el, list, empty);

  function drawTabs() {
    for (const [name, button] of tabButtons) {
      button.setAttribute('aria-pressed', String(name === kind));
      // The removed queue has no count (docs/protocol.md): its tab is a plain name.
      if (name === 'removed') label(button, 'console.kind.removed');
      else label(button, `console.kind.${name}`, { count: counts ? counts[name] : 0 });
    }
  }

  function drawQuestionFilter() {
    const chosen = questionFilter.value;
    replaceChildren(questionFilter, h('option', { value: '', t: 'console.allQuestions' }),
      store.state.questions.discussion.map((q) => h('option', { value: q.id, t: 'screen.questionShort',
        tArgs: { number: q.number } })));
    questionFilter.value = chosen;
  }

  function matchesFilters(comment) {
    return (!questionFilter.value || comment.question_id === Number(questionFilter.value))
      && (!languageFilter.value || comment.lang === languageFilter.value);
  }

  /** Whether a comment belongs in the queue shown now. */
  function belongs(comment, flags) {
    if (!matchesFilters(comment)) return false;
    if (kind === 'pending') return comment.status === 'pending';
    if (kind === 'flagged') return flags.count > 0 && ['published', 'hidden'].includes(comment.status);
    if (kind === 'removed') return ['hidden', 'rejected'].includes(comment.status);
    return comment.status === 'published';
  }

  function ordered() {
    const all = [...items.values()].sort((a, b) => a.comment.id - b.comment.id);
    return kind === 'recent' || kind === 'removed' ? all.reverse() : all;
  }

  function questionNumber(id) {
    return store.state.questions.discussion.find((q) => q.id === id)?.number ?? null;
  }

  const itemContext = {
    questionNumber,
    decide: (view, action) => decide(view, action),
    toggleClaim: (view) => toggleClaim(view),
    onSpotlight: (comment, how) => onSpotlight(comment, how),
    onAuthor: (comment) => onAuthor(comment),
    onEdit: (comment) => onEdit(comment),
    select: (id) => select(id, { focus: false }),
  };

  function draw() {
    drawTabs();
    const wanted = ordered();
    for (const [id, view] of views) {
      if (!items.has(id)) {
        view.article.parentElement?.remove();
        views.delete(id);
      }
    }
    wanted.forEach((item, position) => {
      let view = views.get(item.comment.id);
      if (!view) {
        view = createQueueItemView(item, itemContext);
        views.set(item.comment.id, view);
        h('li', {}, view.article);
      } else if (view.item !== item) {
        view.item = item;
        view.draw();
      }
      const li = view.article.parentElement;
      if (list.children[position] !== li) list.insertBefore(li, list.children[position] ?? null);
    });
    empty.hidden = wanted.length > 0;
    if (selectedId !== null && !items.has(selectedId)) selectedId = null;
    // Someone is always on an item: the first that arrives in an empty queue opens.
    selectedId ??= wanted[0]?.comment.id ?? null;
    for (const [id, view] of views) view.setSelected(id === selectedId);
  }

  function put(item) {
    if (belongs(item.comment, item.flags)) items.set(item.comment.id, item);
    else removeItem(item.comment.id);
  }

  /** Take an item out; if it was selected, the one that took its place is selected. */
  function removeItem(id) {
    if (!items.has(id)) return;
    const order = ordered().map((item) => item.comment.id);
    const at = order.indexOf(id);
    items.delete(id);
    if (selectedId === id) {
      const rest = order.filter((other) => other !== id);
      const next = rest[Math.min(at, rest.length - 1)] ?? null;
      selectedId = next;
      if (next !== null && document.activeElement?.closest?.('.queue-item')) {
        queueMicrotask(() => views.get(next)?.article.focus());
      }
    }
  }

  function applyEvent(event) {
    const data = event.data ?? {};
    if (data.queue && event.seq > countsSeq) {
      counts = data.queue;
      countsSeq = event.seq;
    }
    const known = items.get(data.comment_id ?? data.comment?.id);
    if (event.type === 'comment.flagged') {
      const comment = known?.comment ?? store.state.comments[data.comment_id];
      if (comment) put({ comment, flags: data.flags, claim: known?.claim ?? null });
    } else if (event.type === 'comment.claimed' || event.type === 'comment.released') {
      if (known) items.set(known.comment.id, { ...known, claim: data.claim });
    } else if (data.comment && event.type.startsWith('comment.')) {
      // A decision releases the claim; an author's edit keeps it.
      put({ comment: data.comment, flags: data.flags ?? known?.flags ?? NO_FLAGS,
        claim: data.decision ? null : known?.claim ?? null });
    }
  }

  async function load() {
    const query = new URLSearchParams({ kind, limit: String(PAGE_LIMIT) });
    if (questionFilter.value) query.set('question_id', questionFilter.value);
    if (languageFilter.value) query.set('lang', languageFilter.value);
    const waiting = [];
    loading = waiting;
    const page = await run(null, errors, () => api.get(`/spaces/${slug}/queue?${query}`));
    if (loading !== waiting) return; // another load started since
    loading = null;
    if (!page) return;
    items = new Map(page.items.map((item) => [item.comment.id, item]));
    if (page.seq >= countsSeq) {
      counts = page.counts;
      countsSeq = page.seq;
    }
    for (const event of waiting) if (event.seq > page.seq) applyEvent(event);
    if (!items.has(selectedId)) selectedId = ordered()[0]?.comment.id ?? null;
    draw();
  }

  function switchKind(next) {
    kind = next;
    items = new Map();
    selectedId = null;
    draw();
    load();
  }

  function select(id, { focus = true } = {}) {
    if (!items.has(id)) return;
    selectedId = id;
    draw();
    if (focus) views.get(id)?.article.focus();
  }

  function move(step) {
    const order = ordered().map((item) => item.comment.id);
    if (!order.length) return;
    const at = order.indexOf(selectedId);
    const next = at === -1 ? 0 : Math.max(0, Math.min(order.length - 1, at + step));
    select(order[next]);
  }

  async function decide(view, action) {
    const { comment } = view.item;
    const body = decisionBody(view, action, comment.status);
    if (!body) return;
    const button = view.article.querySelector(`[data-action="${action}"]`);
    const decided = await run(button, view.errors, () => api.post(`/comments/${comment.id}/decisions`, body));
    if (!decided) return;
    say(`console.done.${action}`);
    const known = items.get(comment.id);
    if (known) put({ comment: decided, flags: action === 'dismiss_flags' ? NO_FLAGS : known.flags, claim: null });
    draw();
  }

  async function toggleClaim(view) {
    const { comment, claim } = view.item;
    const mine = liveClaim(claim)?.moderator.id === currentUser()?.id;
    const button = view.article.querySelector('.claim-button');
    const result = await run(button, view.errors,
      () => (mine ? api.delete(`/comments/${comment.id}/claim`) : api.post(`/comments/${comment.id}/claim`)));
    if (!result) return;
    const known = items.get(comment.id);
    if (known) items.set(comment.id, { ...known, claim: result.claim });
    draw();
  }

  /** The console's keyboard shortcuts; nothing fires while the moderator types in a field. */
  function onKey(event) {
    if (event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
    const name = SHORTCUTS.find(([key]) => key === event.key)?.[1];
    if (!name) return;
    event.preventDefault();
    if (name === 'next') return move(1);
    if (name === 'previous') return move(-1);
    const view = views.get(selectedId);
    if (!view) return;
    if (name === 'claim') return toggleClaim(view);
    if (name === 'spotlight') {
      if (view.item.comment.status === 'published') onSpotlight(view.item.comment, 'now');
      return;
    }
    const action = name;
    if (decisions(view.item).includes(action)) decide(view, action);
  }

  document.addEventListener('keydown', onKey);
  const claimTimer = setInterval(() => { for (const view of views.values()) view.draw(); }, CLAIM_REFRESH_MS);
  const recentTimer = setInterval(() => { if (kind === 'recent' && !loading) load(); }, RECENT_REFRESH_MS);
  drawTabs();
  drawQuestionFilter();
  load();

  return {
    el,
    onSnapshot() {
      drawQuestionFilter();
      load(); // after a resync the counts and items may have moved on
    },
    onEvents(events) {
      if (events.some((e) => e.type.startsWith('question.'))) drawQuestionFilter();
      for (const event of events) {
        if (loading) loading.push(event);
        else applyEvent(event);
      }
      draw();
    },
    dispose() {
      document.removeEventListener('keydown', onKey);
      clearInterval(claimTimer);
      clearInterval(recentTimer);
    },
  };
}
