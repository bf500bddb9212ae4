/**
 * The live audit log, in words: the newest entries from `GET …/audit` with the
 * chosen filters (action, moderator, target, reason, time), then every
 * moderators' event's `audit` entry that matches them as it comes; CSV and JSON
 * downloads of every matching entry (the same filters in their addresses).
 */
import { api } from '../../api.js';
import { h, replaceChildren } from '../../dom.js';
import { onLanguageChange, t } from '../../i18n.js';
import { AUDIT_ACTIONS, AUDIT_REASONS, AUDIT_TARGETS, actionWords, auditLine } from './audit_words.js';
import { errorLine, field, isoFromLocal, panel, run } from './common.js';

// What the console keeps on the page; "Older entries" and the downloads reach the rest.
const AUDIT_SHOWN = 100;
const PAGE_SIZE = 50;

function anyOption() {
  return h('option', { value: '', t: 'console.auditAny' });
}

/** @param {{slug: string, store: object}} options */
export function createAuditPanel({ slug, store }) {
  const errors = errorLine();
  /** @type {Map<number, object>} */
  const entries = new Map();
  let nextCursor = null;
  const action = h('select', { name: 'audit-action' });
  const moderator = h('select', { name: 'audit-moderator' });
  const targetType = h('select', { name: 'audit-target' }, anyOption());
  const targetId = h('input', { type: 'number', name: 'audit-target-id', min: 1, step: 1 });
  const reason = h('select', { name: 'audit-reason' });
  const since = h('input', { type: 'datetime-local', name: 'audit-since' });
  const until = h('input', { type: 'datetime-local', name: 'audit-until' });
  const apply = h('button', { type: 'submit', t: 'console.auditApply' });
  const reset = h('button', { type: 'reset', class: 'secondary', t: 'console.auditReset' });
  const form = h('form', { class: 'console-form audit-filters' },
    h('div', { class: 'form-grid' },
      field('console.auditFilter.action', action), field('console.auditFilter.moderator', moderator),
      field('console.auditFilter.target', targetType), field('console.auditFilter.targetId', targetId),
      field('console.auditFilter.reason', reason), field('console.auditFilter.since', since),
      field('console.auditFilter.until', until)),
    h('div', { class: 'button-row' }, apply, reset));
  const csv = h('a', { download: '', t: 'console.auditCsv' });
  const json = h('a', { download: '', t: 'console.auditJson' });
  const list = h('ol', { class: 'audit-list' });
  const more = h('button', { type: 'button', class: 'secondary', t: 'console.auditMore', hidden: true });
  const el = panel('audit', 'console.auditTitle',
    h('details', { class: 'audit-filter-box' }, h('summary', { t: 'console.auditFilters' }), form),
    h('p', { class: 'audit-exports' }, csv, ' ', json), list, more, errors.el);

  /** The filters as the API's query parameters (only those set). */
  function filters() {
    const query = new URLSearchParams();
    const set = (name, value) => { if (value) query.set(name, value); };
    set('action', action.value);
    set('actor_id', moderator.value);
    set('target_type', targetType.value);
    set('target_id', targetId.value);
    set('reason', reason.value);
    set('since', isoFromLocal(since.value));
    set('until', isoFromLocal(until.value));
    return query;
  }

  /** Whether a live entry belongs in the list the filters show. */
  function matches(entry) {
    const query = filters();
    const at = Date.parse(entry.at);
    return (!query.has('action') || entry.action === query.get('action'))
      && (!query.has('actor_id') || entry.actor_id === Number(query.get('actor_id')))
      && (!query.has('target_type') || entry.target_type === query.get('target_type'))
      && (!query.has('target_id') || entry.target_id === Number(query.get('target_id')))
      && (!query.has('reason') || entry.reason === query.get('reason'))
      && (!query.has('since') || at >= Date.parse(query.get('since')))
      && (!query.has('until') || at < Date.parse(query.get('until')));
  }

  function drawChoices() {
    const chosen = [action.value, moderator.value, targetType.value, reason.value];
    replaceChildren(action, anyOption(), AUDIT_ACTIONS.map((a) => h('option', { value: a.action }, actionWords(a))));
    const people = new Map((store.state.space?.moderators ?? []).map((m) => [m.id, m.display_name]));
    for (const entry of entries.values()) if (entry.actor_id) people.set(entry.actor_id, entry.actor_name);
    replaceChildren(moderator, anyOption(),
      [...people].map(([id, name]) => h('option', { value: id }, name)));
    replaceChildren(targetType, anyOption(),
      AUDIT_TARGETS.map((type) => h('option', { value: type }, t(`console.auditTargetAny.${type}`))));
    replaceChildren(reason, anyOption(), AUDIT_REASONS.map((code) => h('option', { value: code },
      t(`reason.${code}.name`))));
    [action.value, moderator.value, targetType.value, reason.value] = chosen;
  }

  function draw() {
    const newest = [...entries.values()].sort((a, b) => b.id - a.id).slice(0, AUDIT_SHOWN);
    for (const id of entries.keys()) if (!newest.some((e) => e.id === id)) entries.delete(id);
    replaceChildren(list, newest.length ? newest.map(auditLine) : h('li', { class: 'hint', t: 'console.auditEmpty' }));
    more.hidden = !nextCursor || entries.size >= AUDIT_SHOWN;
    const query = filters();
    for (const [link, format] of [[csv, 'csv'], [json, 'json']]) {
      query.set('format', format);
      link.href = `/api/v1/spaces/${slug}/audit?${query}`;
    }
  }

  let loading = 0;
  async function load({ older = false } = {}) {
    const query = filters();
    query.set('limit', String(PAGE_SIZE));
    if (older && nextCursor) query.set('cursor', nextCursor);
    const mine = ++loading;
    const page = await run(older ? more : apply, errors, () => api.get(`/spaces/${slug}/audit?${query}`));
    if (!page || mine !== loading) return;
    if (!older) entries.clear();
    for (const entry of page.items) entries.set(entry.id, entry);
    nextCursor = page.next_cursor;
    drawChoices();
    draw();
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    load();
  });
  // The form's own reset empties the fields after this handler: load once they are empty.
  form.addEventListener('reset', () => setTimeout(load));
  more.addEventListener('click', () => load({ older: true }));
  const stopLanguage = onLanguageChange(() => {
    drawChoices();
    draw();
  });

  drawChoices();
  load();
  return {
    el,
    onEvents(events) {
      let added = false;
      for (const event of events) {
        const entry = event.data?.audit;
        if (entry && matches(entry)) {
          entries.set(entry.id, entry);
          added = true;
        }
      }
      if (added) draw();
    },
    dispose: stopLanguage,
  };
}
