/** What the console's panels share: running an API call from a button, times for inputs, and how
 * a question and a comment are named in a list. */
import { ApiError } from '../../api.js';
import { h, uniqueId } from '../../dom.js';
import { errorKey } from '../../errors.js';
import { label } from '../../i18n.js';

/** A `<p role="alert">` for a panel's errors, and functions to fill and clear it. */
export function errorLine() {
  const el = h('p', { class: 'form-error', role: 'alert' });
  return {
    el,
    show(error) { label(el, errorKey(error)); },
    showKey(key) { label(el, key); },
    clear() {
      delete el.dataset.i18n;
      el.textContent = '';
    },
  };
}

/**
 * Run `action` (an API call) with `button` disabled; an ApiError lands in `errors`.
 * @returns {Promise<unknown>} the action's result, or undefined when it failed
 */
export async function run(button, errors, action) {
  if (button) button.disabled = true;
  errors.clear();
  try {
    return await action();
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    errors.show(error);
    return undefined;
  } finally {
    if (button) button.disabled = false;
  }
}

/** A labelled field: `[label, control]` wired by id. */
export function field(key, control) {
  control.id ||= uniqueId('field');
  return h('div', { class: 'field' }, h('label', { for: control.id, t: key }), control);
}

/** A `datetime-local` input's value as an ISO instant, or null when empty. */
export function isoFromLocal(value) {
  return value ? new Date(value).toISOString() : null;
}

/** An ISO instant as a `datetime-local` input's value (local time, minutes). */
export function localFromIso(iso) {
  if (!iso) return '';
  const date = new Date(iso);
  const pad = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:`
    + `${pad(date.getMinutes())}`;
}

/** A panel: a titled section of the console. */
export function panel(id, titleKey, ...children) {
  return h('section', { class: 'console-panel', id, 'aria-labelledby': `${id}-title` },
    h('h2', { id: `${id}-title`, t: titleKey }), children);
}

// An excerpt long enough to recognise a comment by, short enough for a table cell.
const EXCERPT_CHARS = 140;

/** A comment's text, shortened for a list: its Markdown source as plain text. */
export function excerpt(text) {
  const plain = String(text ?? '').replace(/\s+/g, ' ').trim();
  return plain.length > EXCERPT_CHARS ? `${plain.slice(0, EXCERPT_CHARS - 1)}…` : plain;
}

/** "Q2: Who is missing?" for a discussion question, its title for a participant's. */
export function questionName(state, questionId) {
  const question = [...state.questions.discussion, ...state.questions.participant]
    .find((q) => q.id === questionId);
  if (!question) return h('span', { t: 'console.insight.unknownQuestion' });
  return h('span', {}, question.number ? h('span', { t: 'screen.questionShort', tArgs: { number: question.number } })
    : null, question.number ? ' ' : null, h('bdi', {}, question.title));
}
