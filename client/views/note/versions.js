/** The note's versions, and a line-by-line diff between any two of them (the server's unified diff). */
import { api } from '../../api.js';
import { h, replaceChildren } from '../../dom.js';
import { errorKey } from '../../errors.js';
import { formatDateTime } from '../../i18n.js';

const LINE_CLASS = { '+': 'diff-added', '-': 'diff-removed', '@': 'diff-hunk' };

function diffView(diff) {
  if (!diff) return h('p', { class: 'hint', t: 'note.diffSame' });
  return h('pre', { class: 'note-diff' }, diff.split('\n').map((line) => {
    const kind = line.startsWith('+++') || line.startsWith('---') ? null : LINE_CLASS[line[0]];
    // Added and removed lines say so in words too, for readers who do not see the colours.
    const label = kind === 'diff-added' ? 'note.diffAdded' : kind === 'diff-removed' ? 'note.diffRemoved' : null;
    return h('span', { class: kind ?? undefined }, label ? h('span', { class: 'visually-hidden', t: label }) : null,
      line, '\n');
  }));
}

export function versionsView(path, versions) {
  const output = h('div', { 'aria-live': 'polite' });
  const picker = (key, selected) => h('label', {}, h('span', { t: key }), ' ', h('select', {},
    versions.map((v) => h('option', { value: v.version, selected: v.version === selected }, String(v.version)))));
  const newest = versions[0]?.version;
  const from = picker('note.diffFrom', versions[1]?.version ?? newest);
  const to = picker('note.diffTo', newest);
  async function compare() {
    try {
      const params = new URLSearchParams({ from: from.querySelector('select').value,
        to: to.querySelector('select').value });
      replaceChildren(output, diffView((await api.get(`${path}/diff?${params}`)).diff));
    } catch (error) {
      replaceChildren(output, h('p', { class: 'form-error', t: errorKey(error) }));
    }
  }
  return h('section', { class: 'note-versions', 'aria-labelledby': 'note-versions-title' },
    h('h2', { id: 'note-versions-title', t: 'note.versions' }),
    h('ul', {}, versions.map((v) => h('li', { t: 'note.versionLine', tArgs: { version: v.version,
      date: formatDateTime(v.saved_at), author: v.saved_by ?? '', words: v.words } }))),
    versions.length > 1 ? h('p', {}, from, ' ', to, ' ',
      h('button', { type: 'button', t: 'note.compare', on: { click: compare } })) : null,
    output);
}
