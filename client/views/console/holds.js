/**
 * Held participants: whose comments wait for a moderator even under
 * post-moderation. Listed from `GET …/held-participants`, kept live by
 * `participant.held` and `participant.hold_lifted`; released from here, held
 * from the author's actions of a queue item.
 */
import { api } from '../../api.js';
import { h, replaceChildren } from '../../dom.js';
import { reasonText } from '../../reasons.js';
import { errorLine, panel, run } from './common.js';

/** @param {{slug: string, say: (key: string) => void}} options */
export function createHoldsPanel({ slug, say }) {
  const errors = errorLine();
  /** @type {Map<number, object>} user id → hold */
  const holds = new Map();
  const list = h('ul', { class: 'hold-list' });
  const el = panel('holds', 'console.holdsTitle', h('p', { class: 'hint', t: 'console.holdsHint' }), list, errors.el);

  function draw() {
    const all = [...holds.values()].sort((a, b) => a.held_at.localeCompare(b.held_at));
    replaceChildren(list, all.length ? all.map((hold) => {
      const release = h('button', { type: 'button', class: 'secondary small release-hold', t: 'console.releaseHold',
        tAttrs: { 'aria-label': 'console.releaseHoldLabel' }, tArgs: { name: hold.user.display_name } });
      release.addEventListener('click', async () => {
        if (await run(release, errors, () => api.delete(`/spaces/${slug}/held-participants/${hold.user.id}`))) {
          say('console.holdReleased');
        }
      });
      return h('li', { class: 'hold-item', 'data-user-id': hold.user.id },
        h('strong', {}, hold.user.display_name), ' ',
        h('span', { class: 'hint', t: 'console.heldSince', tArgs: { name: hold.held_by?.display_name ?? '—' } }), ' ',
        h('time', { datetime: hold.held_at, 'data-i18n-date': hold.held_at }),
        hold.reason ? [' · ', reasonText(hold.reason)] : null,
        hold.note ? [' · ', h('q', {}, hold.note)] : null, ' ', release);
    }) : h('li', { class: 'hint', t: 'console.noHolds' }));
  }

  async function load() {
    const page = await run(null, errors, () => api.get(`/spaces/${slug}/held-participants`));
    if (!page) return;
    holds.clear();
    for (const hold of page.items) holds.set(hold.user.id, hold);
    draw();
  }

  load();
  return {
    el,
    onSnapshot: load,
    onEvents(events) {
      let changed = false;
      for (const event of events) {
        if (event.type === 'participant.held' && event.data?.hold) {
          holds.set(event.data.hold.user.id, event.data.hold);
          changed = true;
        } else if (event.type === 'participant.hold_lifted' && event.data?.user) {
          changed = holds.delete(event.data.user.id) || changed;
        }
      }
      if (changed) draw();
    },
  };
}
