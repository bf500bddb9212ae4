/**
 * The spotlight — what the space's screens show now, and next — as the live
 * store has it (`spotlight.changed`), with clear, advance and take-out buttons.
 * The next items are reordered by drag and drop or by their move buttons
 * (`PUT …/spotlight/next`). Comments are put in it from the queue; questions
 * from the question list.
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

  // The button to focus once the reordered list is drawn again: `[item id, 'up' | 'down']`.
  let refocus = null;
  let dragged = null;

  /** Move the queued item `id` to `position` (0-based) and tell the server the whole order. */
  async function reorder(id, position, button) {
    const ids = store.state.spotlight.next.map((item) => item.id).filter((other) => other !== id);
    ids.splice(Math.max(0, Math.min(position, ids.length)), 0, id);
    if (await run(button, errors, () => api.put(`/spaces/${slug}/spotlight/next`, { item_ids: ids }))) {
      say('console.spotlightReordered');
    }
  }

  function nextItem(item, index, count) {
    const number = index + 1;
    const move = (direction, step) => {
      const key = direction === 'up' ? 'console.moveUp' : 'console.moveDown';
      const button = h('button', { type: 'button', class: `secondary small spotlight-move-${direction}`, t: key,
        tAttrs: { 'aria-label': `console.spotlightMove.${direction}` }, tArgs: { number },
        disabled: direction === 'up' ? index === 0 : index === count - 1 });
      button.addEventListener('click', () => {
        refocus = [item.id, direction];
        reorder(item.id, index + step, button);
      });
      return button;
    };
    const remove = h('button', { type: 'button', class: 'link-button', t: 'console.spotlightRemove' });
    remove.addEventListener('click', () => run(remove, errors,
      () => api.delete(`/spaces/${slug}/spotlight/next/${item.id}`)));
    const li = h('li', { class: 'spotlight-next-item', draggable: 'true', 'data-item-id': item.id },
      h('span', { class: 'drag-handle', 'aria-hidden': 'true' }, '⠿'),
      h('div', { class: 'spotlight-item-content' }, spotlightContent(item)),
      h('div', { class: 'button-row' }, move('up', -1), move('down', 1), remove));
    li.addEventListener('dragstart', (event) => {
      dragged = item.id;
      event.dataTransfer.effectAllowed = 'move';
      event.dataTransfer.setData('text/plain', String(item.id));
      li.classList.add('is-dragged');
    });
    li.addEventListener('dragend', () => {
      dragged = null;
      li.classList.remove('is-dragged');
    });
    li.addEventListener('dragover', (event) => {
      if (dragged === null || dragged === item.id) return;
      event.preventDefault(); // allows the drop
      event.dataTransfer.dropEffect = 'move';
    });
    li.addEventListener('drop', (event) => {
      event.preventDefault();
      const id = dragged;
      if (id === null || id === item.id) return;
      // Dropped on an item: the dragged one takes its place.
      reorder(id, index, null);
    });
    return li;
  }

  let drawn = '';
  function draw() {
    const { spotlight } = store.state;
    // Redraw only when the spotlight changed: a redraw would take the focus from a move button.
    const signature = JSON.stringify(spotlight);
    if (signature === drawn) return;
    drawn = signature;
    replaceChildren(now, spotlight.now ? spotlightContent(spotlight.now)
      : h('p', { class: 'hint', t: 'console.spotlightEmpty' }));
    clear.disabled = !spotlight.now;
    advance.disabled = spotlight.next.length === 0;
    replaceChildren(next, spotlight.next.map((item, index) => nextItem(item, index, spotlight.next.length)));
    if (refocus) {
      const [id, direction] = refocus;
      const button = next.querySelector(`[data-item-id="${id}"] .spotlight-move-${direction}`);
      // At the end of the list the button is disabled: the other one keeps the focus.
      const opposite = direction === 'up' ? 'down' : 'up';
      const other = next.querySelector(`[data-item-id="${id}"] .spotlight-move-${opposite}`);
      if (button && !button.disabled) button.focus();
      else other?.focus();
      if (button) refocus = null;
    }
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
