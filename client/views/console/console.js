/**
 * The moderator console of a space, for its moderators and the site's admins:
 * the live queues with decisions and keyboard shortcuts, the spotlight, the
 * questions, announcements, the space's lock and slow mode, screen tokens, the
 * live audit log, insight (statistics, themes, language mismatches) and who is here. Each panel is its own module; this one checks
 * the role, lays them out and feeds them the live store's changes.
 */
import { api, ApiError } from '../../api.js';
import { h, replaceChildren } from '../../dom.js';
import { errorKey } from '../../errors.js';
import { label, localizeAll, t } from '../../i18n.js';
import { createSpaceStore } from '../../live.js';
import { CONTROL_REASONS, reasonSelect, reasonText } from '../../reasons.js';
import { links } from '../../router.js';
import { currentUser } from '../../session.js';
import { createAnnouncementsPanel } from './announcements.js';
import { createAuditPanel } from './audit.js';
import { createCommentEditor } from './comment_editor.js';
import { errorLine, field, panel, run } from './common.js';
import { createHoldsPanel } from './holds.js';
import { createInsightPanel } from './insight.js';
import { createInvitationsPanel } from './invitations.js';
import { createParticipantDialog } from './participants.js';
import { createQuestionQueuePanel } from './question_queue.js';
import { SHORTCUTS, createQueuePanel } from './queue.js';
import { createQuestionsPanel } from './questions.js';
import { createScreensPanel } from './screens.js';
import { createSpotlightPanel } from './spotlight.js';

const STEWARDS = new Set(['moderator', 'admin']);

function shortcutsHelp() {
  return h('details', { class: 'shortcuts' },
    h('summary', { t: 'console.shortcutsTitle' }),
    h('p', { class: 'hint', t: 'console.shortcutsHint' }),
    h('dl', {}, SHORTCUTS.map(([key, name]) => [h('dt', {}, h('kbd', {}, key)),
      h('dd', { t: `console.key.${name}` })])));
}

/** The space's lock and slow mode. */
function createSpaceControls({ slug, store, say }) {
  const errors = errorLine();
  const state = h('p', { class: 'space-lock-state' });
  const reason = reasonSelect(CONTROL_REASONS, { name: 'control-reason' });
  const lock = h('button', { type: 'button', class: 'secondary lock-button', t: 'console.lock' });
  const seconds = h('input', { type: 'number', name: 'slow-mode', min: 0, max: 3600, step: 10 });
  const slow = h('button', { type: 'button', class: 'secondary', t: 'console.setSlowMode' });
  const el = panel('controls', 'console.controlsTitle', state, field('console.reason', reason),
    h('div', { class: 'button-row' }, lock), field('console.spaceSlowMode', seconds), slow, errors.el);

  lock.addEventListener('click', async () => {
    const locked = Boolean(store.state.space.locked);
    if (!locked && !reason.value) return errors.showKey('console.reasonNeeded');
    const done = await run(lock, errors, () => (locked ? api.delete(`/spaces/${slug}/lock`)
      : api.post(`/spaces/${slug}/lock`, { reason: reason.value })));
    if (done) say(locked ? 'console.unlocked' : 'console.locked');
    return undefined;
  });
  slow.addEventListener('click', async () => {
    if (!reason.value) return errors.showKey('console.reasonNeeded');
    const done = await run(slow, errors, () => api.put(`/spaces/${slug}/slow-mode`,
      { seconds: Number(seconds.value || 0), reason: reason.value }));
    if (done) say('console.saved');
    return undefined;
  });

  return {
    el,
    draw() {
      const { space } = store.state;
      replaceChildren(state, space.locked
        ? [h('span', { class: 'badge badge-closed', t: 'console.isLocked' }), ' ', reasonText(space.locked.reason)]
        : h('span', { class: 'badge badge-open', t: 'console.isUnlocked' }));
      label(lock, space.locked ? 'console.unlock' : 'console.lock');
      if (document.activeElement !== seconds) seconds.value = String(space.slow_mode_secs ?? 0);
    },
  };
}

/**
 * @param {HTMLElement} container
 * @param {{slug: string, live: object, announcer: object}} options
 */
export function mountConsole(container, { slug, live, announcer }) {
  let disposed = false;
  let stop = () => {};
  let panels = null;
  replaceChildren(container, h('p', { class: 'hint', role: 'status', t: 'common.loading' }));

  function refuse(key) {
    const here = links.console(slug);
    replaceChildren(container, h('h1', { t: 'console.title' }),
      h('p', { class: 'notice not-moderator', t: key }),
      currentUser() ? null : h('p', {}, h('a', { href: links.login(here), t: 'nav.login' })),
      h('p', {}, h('a', { href: links.space(slug), t: 'console.backToSpace' })));
  }

  function build(space) {
    const say = (key) => announcer.say(t(key));
    const store = live.subscribe(slug, createSpaceStore());
    const presence = h('p', { class: 'console-presence', role: 'status' });
    const dialog = createParticipantDialog({ slug, say });
    const editor = createCommentEditor({ say });
    const spotlight = createSpotlightPanel({ slug, store, say });
    const queue = createQueuePanel({ slug, store, space, say, onAuthor: (comment) => dialog.open(comment),
      onSpotlight: (comment, how) => spotlight.put({ comment_id: comment.id }, how),
      onEdit: (comment) => editor.open(comment) });
    const questions = createQuestionsPanel({ slug, store, say, spotlight });
    const questionQueue = createQuestionQueuePanel({ slug, say });
    const announcements = createAnnouncementsPanel({ slug, store, say });
    const controls = createSpaceControls({ slug, store, say });
    const screens = createScreensPanel({ slug, say });
    const audit = createAuditPanel({ slug, store });
    const insight = createInsightPanel({ slug, store, say });
    const holds = createHoldsPanel({ slug, say });
    const invitations = createInvitationsPanel({ slug, say });
    panels = { queue, audit };

    const title = h('h1', { id: 'console-title' });
    const page = h('div', { class: 'console' },
      h('header', { class: 'console-head' },
        h('p', { class: 'breadcrumb' }, h('a', { href: links.space(slug), t: 'console.backToSpace' }), ' · ',
          h('a', { href: links.screen(slug), t: 'spaces.screen' })),
        h('p', { class: 'console-kicker', t: 'console.title' }), title, presence, shortcutsHelp()),
      h('div', { class: 'console-layout' },
        h('div', { class: 'console-main' }, queue.el, questionQueue.el, audit.el, insight.el),
        h('div', { class: 'console-side' }, spotlight.el, announcements.el, questions.el, controls.el,
          holds.el, invitations.el, screens.el)),
      dialog.el, editor.el);
    replaceChildren(container, page);
    localizeAll(page);
    document.title = `${t('console.title')} · ${space.title} · Roundtable`;
    title.textContent = space.title;

    function drawAll(state) {
      title.textContent = state.space.title;
      spotlight.draw();
      announcements.draw();
      questions.draw();
      controls.draw();
    }

    stop = store.subscribe((state, change) => {
      if (change.type === 'presence') {
        const p = state.presence;
        label(presence, 'console.presence', { participants: p.participants, moderators: p.moderators,
          screens: p.screens });
        return;
      }
      if (change.type === 'statistics') return insight.onStatistics();
      drawAll(state);
      if (change.type === 'snapshot') {
        queue.onSnapshot();
        questionQueue.onSnapshot();
        holds.onSnapshot();
        insight.onSnapshot();
      } else {
        queue.onEvents(change.events);
        questionQueue.onEvents(change.events);
        screens.onEvents(change.events);
        audit.onEvents(change.events);
        holds.onEvents(change.events);
        invitations.onEvents(change.events);
        dialog.onEvents(change.events);
        insight.onEvents(change.events);
      }
    });
    if (store.state.space) drawAll(store.state);
  }

  api.get(`/spaces/${slug}`).then((space) => {
    if (disposed) return;
    if (!STEWARDS.has(space.my_role)) return refuse('console.notModerator');
    return build(space);
  }).catch((error) => {
    if (disposed || !(error instanceof ApiError)) throw error;
    replaceChildren(container, h('h1', { t: 'console.title' }), h('p', { class: 'form-error', role: 'alert',
      t: errorKey(error) }));
  });

  return {
    unmount() {
      disposed = true;
      stop();
      panels?.queue.dispose();
      panels?.audit.dispose();
      if (panels) live.unsubscribe(slug);
    },
  };
}
