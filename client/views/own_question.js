/**
 * A participant's own questions: the form to pose one where the space allows it,
 * and the line that says where a question stands (waiting for moderation, or
 * removed: by whom, why, when). The server moderates them as it does comments.
 */
import { api } from '../api.js';
import { h, replaceChildren, uniqueId } from '../dom.js';
import { describeError } from '../errors.js';
import { label } from '../i18n.js';
import { reasonText } from '../reasons.js';

// The server's limits (Title in server/schemas/spaces.py, QUESTION_BODY_MAX_CHARS in
// server/schemas/questions.py); a question's details stay short in a form like this.
const TITLE_MAX_CHARS = 200;
const BODY_MAX_CHARS = 20_000;

/**
 * Where a participant's question stands, or null when it is simply published.
 * @param {object} question
 * @returns {HTMLElement | null}
 */
export function questionStanding(question) {
  const { visibility, removal } = question;
  if (!visibility || visibility === 'published') return null;
  if (visibility === 'pending') return h('span', { class: 'badge badge-pending', t: 'question.ownPending' });
  if (visibility === 'deleted') return h('span', { class: 'tombstone', t: 'question.ownDeleted' });
  if (!removal) return h('span', { class: 'tombstone', t: 'question.ownRemoved' });
  let key = removal.by === 'flags' ? 'comment.removedByFlags' : 'comment.removedByModerator';
  if (removal.by !== 'flags' && visibility === 'rejected') key = 'comment.rejectedByModerator';
  return h('span', { class: 'tombstone' }, h('span', { t: key }), ': ', reasonText(removal.reason), ', ',
    h('time', { datetime: removal.at, 'data-i18n-date': removal.at }));
}

/**
 * The form to pose one's own question; shown only to a reader who may post where
 * the space takes participants' questions.
 *
 * @param {object} options
 * @param {string} options.slug
 * @param {() => object} options.space the space now
 * @param {() => object | null} options.user the reader now
 * @param {() => string | null} options.heldBy what keeps the reader from writing, or null
 * @param {(key: string) => void} options.say announce the result
 * @returns {{el: HTMLElement, refresh: () => void}}
 */
export function createPoseQuestionForm({ slug, space, user, heldBy, say }) {
  const ids = { title: uniqueId('own-question-title'), body: uniqueId('own-question-body'),
    heading: uniqueId('own-question-heading') };
  const title = h('input', { id: ids.title, type: 'text', required: true, maxlength: TITLE_MAX_CHARS, dir: 'auto' });
  const body = h('textarea', { id: ids.body, rows: 3, maxlength: BODY_MAX_CHARS, dir: 'auto' });
  const result = h('p', { class: 'own-question-result', role: 'status' });
  const error = h('p', { class: 'form-error', role: 'alert' });
  const submit = h('button', { type: 'submit', t: 'question.ownSend' });
  const form = h('form', { class: 'own-question-form', novalidate: true },
    h('p', { class: 'hint', t: 'question.ownHint' }),
    h('label', { for: ids.title, t: 'question.ownTitle' }), title,
    h('label', { for: ids.body, t: 'question.ownBody' }), body,
    h('div', { class: 'composer-row' }, submit), error, result);
  const el = h('section', { class: 'own-question', 'aria-labelledby': ids.heading, hidden: true },
    h('h2', { id: ids.heading, t: 'question.ownHeading' }), form);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    replaceChildren(error);
    if (!title.value.trim()) {
      label(error, 'question.ownTitleNeeded');
      title.focus();
      return;
    }
    submit.disabled = true;
    try {
      const posed = await api.post(`/spaces/${slug}/questions`, { title: title.value, body: body.value });
      title.value = '';
      body.value = '';
      const key = posed.visibility === 'pending' ? 'question.ownWaiting' : 'question.ownPosted';
      label(result, key);
      say(key);
    } catch (failure) {
      const { key, args } = describeError(failure);
      label(error, key, args);
    } finally {
      submit.disabled = false;
    }
  });

  function refresh() {
    const now = space();
    el.hidden = !(now && now.allow_participant_questions && now.accepting_input && user() && !heldBy());
  }

  return { el, refresh };
}
