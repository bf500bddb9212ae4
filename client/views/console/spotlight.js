/**
 * The spotlight — what the space's screens show now, and next — as the live
 * store has it (`spotlight.changed`), with clear, advance and take-out buttons.
 * Comments are put in it from the queue; questions from the question list.
 */
import { api } from '../../api.js';
import { h, replaceChildren, setSanitisedHtml } from '../../dom.js';
import { authorLine } from '../comment.js';
import { errorLine, panel, run } from './common.js';

/** An item's content: the comment (public form) or the question. */
export function spotlightContent(item) {
  if (item.kind === 'question') {
    return h('p', { class: 'spotlight-question' },
      item.question.number ? h('span', { t: 'question.number', tArgs: { number: item.question.number } }) : null,
      ' ', item.question.title);
  }
  return [
    setSanitisedHtml(h('div', { class: 'spotlight-body', lang: item.comment.lang }), item.comment.html),
    h('p', { class: 'spotlight-author' }, authorLine(item.comment.author)),
  ];
}

/** @param {{slug: string, store: object, say: (key: string) => void}} options */
export function createSpotlightPanel({ slug, store, say }) {
  const errors = errorLine();
  const now = h('div', { class: 'spotlight-now' });
  const next = h('ol', { class: 'spotlight-next' });
  const clear = h('button', { type: 'button', class: 'secondary', t: 'console.spotlightClear' });
  const advance = h('button', { type: 'button', class: 'secondary', t: 'console.spotlightAdvance' });
  const el = panel('spotlight', 'console.spotlightTitle',
    h('h3', { t: 'console.spotlightNow' }), now,
    h('h3', { t: 'console.spotlightNext' }), next,
    h('div', { class: 'button-row' }, clear, advance), errors.el);

  clear.addEventListener('click', async () => {
    if (await run(clear, errors, () => api.delete(`/spaces/${slug}/spotlight`))) say('console.spotlightCleared');
  });
  advance.addEventListener('click', async () => {
    if (await run(advance, errors, () => api.post(`/spaces/${slug}/spotlight/advance`))) say('console.spotlightAdvanced');
  });

  function draw() {
    const { spotlight } = store.state;
    replaceChildren(now, spotlight.now ? spotlightContent(spotlight.now)
      : h('p', { class: 'hint', t: 'console.spotlightEmpty' }));
    clear.disabled = !spotlight.now;
    advance.disabled = spotlight.next.length === 0;
    replaceChildren(next, spotlight.next.map((item) => {
      const remove = h('button', { type: 'button', class: 'link-button', t: 'console.spotlightRemove' });
      remove.addEventListener('click', () => run(remove, errors,
        () => api.delete(`/spaces/${slug}/spotlight/next/${item.id}`)));
      return h('li', {}, spotlightContent(item), remove);
    }));
  }

  return {
    el,
    draw,
    /** Show a comment or a question now, or queue it. */
    async put(target, how) {
      const ok = how === 'now'
        ? await run(null, errors, () => api.put(`/spaces/${slug}/spotlight`, target))
        : await run(null, errors, () => api.post(`/spaces/${slug}/spotlight/next`, target));
      if (ok) say(how === 'now' ? 'console.spotlightShown' : 'console.spotlightQueued');
    },
  };
}
