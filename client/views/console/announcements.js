/** Announcements: post one to everyone (screens included), dismiss it for everyone. */
import { api } from '../../api.js';
import { h, replaceChildren, setSanitisedHtml } from '../../dom.js';
import { errorLine, field, panel, run } from './common.js';

/** @param {{slug: string, store: object, say: (key: string) => void}} options */
export function createAnnouncementsPanel({ slug, store, say }) {
  const errors = errorLine();
  const body = h('textarea', { name: 'announcement', rows: 2, maxlength: 2000 });
  const post = h('button', { type: 'submit', t: 'console.announce' });
  const list = h('ul', { class: 'announcement-list' });
  const form = h('form', { class: 'console-form' }, field('console.announcementText', body), post);
  const el = panel('announcements', 'console.announcementsTitle', list, form, errors.el);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!body.value.trim()) return errors.showKey('composer.empty');
    if (await run(post, errors, () => api.post(`/spaces/${slug}/announcements`, { body: body.value }))) {
      body.value = '';
      say('console.announced');
    }
    return undefined;
  });

  function draw() {
    replaceChildren(list, store.state.announcements.length ? store.state.announcements.map((a) => {
      const dismiss = h('button', { type: 'button', class: 'secondary', t: 'console.dismiss' });
      dismiss.addEventListener('click', () => run(dismiss, errors,
        () => api.delete(`/spaces/${slug}/announcements/${a.id}`)));
      return h('li', { class: 'announcement-item' },
        setSanitisedHtml(h('div', { class: 'announcement-body' }), a.html), dismiss);
    }) : h('li', { class: 'hint', t: 'console.noAnnouncements' }));
  }

  return { el, draw };
}
