/** The published note as everyone reads it: its text, citation markers as numbered references to its sources. */
import { h } from '../../dom.js';
import { formatDateTime, languageName } from '../../i18n.js';

const MARKER = /\[\^c(\d+):[^\]]*\]/g;

/** The text with each citation marker replaced by `reference(commentId)`. */
export function withReferences(text, reference) {
  const parts = [];
  let at = 0;
  for (const match of text.matchAll(MARKER)) {
    parts.push(text.slice(at, match.index), reference(Number(match[1])));
    at = match.index + match[0].length;
  }
  parts.push(text.slice(at));
  return parts;
}

export function publishedView(note) {
  const numbers = new Map();
  const paragraphs = note.markdown.split(/\n\s*\n/).map((block) => {
    const heading = /^(#{1,6})\s+(.*)$/.exec(block.trim());
    if (heading) return h(`h${Math.min(heading[1].length + 1, 6)}`, {}, heading[2]);
    return h('p', {}, withReferences(block, (id) => {
      if (!numbers.has(id)) numbers.set(id, numbers.size + 1);
      return h('sup', {}, h('a', { href: `#note-source-${id}` }, String(numbers.get(id))));
    }));
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
