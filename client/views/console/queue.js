/**
 * The moderators' queues — pending, flagged, recent — with their counts kept live
 * as docs/protocol.md "Queues and keeping counts live" says: counts and seq from
 * `GET …/queue`, then the `queue` of every later event. Items follow the
 * `comment.*`, `comment.flagged`, `comment.claimed` and `comment.released` events.
 *
 * One item is selected; keyboard shortcuts act on it (see SHORTCUTS).
 */
import { api } from '../../api.js';
import { h, replaceChildren, setSanitisedHtml } from '../../dom.js';
import { formatTime, label } from '../../i18n.js';
import { REMOVAL_REASONS, reasonSelect, reasonText } from '../../reasons.js';
import { currentUser } from '../../session.js';
import { authorLine, languageTag } from '../comment.js';
import { errorLine, run } from './common.js';

const KINDS = ['pending', 'flagged', 'recent'];
// Items a queue shows at once; a moderator works from the top.
const PAGE_LIMIT = 100;
// Claims expire without an event: redraw them this often so an expired one shows as free.
const CLAIM_REFRESH_MS = 15_000;

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
 * @param {(text: string) => void} options.say announce the result of an action
 */
export function createQueuePanel({ slug, store, space, onAuthor, onSpotlight, say }) {
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
      label(button, `console.kind.${name}`, { count: counts ? counts[name] : 0 });
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
    return comment.status === 'published';
  }

  function ordered() {
    const all = [...items.values()].sort((a, b) => a.comment.id - b.comment.id);
    return kind === 'recent' ? all.reverse() : all;
  }

  const liveClaim = (claim) => (claim && Date.parse(claim.expires_at) > Date.now() ? claim : null);

  function questionNumber(id) {
    return store.state.questions.discussion.find((q) => q.id === id)?.number ?? null;
  }

  /** The buttons a comment's status allows, in the order a moderator reads them. */
  function decisions(item) {
    const { status, pinned_at: pinned } = item.comment;
    const found = [];
    if (status === 'pending') found.push('approve', 'reject');
    if (status === 'published') found.push('hide', pinned ? 'unpin' : 'pin');
    if (status === 'hidden') found.push('restore');
    if (item.flags.count > 0 && status !== 'pending') found.push('dismiss_flags');
    if (status === 'hidden' && item.flags.count > 0) found.push('hide'); // confirm a hide by flags
    return found;
  }

  function itemView(item) {
    const { comment } = item;
    const id = `queue-item-${comment.id}`;
    const reason = reasonSelect(REMOVAL_REASONS, { id: `${id}-reason`, class: 'queue-reason' });
    const note = h('input', { id: `${id}-note`, class: 'queue-note', type: 'text', maxlength: 2000 });
    const itemErrors = errorLine();
    const claimLine = h('p', { class: 'queue-claim' });
    const flagsLine = h('p', { class: 'queue-flags' });
    const actions = h('div', { class: 'queue-actions' });
    const number = questionNumber(comment.question_id);
    const article = h('article', { class: 'queue-item', id, tabindex: '-1', 'data-comment-id': comment.id,
      'data-status': comment.status, 'aria-labelledby': `${id}-by` },
    h('header', { class: 'comment-meta' },
      h('span', { id: `${id}-by`, class: 'comment-by' }, authorLine(comment.author)),
      languageTag(comment.lang),
      number ? h('span', { class: 'queue-question', t: 'screen.questionShort', tArgs: { number } }) : null,
      h('time', { datetime: comment.created_at, 'data-i18n-date': comment.created_at }),
      h('span', { class: `badge badge-${comment.status}`, t: `console.status.${comment.status}` })),
    setSanitisedHtml(h('div', { class: 'comment-body', lang: comment.lang }), comment.html),
    flagsLine, claimLine,
    h('div', { class: 'queue-decide' },
      h('label', { for: reason.id, t: 'console.reason' }), reason,
      h('label', { for: note.id, t: 'console.note' }), note),
    actions, itemErrors.el);
    article.addEventListener('focusin', () => select(comment.id, { focus: false }));
    article.addEventListener('click', () => select(comment.id, { focus: false }));
    const view = { article, reason, note, errors: itemErrors, item };

    view.draw = () => {
      const current = view.item;
      const flags = current.flags;
      flagsLine.hidden = flags.count === 0;
      replaceChildren(flagsLine, flags.count ? [
        h('span', { t: 'console.flags', tArgs: { count: flags.count } }), ' ',
        Object.entries(flags.reasons).map(([code, n]) => [reasonText(code), ` ×${n} `]),
        flags.texts.map((text) => h('q', { class: 'flag-text' }, text)),
      ] : null);
      const claim = liveClaim(current.claim);
      const mine = claim && claim.moderator.id === currentUser()?.id;
      claimLine.hidden = !claim;
      if (claim) {
        label(claimLine, mine ? 'console.claimedByMe' : 'console.claimedBy',
          { name: claim.moderator.display_name, time: formatTime(new Date(claim.expires_at)) });
      }
      article.classList.toggle('is-claimed-by-other', Boolean(claim && !mine));
      replaceChildren(actions,
        decisions(current).map((action) => h('button', { type: 'button', class: `decide decide-${action}`,
          'data-action': action, t: `console.action.${action}`, on: { click: () => decide(view, action) } })),
        h('button', { type: 'button', class: 'secondary claim-button', t: mine ? 'console.release' : 'console.claim',
          on: { click: () => toggleClaim(view) } }),
        current.comment.status === 'published' ? [
          h('button', { type: 'button', class: 'secondary put-on-screens', t: 'console.showOnScreens',
            on: { click: () => onSpotlight(current.comment, 'now') } }),
          h('button', { type: 'button', class: 'secondary queue-for-screens', t: 'console.queueForScreens',
            on: { click: () => onSpotlight(current.comment, 'next') } }),
        ] : null,
        current.comment.author ? h('button', { type: 'button', class: 'link-button author-button',
          t: 'console.authorActions', tArgs: { name: current.comment.author.display_name },
          on: { click: () => onAuthor(current.comment) } }) : null);
    };
    view.draw();
    return view;
  }

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
        view = itemView(item);
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
    for (const [id, view] of views) {
      view.article.classList.toggle('is-selected', id === selectedId);
      if (id === selectedId) view.article.setAttribute('aria-current', 'true');
      else view.article.removeAttribute('aria-current');
    }
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
    const reason = view.reason.value || null;
    if ((action === 'reject' || action === 'hide') && !reason) {
      view.errors.showKey('console.reasonNeeded');
      view.reason.focus();
      return;
    }
    const body = { action, expected_status: comment.status };
    if (reason && action !== 'approve') body.reason = reason;
    if (view.note.value.trim()) body.note = view.note.value.trim();
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
    },
  };
}
