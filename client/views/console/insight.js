/**
 * The console's Insight panel: the space's statistics as captioned tables, its themes per
 * question (insight_themes.js) and the comments written in another language than the one they
 * were posted under. The numbers come from the snapshot and the server's coalesced `statistics`
 * messages, the mismatches from the comments the live store holds: never a fetch per comment.
 */
import { h, replaceChildren } from '../../dom.js';
import { formatNumber, formatTime } from '../../i18n.js';
import { links } from '../../router.js';
import { languageTag } from '../comment.js';
import { excerpt, panel, questionName } from './common.js';
import { createThemesSection } from './insight_themes.js';

// Moderation outcomes in the order a moderator reads them: what is up, what waits, what went.
const OUTCOMES = ['published', 'pending', 'hidden_by_moderators', 'hidden_by_flags', 'rejected',
  'deleted_by_authors'];
/**
 * A table with a caption: `columns` are catalogue keys (the first heads the row names), each row
 * `[name, ...numbers]`; no rows gives one saying there is nothing yet.
 */
function table(className, captionKey, columns, rows, captionArgs) {
  const body = rows.length ? rows.map(([name, ...values]) => h('tr', {}, h('th', { scope: 'row' }, name),
    values.map((value) => h('td', { class: 'num' }, formatNumber(value)))))
    : h('tr', {}, h('td', { colspan: columns.length, class: 'hint', t: 'console.insight.noneYet' }));
  return h('table', { class: `insight-table ${className}` },
    h('caption', { t: captionKey, tArgs: captionArgs }),
    h('thead', {}, h('tr', {}, columns.map((key, index) => h('th', { scope: 'col', class: index ? 'num' : null,
      t: key })))),
    h('tbody', {}, body));
}

function totalsTable(totals) {
  const rows = [['comments', totals.comments], ['replies', totals.replies], ['participants', totals.participants],
    ['supports', totals.supports], ['maxDepth', totals.max_depth]];
  return table('insight-totals', 'console.insight.totals', ['console.insight.measure', 'console.insight.count'],
    rows.map(([key, value]) => [h('span', { t: `console.insight.${key}` }), value]));
}

function questionsTable(state, statistics) {
  const themes = new Map(statistics.themes.map((q) => [q.question_id, q.themes]));
  return table('insight-questions', 'console.insight.perQuestion', ['console.insight.question',
    'console.insight.comments', 'console.insight.replies', 'console.insight.participants',
    'console.insight.supports', 'console.insight.themes'],
  statistics.questions.map((q) => [questionName(state, q.question_id), q.comments, q.replies, q.participants,
    q.supports, themes.get(q.question_id) ?? 0]));
}

function minutesTable(perMinute) {
  const busy = perMinute.filter((m) => m.comments > 0);
  const total = busy.reduce((sum, m) => sum + m.comments, 0);
  return table('insight-minutes', 'console.insight.perMinute', ['console.insight.minute',
    'console.insight.comments'],
  busy.map((m) => [h('time', { datetime: m.minute }, formatTime(new Date(m.minute))), m.comments]), { count: total });
}

function mostSupported(state, slug, comments) {
  return h('section', { class: 'insight-supported', 'aria-labelledby': 'insight-supported-title' },
    h('h3', { id: 'insight-supported-title', t: 'console.insight.mostSupported' }),
    comments.length ? h('ol', {}, comments.map((c) => h('li', { 'data-comment-id': c.id },
      h('a', { href: links.question(slug, c.question_id) }, h('bdi', {}, excerpt(c.excerpt))), ' ',
      h('span', { class: 'hint' }, '— ', h('bdi', {}, c.author_name), ' · ', questionName(state, c.question_id),
        ' · ', h('span', { t: 'console.insight.supportCount', tArgs: { count: c.support_count } })))))
      : h('p', { class: 'hint', t: 'console.insight.noneYet' }));
}

function statisticsTables(state, slug, statistics) {
  return [
    totalsTable(statistics.totals),
    questionsTable(state, statistics),
    table('insight-languages', 'console.insight.languages', ['console.insight.language', 'console.insight.comments',
      'console.insight.participants'], statistics.languages.map((l) => [languageTag(l.lang), l.comments,
      l.participants])),
    table('insight-affiliations', 'console.insight.affiliations', ['console.insight.affiliation',
      'console.insight.comments', 'console.insight.participants'],
    statistics.affiliations.map((a) => [h('bdi', {}, a.affiliation), a.comments, a.participants])),
    table('insight-depths', 'console.insight.depths', ['console.insight.depth', 'console.insight.comments'],
      statistics.depths.map((d) => [d.depth ? h('span', { t: 'console.insight.replyDepth', tArgs: { depth: d.depth } })
        : h('span', { t: 'console.insight.onQuestion' }), d.comments])),
    statistics.moderation ? table('insight-outcomes', 'console.insight.outcomes', ['console.insight.outcome',
      'console.insight.comments'], OUTCOMES.map((key) => [h('span', { t: `console.insight.outcome.${key}` }),
      statistics.moderation[key]])) : null,
    mostSupported(state, slug, statistics.most_supported),
    minutesTable(statistics.per_minute),
  ];
}

/** Comments whose primary detected language is not the one they were posted under, newest first. */
export function mismatchedComments(state) {
  return Object.values(state.comments)
    .filter((c) => c.language_check?.mismatch && c.status !== 'deleted' && c.body !== null)
    .sort((a, b) => b.id - a.id);
}

function mismatchList(state, slug) {
  const found = mismatchedComments(state);
  return [
    found.length ? h('ul', { class: 'insight-mismatch-list' }, found.map((c) => h('li', { 'data-comment-id': c.id },
      h('span', { class: 'insight-mismatch-langs' }, h('span', { t: 'console.insight.declared' }), ' ',
        languageTag(c.lang), ' ', h('span', { t: 'console.insight.detected' }), ' ',
        languageTag(c.language_check.detected[0])), ' ',
      h('a', { href: links.question(slug, c.question_id), lang: c.language_check.detected[0] },
        h('bdi', {}, excerpt(c.body))), ' ',
      h('span', { class: 'hint' }, '— ', questionName(state, c.question_id)))))
      : h('p', { class: 'hint', t: 'console.insight.noMismatches' }),
    state.commentsComplete ? null : h('p', { class: 'hint', t: 'console.insight.mismatchesRecent' }),
  ];
}

/**
 * @param {{slug: string, store: object, say: (key: string) => void}} options
 */
export function createInsightPanel({ slug, store, say }) {
  const numbers = h('div', { class: 'insight-statistics' });
  const mismatches = h('div', { class: 'insight-mismatches' });
  const themes = createThemesSection({ slug, store, say });
  const el = panel('insight', 'console.insight.title',
    h('section', { 'aria-labelledby': 'insight-statistics-title' },
      h('h3', { id: 'insight-statistics-title', t: 'console.insight.statistics' }), numbers),
    themes.el,
    h('section', { 'aria-labelledby': 'insight-mismatches-title' },
      h('h3', { id: 'insight-mismatches-title', t: 'console.insight.mismatches' }),
      h('p', { class: 'hint', t: 'console.insight.mismatchesHint' }), mismatches));

  function drawStatistics() {
    const { statistics } = store.state;
    replaceChildren(numbers, statistics ? statisticsTables(store.state, slug, statistics)
      : h('p', { class: 'hint', role: 'status', t: 'common.loading' }));
  }

  function drawMismatches() {
    replaceChildren(mismatches, mismatchList(store.state, slug));
  }

  return {
    el,
    onSnapshot() {
      drawStatistics();
      drawMismatches();
      themes.onSnapshot();
    },
    onStatistics: drawStatistics,
    onEvents(events) {
      if (events.some((e) => e.data?.comment)) drawMismatches();
      themes.onEvents(events);
    },
  };
}
