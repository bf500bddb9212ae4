/**
 * Participants' own questions in the moderators' queues — waiting, flagged, recent and
 * removed (hidden and rejected, to undo a mistake) — with their decisions and reasons,
 * as the comment queue has them (queue.js, queue_item.js). They are few: each queue is
 * read whole (`questions` of `GET …/queue`) and read again when a question event arrives.
 */
import { api } from '../../api.js';
import { h, replaceChildren, setSanitisedHtml } from '../../dom.js';
import { REMOVAL_REASONS, reasonSelect, reasonText } from '../../reasons.js';
import { authorLine } from '../comment.js';
import { errorLine, panel, run } from './common.js';
import { decisionBody, questionDecisions } from './queue_item.js';

const KINDS = ['pending', 'flagged', 'recent', 'removed'];

/** @param {{slug: string, say: (key: string) => void}} options */
export function createQuestionQueuePanel({ slug, say }) {
  let kind = 'pending';
  let loads = 0;
  /** @type {Map<number, object>} views by question id: a reason or note survives a reload */
  let views = new Map();
  const errors = errorLine();
  const tabs = h('div', { class: 'queue-tabs', role: 'group', tAttrs: { 'aria-label': 'console.questionQueues' } },
    KINDS.map((name) => h('button', { type: 'button', class: 'secondary question-queue-tab', 'data-kind': name,
      'aria-pressed': String(name === kind), t: `console.questionKind.${name}`,
      on: { click: () => switchKind(name) } })));
  const list = h('ol', { class: 'queue-list question-queue-list', 'aria-live': 'off' });
  const empty = h('p', { class: 'hint question-queue-empty', t: 'console.questionQueueEmpty' });
  const el = panel('question-queue', 'console.questionQueueTitle', tabs, errors.el, list, empty);

  function itemView(item, earlier) {
    const q = item.question;
    const id = `question-item-${q.id}`;
    const reason = reasonSelect(REMOVAL_REASONS, { id: `${id}-reason`, class: 'queue-reason' });
    const note = h('input', { id: `${id}-note`, class: 'queue-note', type: 'text', maxlength: 2000 });
    if (earlier) [reason.value, note.value] = [earlier.reason.value, earlier.note.value];
    const view = { reason, note, errors: errorLine(), item };
    const body = h('div', { class: 'comment-body queue-body' });
    setSanitisedHtml(body, q.body_html ?? '');
    const edit = q.pending_edit;
    view.el = h('li', {}, h('article', { class: 'question-queue-item', id, 'data-question-id': q.id,
      'data-status': q.visibility, 'aria-labelledby': `${id}-title` },
    h('header', { class: 'comment-meta' },
      h('span', { class: 'comment-by' }, authorLine(q.author)),
      h('time', { datetime: q.created_at, 'data-i18n-date': q.created_at }),
      h('span', { class: `badge badge-${q.visibility}`, t: `console.status.${q.visibility}` })),
    h('h3', { id: `${id}-title`, class: 'question-queue-title' }, h('bdi', {}, q.title ?? '')),
    body,
    edit ? h('p', { class: 'queue-pending-edit', t: 'console.questionEditWaiting', tArgs: { title: edit.title } })
      : null,
    q.removal ? h('p', { class: 'hint' }, reasonText(q.removal.reason ?? 'other')) : null,
    item.flags.count ? h('p', { class: 'queue-flags', t: 'console.flags', tArgs: { count: item.flags.count } })
      : null,
    h('div', { class: 'queue-decide' },
      h('label', { for: reason.id, t: 'console.reason' }), reason,
      h('label', { for: note.id, t: 'console.note' }), note),
    h('div', { class: 'queue-actions' }, questionDecisions(item).map((action) => h('button', {
      type: 'button', class: `decide decide-${action}`, 'data-action': action, t: `console.action.${action}`,
      on: { click: (event) => decide(view, action, event.currentTarget) } }))),
    view.errors.el));
    return view;
  }

  async function decide(view, action, button) {
    const { question } = view.item;
    const body = decisionBody(view, action, question.visibility);
    if (!body) return;
    const decided = await run(button, view.errors, () => api.post(`/questions/${question.id}/decisions`, body));
    if (!decided) return;
    say(`console.done.${action}`);
    await load();
  }

  async function load() {
    const mine = ++loads;
    const page = await run(null, errors, () => api.get(`/spaces/${slug}/queue?kind=${kind}&limit=1`));
    if (!page || mine !== loads) return;
    const next = new Map();
    for (const item of page.questions) next.set(item.question.id, itemView(item, views.get(item.question.id)));
    views = next;
    replaceChildren(list, [...views.values()].map((view) => view.el));
    empty.hidden = views.size > 0;
  }

  function switchKind(name) {
    kind = name;
    for (const button of tabs.children) button.setAttribute('aria-pressed', String(button.dataset.kind === kind));
    views = new Map();
    load();
  }

  load();
  return {
    el,
    onSnapshot: load,
    onEvents(events) {
      if (events.some((e) => e.type.startsWith('question.') && e.data?.question?.kind === 'participant')) load();
    },
  };
}
