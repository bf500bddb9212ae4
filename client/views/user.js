/**
 * A participant's public profile, where @mentions lead: the name and organisation shown
 * with their comments and the handle others mention them by.
 */
import { api, ApiError } from '../api.js';
import { h, replaceChildren } from '../dom.js';
import { errorKey } from '../errors.js';
import { links } from '../router.js';
import { currentUser } from '../session.js';

/**
 * @param {HTMLElement} container
 * @param {{handle: string}} route
 */
export function mountUser(container, { handle }) {
  let disposed = false;
  replaceChildren(container, h('p', { class: 'hint', role: 'status', t: 'common.loading' }));
  api.get(`/users/${encodeURIComponent(handle)}`).then((person) => {
    if (disposed) return;
    document.title = `${person.display_name} · Roundtable`;
    const me = currentUser();
    replaceChildren(container, h('article', { class: 'user-profile', 'aria-labelledby': 'user-name' },
      h('p', { class: 'breadcrumb' }, h('a', { href: links.spaces(), t: 'nav.spaces' })),
      h('h1', { id: 'user-name' }, h('bdi', {}, person.display_name)),
      h('dl', { class: 'user-facts' },
        h('dt', { t: 'account.profileHandle' }), h('dd', {}, h('bdi', {}, `@${person.handle}`)),
        h('dt', { t: 'account.profileAffiliation' }),
        person.affiliation ? h('dd', {}, h('bdi', {}, person.affiliation))
          : h('dd', { class: 'hint', t: 'account.profileNoAffiliation' })),
      h('p', { class: 'hint', t: 'account.profileMentionHint', tArgs: { handle: person.handle } }),
      me?.id === person.id ? h('p', {}, h('a', { href: links.profile(), t: 'account.profileEditOwn' })) : null));
  }).catch((error) => {
    if (disposed) return;
    const missing = error instanceof ApiError && error.code === 'user_not_found';
    replaceChildren(container,
      h('h1', { t: missing ? 'account.profileNotFound' : 'error.generic' }),
      missing ? null : h('p', { class: 'form-error', role: 'alert', t: errorKey(error) }),
      h('p', {}, h('a', { href: links.spaces(), t: 'nav.spaces' })));
  });
  return { unmount() { disposed = true; } };
}
