/**
 * Invitation links of the space: create one (its link is shown once: the
 * server keeps only its token's hash), list them with their state and uses, revoke one.
 * Kept live by `invitation.created`, `invitation.revoked` and, for the uses,
 * `participant.invited`.
 */
import { api } from '../../api.js';
import { h, replaceChildren } from '../../dom.js';
import { links } from '../../router.js';
import { errorLine, field, isoFromLocal, panel, run } from './common.js';

/** @param {{slug: string, say: (key: string) => void}} options */
export function createInvitationsPanel({ slug, say }) {
  const errors = errorLine();
  const name = h('input', { type: 'text', name: 'invitation-label', maxlength: 200 });
  const expires = h('input', { type: 'datetime-local', name: 'invitation-expires' });
  const uses = h('input', { type: 'number', name: 'invitation-uses', min: 1, max: 10000, step: 1 });
  const create = h('button', { type: 'submit', t: 'console.invitationCreate' });
  const created = h('div', { class: 'invitation-created', hidden: true });
  const list = h('ul', { class: 'invitation-list' });
  const form = h('form', { class: 'console-form' }, field('console.invitationLabel', name),
    h('div', { class: 'form-grid' }, field('console.invitationExpires', expires),
      field('console.invitationUses', uses)), create);
  const el = panel('invitations', 'console.invitationsTitle', list,
    h('details', { class: 'new-invitation' }, h('summary', { t: 'console.invitationNew' }), form),
    created, errors.el);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = { label: name.value.trim() };
    if (expires.value) body.expires_at = isoFromLocal(expires.value);
    if (uses.value) body.max_uses = Number(uses.value);
    const invitation = await run(create, errors, () => api.post(`/spaces/${slug}/invitations`, body));
    if (!invitation) return undefined;
    form.reset();
    // The link an invitee opens (client/views/invitation.js); the server keeps only the token's hash.
    const address = new URL(links.invitation(invitation.token), location.href).href;
    const token = h('input', { type: 'text', readonly: true, class: 'invitation-token', value: address,
      tAttrs: { 'aria-label': 'console.invitationToken' } });
    replaceChildren(created, h('p', { t: 'console.invitationOnce', tArgs: { name: invitation.label || '—' } }), token);
    created.hidden = false;
    token.select();
    say('console.invitationCreated');
    return refresh();
  });

  async function refresh() {
    const result = await run(null, errors, () => api.get(`/spaces/${slug}/invitations`));
    if (!result) return;
    replaceChildren(list, result.items.length ? result.items.map((invitation) => {
      const revoke = invitation.state === 'active'
        ? h('button', { type: 'button', class: 'secondary small revoke-invitation', t: 'console.invitationRevoke',
          tAttrs: { 'aria-label': 'console.invitationRevokeLabel' }, tArgs: { name: invitation.label || '—' } })
        : null;
      revoke?.addEventListener('click', async () => {
        if (await run(revoke, errors, () => api.delete(`/spaces/${slug}/invitations/${invitation.id}`))) {
          say('console.invitationRevoked');
          refresh();
        }
      });
      return h('li', { class: 'invitation-item', 'data-state': invitation.state },
        h('strong', {}, invitation.label || '—'), ' ',
        h('span', { class: `badge badge-invitation-${invitation.state}`,
          t: `console.invitationState.${invitation.state}` }), ' ',
        h('span', { class: 'hint', t: invitation.max_uses ? 'console.invitationUsesOf' : 'console.invitationUsed',
          tArgs: { count: invitation.uses, max: invitation.max_uses ?? 0 } }),
        invitation.expires_at ? [' · ', h('span', { class: 'hint', t: 'console.invitationUntil' }), ' ',
          h('time', { datetime: invitation.expires_at, 'data-i18n-date': invitation.expires_at })] : null,
        ' ', revoke);
    }) : h('li', { class: 'hint', t: 'console.noInvitations' }));
  }

  refresh();
  return {
    el,
    onEvents(events) {
      const types = ['invitation.created', 'invitation.revoked', 'participant.invited'];
      if (events.some((e) => types.includes(e.type))) refresh();
    },
  };
}
