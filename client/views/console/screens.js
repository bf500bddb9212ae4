/**
 * Screen tokens: create one (its token and URL are shown once: the server keeps
 * only a hash), list them, revoke one (its screens go dark at once).
 */
import { api } from '../../api.js';
import { h, replaceChildren } from '../../dom.js';
import { errorLine, field, panel, run } from './common.js';

/** @param {{slug: string, say: (key: string) => void}} options */
export function createScreensPanel({ slug, say }) {
  const errors = errorLine();
  const name = h('input', { type: 'text', name: 'screen-name', maxlength: 100 });
  const create = h('button', { type: 'submit', t: 'console.screenCreate' });
  const created = h('div', { class: 'screen-created', hidden: true });
  const list = h('ul', { class: 'screen-list' });
  const form = h('form', { class: 'console-form' }, field('console.screenName', name), create);
  const el = panel('screens', 'console.screensTitle', list, form, created, errors.el);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!name.value.trim()) return errors.showKey('console.screenNameNeeded');
    const screen = await run(create, errors, () => api.post(`/spaces/${slug}/screens`, { name: name.value }));
    if (!screen) return undefined;
    name.value = '';
    const url = `${location.origin}/#/screen/${slug}?token=${encodeURIComponent(screen.token)}`;
    const link = h('input', { type: 'text', readonly: true, class: 'screen-url', value: url,
      tAttrs: { 'aria-label': 'console.screenUrl' } });
    replaceChildren(created, h('p', { t: 'console.screenOnce', tArgs: { name: screen.name } }), link,
      h('p', {}, h('a', { href: url, target: '_blank', rel: 'noopener', t: 'console.screenOpen' })));
    created.hidden = false;
    link.select();
    say('console.screenCreated');
    return refresh();
  });

  async function refresh() {
    const result = await run(null, errors, () => api.get(`/spaces/${slug}/screens`));
    if (!result) return;
    const active = result.items.filter((s) => !s.revoked_at);
    replaceChildren(list, active.length ? active.map((screen) => {
      const revoke = h('button', { type: 'button', class: 'secondary', t: 'console.screenRevoke' });
      revoke.addEventListener('click', async () => {
        if (await run(revoke, errors, () => api.delete(`/spaces/${slug}/screens/${screen.id}`))) {
          say('console.screenRevoked');
          refresh();
        }
      });
      return h('li', { class: 'screen-item' }, h('span', {}, screen.name), ' ',
        h('time', { datetime: screen.created_at, 'data-i18n-date': screen.created_at }), ' ', revoke);
    }) : h('li', { class: 'hint', t: 'console.noScreens' }));
  }

  refresh();
  return {
    el,
    onEvents(events) {
      if (events.some((e) => e.type === 'screen.created' || e.type === 'screen.revoked')) refresh();
    },
  };
}
