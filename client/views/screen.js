/**
 * The big-screen display: the space's title, the spotlight (what the moderators
 * put on screen) or else the active question, announcements, a wall of the
 * newest visible comments, counters and the theme cloud. Built to run all day: the live store
 * and the wall keep a bounded number of comments, and after a drop it says since
 * when it is stale, reconnects and catches up by itself.
 */
import { h, replaceChildren, setSanitisedHtml, svg, uniqueId } from '../dom.js';
import { formatNumber, formatPercent, formatTime, label, localizeAll } from '../i18n.js';
import { createSpaceStore } from '../live.js';
import { authorLine, languageTag } from './comment.js';
import { prominence } from './thread.js';
import { spotlightContent } from './console/spotlight.js';
import { themeCloud, themeCounts } from './screen_themes.js';

// Readable from the back of a room, a screen shows a few dozen comments at
// most; keeping the DOM to this many items keeps memory flat all day.
const WALL_MAX_ITEMS = 50;
// Comments the screen's live store keeps (the newest): the wall and an hour's chart
// at a busy pace, and a flat memory over a day of input.
const STORE_MAX_COMMENTS = 500;
// The chart's window and resolution: the last hour, minute by minute.
const CHART_MINUTES = 60;
const MINUTE_MS = 60_000;
// Minutes pass without events: redraw the chart (and the stale time) this often.
const REFRESH_MS = 30_000;
// Counters follow bursts of comments without redrawing on every single one.
const COUNTERS_DELAY_MS = 250;

/** The question a room is discussing: the open one with the latest comment, else the first open one. */
export function activeQuestion(state) {
  const open = state.questions.discussion.filter((q) => q.status === 'open');
  let latest = null;
  for (const comment of Object.values(state.comments)) {
    if (comment.status !== 'published' || !open.some((q) => q.id === comment.question_id)) continue;
    if (!latest || comment.id > latest.id) latest = comment;
  }
  return open.find((q) => q.id === latest?.question_id) ?? open[0] ?? state.questions.discussion[0] ?? null;
}

/** Published comments per minute, oldest minute first, over the last `minutes` minutes. */
export function perMinute(comments, now, minutes = CHART_MINUTES) {
  const buckets = new Array(minutes).fill(0);
  for (const comment of comments) {
    const age = Math.floor((now - Date.parse(comment.created_at)) / MINUTE_MS);
    if (age >= 0 && age < minutes) buckets[minutes - 1 - age] += 1;
  }
  return buckets;
}

function chart(buckets) {
  const width = 300;
  const height = 80;
  const bar = width / buckets.length;
  const top = Math.max(1, ...buckets);
  const total = buckets.reduce((a, b) => a + b, 0);
  const titleId = uniqueId('chart');
  const title = svg('title', { id: titleId, t: 'screen.chartTitle', tArgs: { count: total, max: top } });
  const bars = buckets.map((count, i) => {
    const barHeight = count ? Math.max(2, (count / top) * (height - 4)) : 0;
    return svg('rect', { class: 'chart-bar', x: (i * bar + 0.5).toFixed(1), y: (height - barHeight).toFixed(1),
      width: (bar - 1).toFixed(1), height: barHeight.toFixed(1) });
  });
  return svg('svg', { class: 'chart', viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-labelledby': titleId,
    preserveAspectRatio: 'none' },
  title,
  svg('line', { class: 'chart-axis', x1: 0, y1: height - 0.5, x2: width, y2: height - 0.5 }),
  bars);
}

/**
 * @param {HTMLElement} container
 * @param {object} options
 * @param {string} options.slug
 * @param {object} options.live the live client (connected with the screen token, if the URL has one)
 * @param {(listener: (state: string) => void) => () => void} options.onLiveState
 */
export function mountScreen(container, { slug, live, onLiveState }) {
  const title = h('h1', { class: 'screen-title' });
  const freshness = h('p', { class: 'screen-freshness', role: 'status' });
  const questionNumber = h('span', { class: 'screen-question-number' });
  const questionTitle = h('span', { class: 'screen-question-title' });
  const wall = h('ol', { class: 'wall', 'aria-labelledby': 'wall-title' });
  const online = h('p', { class: 'counter-big' });
  const perQuestion = h('ol', { class: 'counter-list' });
  const languages = h('ul', { class: 'counter-list languages' });
  const chartHolder = h('div', { class: 'chart-holder' });
  const rate = h('p', { class: 'counter-note' });
  const cloudHolder = h('div', { class: 'cloud-holder' });
  const spotlight = h('section', { class: 'screen-spotlight', hidden: true, 'aria-labelledby': 'spotlight-heading' });
  const announcements = h('ul', { class: 'screen-announcements', hidden: true, tAttrs: {
    'aria-label': 'screen.announcements' } });
  const questionSection = h('section', { class: 'screen-question', 'aria-labelledby': 'screen-question-heading' },
    h('h2', { id: 'screen-question-heading', class: 'screen-label', t: 'screen.activeQuestion' }),
    h('p', { class: 'screen-question-text' }, questionNumber, ' ', questionTitle));

  // On a 16:9 wall: the spotlight (or the question) and the wall take the wide column, so
  // comments get the height; announcements and figures share the narrow one beside them.
  const page = h('div', { class: 'screen' },
    h('header', { class: 'screen-head' }, title, freshness),
    h('div', { class: 'screen-grid' },
      h('div', { class: 'screen-main' },
        spotlight,
        questionSection,
        h('section', { class: 'screen-wall' }, h('h2', { id: 'wall-title', class: 'screen-label',
          t: 'screen.latestComments' }), wall)),
      h('div', { class: 'screen-side' },
        announcements,
        h('aside', { class: 'screen-counters', tAttrs: { 'aria-label': 'screen.counters' } },
          h('h2', { class: 'screen-label', t: 'screen.online' }), online,
          h('h2', { class: 'screen-label', t: 'screen.perQuestion' }), perQuestion,
          h('h2', { class: 'screen-label', t: 'screen.languages' }), languages,
          h('h2', { class: 'screen-label', t: 'screen.perMinute' }), chartHolder, rate),
        h('section', { class: 'screen-themes', 'aria-labelledby': 'screen-themes-title' },
          h('h2', { id: 'screen-themes-title', class: 'screen-label', t: 'screen.themes' }), cloudHolder))));
  replaceChildren(container, h('p', { class: 'screen-loading', role: 'status', t: 'common.loading' }));

  /** @type {Map<number, HTMLElement>} the wall's items by comment id (at most WALL_MAX_ITEMS) */
  const onWall = new Map();
  /** @type {Map<number, object>} the comments those items show, to keep the wall in order */
  const onWallComments = new Map();
  /** Per question: visible comments counted but not in the store (never carried, or dropped since). */
  const baseline = new Map();
  /** Published comments in the store, by id → question id: one dropped from the store moves to the baseline. */
  const carried = new Map();
  let store = null;
  let built = false;
  let staleSince = null;
  let countersTimer = null;

  function questionLabel(state, questionId) {
    const question = state.questions.discussion.find((q) => q.id === questionId);
    return question?.number ? h('span', { t: 'screen.questionShort', tArgs: { number: question.number } }) : null;
  }

  function wallItem(comment, state) {
    const body = setSanitisedHtml(h('div', { class: 'wall-body', lang: comment.lang, dir: 'auto' }), comment.html);
    return h('li', { class: `wall-item${comment.pinned_at ? ' is-pinned' : ''}${comment.moderator_answer
      ? ' is-answer' : ''}`, 'data-comment-id': comment.id },
    h('p', { class: 'wall-meta' }, languageTag(comment.lang), ' ', authorLine(comment.author),
      h('span', { class: 'wall-question' }, questionLabel(state, comment.question_id)),
      comment.pinned_at ? h('span', { class: 'badge badge-pinned', t: 'comment.pinned' }) : null,
      comment.moderator_answer ? h('span', { class: 'badge badge-answer', t: 'comment.answer' }) : null),
    body);
  }

  /** Whether `a` goes above `b` on the wall: pinned, then marked answers, then the newest. */
  function goesAbove(a, b) {
    const rank = prominence(a) - prominence(b);
    return rank ? rank < 0 : a.id > b.id;
  }

  function insertInOrder(item, comment) {
    const before = [...wall.children].find((other) => other !== item
      && goesAbove(comment, onWallComments.get(Number(other.dataset.commentId))));
    if (item.nextElementSibling !== before || item.parentElement !== wall) wall.insertBefore(item, before ?? null);
  }

  /** Put a comment on the wall, take it off, or leave the wall alone (an older one on a full wall). */
  function place(comment, state, { animate }) {
    const existing = onWall.get(comment.id);
    if (comment.status !== 'published') {
      existing?.remove();
      onWall.delete(comment.id);
      onWallComments.delete(comment.id);
      return;
    }
    if (existing) {
      const redrawn = wallItem(comment, state);
      existing.replaceWith(redrawn);
      onWall.set(comment.id, redrawn);
      onWallComments.set(comment.id, comment);
      insertInOrder(redrawn, comment); // pinned or unpinned, marked or unmarked
      return;
    }
    const oldest = Math.min(...onWall.keys());
    if (onWall.size >= WALL_MAX_ITEMS && comment.id < oldest && !prominence(comment)) return;
    const item = wallItem(comment, state);
    if (animate) item.classList.add('is-new');
    onWall.set(comment.id, item);
    onWallComments.set(comment.id, comment);
    insertInOrder(item, comment);
    while (onWall.size > WALL_MAX_ITEMS) {
      const last = wall.lastElementChild;
      onWall.delete(Number(last.dataset.commentId));
      onWallComments.delete(Number(last.dataset.commentId));
      last.remove();
    }
  }

  function rebuildWall(state) {
    wall.replaceChildren();
    onWall.clear();
    onWallComments.clear();
    const newest = Object.values(state.comments).filter((c) => c.status === 'published')
      .sort((a, b) => prominence(a) - prominence(b) || b.id - a.id).slice(0, WALL_MAX_ITEMS);
    for (const comment of newest.reverse()) place(comment, state, { animate: false });
  }

  function published(state) {
    return Object.values(state.comments).filter((c) => c.status === 'published');
  }

  function countBaselines(state) {
    const known = published(state);
    for (const [id, questionId] of carried) {
      const comment = state.comments[id];
      if (!comment) baseline.set(questionId, (baseline.get(questionId) ?? 0) + 1); // dropped, still counts
      if (!comment || comment.status !== 'published') carried.delete(id);
    }
    for (const comment of known) carried.set(comment.id, comment.question_id);
    for (const question of [...state.questions.discussion, ...state.questions.participant]) {
      if (baseline.has(question.id)) continue;
      const carried = known.filter((c) => c.question_id === question.id).length;
      baseline.set(question.id, Math.max(0, question.comment_count - carried));
    }
  }

  function drawCounters() {
    countersTimer = null;
    const state = store.state;
    const visible = published(state);
    const presence = state.presence;
    online.textContent = formatNumber(presence ? presence.participants : 0);

    const themes = themeCounts(state.statistics);
    replaceChildren(perQuestion, state.questions.discussion.map((question) => {
      const count = (baseline.get(question.id) ?? 0) + visible.filter((c) => c.question_id === question.id).length;
      return h('li', { class: question.id === activeQuestion(state)?.id ? 'is-active' : null,
        'data-question-id': question.id },
      h('span', { class: 'counter-name', t: 'screen.questionShort', tArgs: { number: question.number } }),
      themes.get(question.id) ? h('span', { class: 'counter-themes', t: 'screen.themeCount',
        tArgs: { count: themes.get(question.id) } }) : null,
      h('span', { class: 'counter-value' }, formatNumber(count)));
    }));
    replaceChildren(cloudHolder, themeCloud(state.statistics?.cloud));

    const byLanguage = new Map();
    for (const comment of visible) byLanguage.set(comment.lang, (byLanguage.get(comment.lang) ?? 0) + 1);
    const total = visible.length || 1;
    replaceChildren(languages, [...byLanguage].sort((a, b) => b[1] - a[1]).map(([code, count]) => {
      const share = h('span', { class: 'share-bar' });
      share.style.width = `${Math.round((count / total) * 100)}%`; // CSSOM, allowed by the CSP
      return h('li', {}, languageTag(code),
        h('span', { class: 'share-track' }, share),
        h('span', { class: 'counter-value' }, formatPercent(count / total)));
    }));

    const buckets = perMinute(visible, Date.now());
    replaceChildren(chartHolder, chart(buckets));
    label(rate, 'screen.lastHour', { count: buckets.reduce((a, b) => a + b, 0) });
  }

  function scheduleCounters() {
    if (!countersTimer) countersTimer = setTimeout(drawCounters, COUNTERS_DELAY_MS);
  }

  function drawHeading(state) {
    title.textContent = state.space.title;
    document.title = `${state.space.title} · Roundtable`;
    const question = activeQuestion(state);
    if (question?.number) label(questionNumber, 'question.number', { number: question.number });
    else questionNumber.textContent = '';
    questionTitle.textContent = question?.title ?? '';
  }

  /** The question a spotlighted comment answers, so the room knows what it is about. */
  function spotlightContext(state, now) {
    if (now.kind !== 'comment') return null;
    const all = [...state.questions.discussion, ...state.questions.participant];
    const question = all.find((q) => q.id === now.comment.question_id);
    if (!question) return null;
    return h('p', { class: 'spotlight-context' },
      question.number ? h('span', { class: 'spotlight-question-number', t: 'screen.questionShort',
        tArgs: { number: question.number } }) : null, ' ',
      h('bdi', { class: 'spotlight-question-title' }, question.title));
  }

  function drawSpotlight(state) {
    const now = state.spotlight?.now;
    spotlight.hidden = !now;
    questionSection.hidden = Boolean(now);
    replaceChildren(spotlight, now ? [h('h2', { id: 'spotlight-heading', class: 'screen-label',
      t: 'screen.spotlight' }), spotlightContext(state, now),
    h('div', { class: 'spotlight-item', 'data-kind': now.kind }, spotlightContent(now))] : null);
  }

  function drawAnnouncements(state) {
    announcements.hidden = state.announcements.length === 0;
    replaceChildren(announcements, state.announcements.map((a) => h('li', { class: 'screen-announcement' },
      setSanitisedHtml(h('div', { lang: a.lang ?? undefined, dir: 'auto' }), a.html))));
  }

  function drawFreshness(state) {
    if (state === 'live') {
      staleSince = null;
      label(freshness, 'screen.live');
    } else {
      staleSince ??= new Date();
      label(freshness, 'screen.staleSince', { time: formatTime(staleSince) });
    }
    page.classList.toggle('is-stale', staleSince !== null);
  }

  function onChange(state, change) {
    if (change.type === 'presence' || change.type === 'statistics') return scheduleCounters();
    if (change.type === 'snapshot') {
      if (!built) {
        built = true;
        replaceChildren(container, page);
        localizeAll(page); // built before the snapshot: the language may have changed since
      }
      baseline.clear();
      carried.clear();
      countBaselines(state);
      rebuildWall(state);
    } else {
      countBaselines(state);
      for (const event of change.events) {
        if (event.data?.comment) place(event.data.comment, state, { animate: true });
      }
    }
    drawHeading(state);
    drawSpotlight(state);
    drawAnnouncements(state);
    scheduleCounters();
    return undefined;
  }

  store = live.subscribe(slug, createSpaceStore({ maxComments: STORE_MAX_COMMENTS }));
  const stopStore = store.subscribe(onChange);
  const stopState = onLiveState(drawFreshness);
  drawFreshness(live.state);
  const refresh = setInterval(() => {
    if (built) drawCounters();
  }, REFRESH_MS);

  return {
    /** The screen token was refused (unknown or revoked): say so instead of waiting forever. */
    refused() {
      replaceChildren(container, h('h1', { class: 'screen-title', t: 'screen.refusedTitle' }),
        h('p', { class: 'screen-refused', role: 'alert', t: 'screen.refused' }));
    },
    unmount() {
      clearInterval(refresh);
      clearTimeout(countersTimer);
      stopStore();
      stopState();
      live.unsubscribe(slug);
    },
  };
}
