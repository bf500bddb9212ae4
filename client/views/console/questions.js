/**
 * The discussion questions as moderators steer them: post, edit, move up and
 * down, open and close (with a closing remark), schedule (opens_at,
 * closes_at), slow mode, and put on screens.
 */
import { api } from '../../api.js';
import { h, replaceChildren } from '../../dom.js';
import { formatDateTime } from '../../i18n.js';
import { CONTROL_REASONS, reasonSelect } from '../../reasons.js';
import { errorLine, field, isoFromLocal, localFromIso, panel, run } from './common.js';

// Slow-mode steps a moderator picks from (seconds; 0 = off).
const SLOW_MODE_STEPS = [0, 30, 60, 120, 300];

function questionForm({ question, onSubmit }) {
  const title = h('input', { type: 'text', name: 'title', required: true, maxlength: 300,
    value: question?.title ?? '' });
  const body = h('textarea', { name: 'body', rows: 2, value: question?.body ?? '' });
  const opensAt = h('input', { type: 'datetime-local', name: 'opens_at', value: localFromIso(question?.opens_at) });
  const closesAt = h('input', { type: 'datetime-local', name: 'closes_at',
    value: localFromIso(question?.closes_at) });
  const submit = h('button', { type: 'submit', t: question ? 'console.save' : 'console.postQuestion' });
  const form = h('form', { class: 'console-form question-form' },
    field('console.questionTitle', title), field('console.questionBody', body),
    h('div', { class: 'form-grid' }, field('console.opensAt', opensAt), field('console.closesAt', closesAt)),
    submit);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const fields = { title: title.value.trim(), body: body.value };
    const opens = isoFromLocal(opensAt.value);
    const closes = isoFromLocal(closesAt.value);
    if (opens && opens !== question?.opens_at) fields.opens_at = opens;
    if (closes && closes !== question?.closes_at) fields.closes_at = closes;
    onSubmit(fields, submit, () => { if (!question) form.reset(); });
  });
  return form;
}

/** @param {{slug: string, store: object, say: (key: string) => void, spotlight: object}} options */
export function createQuestionsPanel({ slug, store, say, spotlight }) {
  const errors = errorLine();
  const list = h('ol', { class: 'console-questions' });
  const openEditors = new Set();
  const newForm = questionForm({
    question: null,
    onSubmit: async (fields, button, reset) => {
      if (!fields.title) return errors.showKey('console.titleNeeded');
      if (await run(button, errors, () => api.post(`/spaces/${slug}/questions`, fields))) {
        reset();
        say('console.questionPosted');
      }
      return undefined;
    },
  });
  const el = panel('questions', 'console.questionsTitle', list,
    h('details', { class: 'new-question' }, h('summary', { t: 'console.newQuestion' }), newForm), errors.el);

  const patch = (question, fields, button) => run(button, errors, () => api.patch(`/questions/${question.id}`, fields));

  function row(question, index, count) {
    const status = h('span', { class: `badge badge-${question.status === 'open' ? 'open' : question.status === 'closed'
      ? 'closed' : 'pending'}`, t: `console.questionStatus.${question.status}` });
    const when = [];
    if (question.status === 'scheduled' && question.opens_at) {
      when.push(h('span', { class: 'hint', t: 'console.opensOn', tArgs: { time: formatDateTime(question.opens_at) } }));
    }
    if (question.closes_at && question.status !== 'closed') {
      when.push(h('span', { class: 'hint', t: 'console.closesOn',
        tArgs: { time: formatDateTime(question.closes_at) } }));
    }
    if (question.slow_mode_secs) {
      when.push(h('span', { class: 'hint', t: 'console.slowModeOn', tArgs: { count: question.slow_mode_secs } }));
    }
    const button = (key, onClick, extra = {}) => {
      const b = h('button', { type: 'button', class: 'secondary small', t: key, ...extra });
      b.addEventListener('click', () => onClick(b));
      return b;
    };
    const moves = [
      button('console.moveUp', (b) => patch(question, { position: index }, b), { disabled: index === 0,
        tAttrs: { 'aria-label': 'console.moveUpLabel' }, tArgs: { number: question.number } }),
      button('console.moveDown', (b) => patch(question, { position: index + 2 }, b), { disabled: index === count - 1,
        tAttrs: { 'aria-label': 'console.moveDownLabel' }, tArgs: { number: question.number } }),
    ];
    const openClose = question.status === 'closed' || question.status === 'scheduled'
      ? button(question.status === 'closed' ? 'console.reopen' : 'console.openNow',
        (b) => patch(question, { status: 'open' }, b))
      : button('console.close', (b) => patch(question, { status: 'closed' }, b));
    const show = button('console.showOnScreens', () => spotlight.put({ question_id: question.id }, 'now'));

    const remark = h('textarea', { name: 'closing_remark', rows: 2, value: question.closing_remark ?? '' });
    const closeWithRemark = button('console.closeWithRemark', (b) => patch(question,
      { status: 'closed', closing_remark: remark.value }, b));
    const slowSeconds = h('select', { name: 'slow_mode' }, SLOW_MODE_STEPS.map((s) => h('option', { value: s,
      t: s ? 'console.slowModeSecs' : 'console.slowModeOff', tArgs: { count: s } })));
    slowSeconds.value = String(question.slow_mode_secs ?? 0);
    const slowReason = reasonSelect(CONTROL_REASONS, { name: 'slow_reason' });
    const setSlow = button('console.setSlowMode', (b) => {
      if (!slowReason.value) return errors.showKey('console.reasonNeeded');
      return run(b, errors, () => api.put(`/questions/${question.id}/slow-mode`,
        { seconds: Number(slowSeconds.value), reason: slowReason.value }));
    });
    const editor = h('details', { class: 'question-editor', open: openEditors.has(question.id) },
      h('summary', { t: 'console.editQuestion' }),
      questionForm({ question, onSubmit: async (fields, b) => {
        if (await patch(question, fields, b)) say('console.saved');
      } }),
      field('console.closingRemark', remark), closeWithRemark,
      h('div', { class: 'form-grid' }, field('console.slowMode', slowSeconds), field('console.reason', slowReason)),
      setSlow);
    editor.addEventListener('toggle', () => {
      if (editor.open) openEditors.add(question.id); else openEditors.delete(question.id);
    });
    return h('li', { class: 'console-question', 'data-question-id': question.id },
      h('p', { class: 'console-question-title' },
        h('strong', { t: 'screen.questionShort', tArgs: { number: question.number } }), ' ', question.title, ' ',
        status),
      when.length ? h('p', { class: 'console-question-when' }, when) : null,
      h('div', { class: 'button-row' }, moves, openClose, show),
      editor);
  }

  let drawn = '';
  function draw() {
    const questions = store.state.questions.discussion;
    // Redraw only when a question changed: a redraw would close what the moderator is editing.
    const signature = JSON.stringify(questions);
    if (signature === drawn) return;
    drawn = signature;
    replaceChildren(list, questions.length ? questions.map((q, i) => row(q, i, questions.length))
      : h('li', { class: 'hint', t: 'space.noQuestions' }));
  }

  return { el, draw };
}
