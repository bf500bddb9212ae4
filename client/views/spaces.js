/** The list of spaces (consultations) the reader may see. */
import { api } from '../api.js';
import { h, replaceChildren } from '../dom.js';
import { errorKey } from '../errors.js';
import { formatDateTime } from '../i18n.js';
import { links } from '../router.js';

/** The catalogue key of a space's status as readers see it. */
export function statusKey(space) {
  if (space.status === 'open') return space.accepting_input ? 'space.status.open' : 'space.status.notAccepting';
  return `space.status.${space.status}`;
}

function card(space) {
  const headingId = `space-${space.slug}`;
  return h('li', { class: 'space-card' },
    h('article', { 'aria-labelledby': headingId },
      h('h2', { id: headingId }, h('a', { href: links.space(space.slug) }, space.title)),
      h('p', { class: 'space-card-meta' },
        h('span', { class: `badge badge-${space.status}`, t: statusKey(space) }), ' ',
        h('span', { t: 'spaces.languages', tArgs: { languages: space.languages.map((l) => l.toUpperCase())
          .join(' · ') } }),
        space.closes_at ? [' ', h('span', { t: 'spaces.closesAt', tArgs: { date: formatDateTime(space.closes_at) } })]
          : null),
      h('p', { class: 'space-card-links' },
        h('a', { href: links.space(space.slug), t: 'spaces.open' }), ' ',
        h('a', { href: links.screen(space.slug), t: 'spaces.screen' }))));
}

export function mountSpaces(container) {
  let disposed = false;
  document.title = 'Roundtable';
  const list = h('ul', { class: 'space-list' });
  replaceChildren(container, h('h1', { t: 'spaces.title' }), h('p', { class: 'lead', t: 'spaces.intro' }),
    h('p', { class: 'hint', role: 'status', t: 'common.loading' }));
  api.get('/spaces').then(({ items }) => {
    if (disposed) return;
    replaceChildren(list, items.map(card));
    replaceChildren(container, h('h1', { t: 'spaces.title' }), h('p', { class: 'lead', t: 'spaces.intro' }),
      items.length ? list : h('p', { class: 'hint', t: 'spaces.empty' }));
  }).catch((error) => {
    if (disposed) return;
    replaceChildren(container, h('h1', { t: 'spaces.title' }), h('p', { class: 'form-error', role: 'alert',
      t: errorKey(error) }));
  });
  return { unmount() { disposed = true; } };
}
