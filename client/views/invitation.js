/**
 * The page an invitation link opens (`#/invitation/<token>`): it names the space,
 * asks a visitor to log in or register first (and brings them back here), and joins
 * on one click. A revoked, expired or used-up link says so in words.
 */
import { api } from '../api.js';
import { h, replaceChildren } from '../dom.js';
import { errorKey } from '../errors.js';
import { links } from '../router.js';
import { currentUser } from '../session.js';

/**
 * @param {HTMLElement} container
 * @param {{token: string}} route
 */
export function mountInvitation(container, { token }) {
  let disposed = false;
  const here = location.hash;
  replaceChildren(container, h('p', { class: 'hint', role: 'status', t: 'common.loading' }));

  function refused(error) {
    replaceChildren(container, h('section', { class: 'invitation-page' },
      h('h1', { t: 'invitation.unusableTitle' }),
      h('p', { class: 'form-error', role: 'alert', t: errorKey(error) }),
      h('p', {}, h('a', { href: links.spaces(), t: 'nav.spaces' }))));
  }

  function draw(preview) {
    document.title = `${preview.title} · Roundtable`;
    const enter = h('a', { href: links.space(preview.space), t: 'invitation.enter' });
    const status = h('p', { role: 'status', class: 'invitation-status' });
    let action;
    if (!currentUser()) {
      action = h('p', { class: 'invitation-sign-in' }, h('span', { t: 'invitation.signInFirst' }), ' ',
        h('a', { href: links.login(here), t: 'account.login' }), ' · ',
        h('a', { href: links.register(here), t: 'nav.register' }));
    } else if (preview.already_invited) {
      action = h('p', {}, h('span', { t: 'invitation.alreadyIn' }), ' ', enter);
    } else {
      const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
      const join = h('button', { type: 'button', t: 'invitation.join', tArgs: { title: preview.title } });
      join.addEventListener('click', async () => {
        join.disabled = true;
        error.hidden = true;
        try {
          await api.post('/invitations/accept', { token });
        } catch (failure) {
          join.disabled = false;
          replaceChildren(error, h('span', { t: errorKey(failure) }));
          error.hidden = false;
          return;
        }
        if (disposed) return;
        replaceChildren(action, enter);
        replaceChildren(status, h('span', { t: 'invitation.joined' }));
        enter.focus();
      });
      action = h('div', {}, join, error);
    }
    replaceChildren(container, h('section', { class: 'invitation-page', 'aria-labelledby': 'invitation-title' },
      h('p', { class: 'breadcrumb', t: 'invitation.youAreInvited' }),
      h('h1', { id: 'invitation-title' }, h('bdi', {}, preview.title)),
      preview.expires_at ? h('p', { class: 'hint' }, h('span', { t: 'invitation.validUntil' }), ' ',
        h('time', { datetime: preview.expires_at, 'data-i18n-date': preview.expires_at })) : null,
      action, status));
  }

  api.post('/invitations/preview', { token }).then((preview) => {
    if (!disposed) draw(preview);
  }).catch((error) => {
    if (!disposed) refused(error);
  });
  return { unmount() { disposed = true; } };
}
