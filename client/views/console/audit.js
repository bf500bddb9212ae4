/**
 * The live audit log: the newest entries from `GET …/audit`, then every
 * moderators' event's `audit` entry as it comes; CSV and JSON downloads.
 */
import { api } from '../../api.js';
import { h, replaceChildren } from '../../dom.js';
import { errorLine, panel, run } from './common.js';
import { reasonText } from '../../reasons.js';

// What the console keeps on the page; the downloads have every entry.
const AUDIT_SHOWN = 100;

/** @param {{slug: string}} options */
export function createAuditPanel({ slug }) {
  const errors = errorLine();
  /** @type {Map<number, object>} */
  const entries = new Map();
  const list = h('ol', { class: 'audit-list' });
  const el = panel('audit', 'console.auditTitle',
    h('p', { class: 'audit-exports' },
      h('a', { href: `/api/v1/spaces/${slug}/audit?format=csv`, download: '', t: 'console.auditCsv' }), ' ',
      h('a', { href: `/api/v1/spaces/${slug}/audit?format=json`, download: '', t: 'console.auditJson' })),
    list, errors.el);

  function draw() {
    const newest = [...entries.values()].sort((a, b) => b.id - a.id).slice(0, AUDIT_SHOWN);
    for (const id of entries.keys()) if (!newest.some((e) => e.id === id)) entries.delete(id);
    replaceChildren(list, newest.length ? newest.map((entry) => h('li', { class: 'audit-entry',
      'data-action': entry.action },
    h('time', { datetime: entry.at, 'data-i18n-date': entry.at }), ' ',
    h('span', { class: 'audit-actor' }, entry.actor_name ?? '—'), ' ',
    h('code', { class: 'audit-action' }, entry.action), ' ',
    h('span', { class: 'audit-target' }, `${entry.target_type}${entry.target_id ? ` #${entry.target_id}` : ''}`),
    entry.reason ? [' · ', reasonText(entry.reason)] : null,
    entry.note ? [' · ', h('q', {}, entry.note)] : null)) : h('li', { class: 'hint', t: 'console.auditEmpty' }));
  }

  async function load() {
    const page = await run(null, errors, () => api.get(`/spaces/${slug}/audit?limit=50`));
    if (!page) return;
    for (const entry of page.items) entries.set(entry.id, entry);
    draw();
  }

  load();
  return {
    el,
    onEvents(events) {
      let added = false;
      for (const event of events) {
        if (event.data?.audit) {
          entries.set(event.data.audit.id, event.data.audit);
          added = true;
        }
      }
      if (added) draw();
    },
  };
}
