/**
 * The participant view of a space: announcements, background, moderators,
 * contact, status (and a lock, or the reader's own mute or ban, with why), and
 * its questions with their threads — all from the live store, so it follows
 * every change without a reload and catches up after a drop.
 */
import { api, ApiError } from '../api.js';
import { createCommentIndex } from '../comments.js';
import { h, replaceChildren, setSanitisedHtml } from '../dom.js';
import { formatDateTime, label, localizeAll, t } from '../i18n.js';
import { createSpaceStore } from '../live.js';
import { reasonText } from '../reasons.js';
import { links } from '../router.js';
import { keepScrollAnchor } from '../scroll.js';
import { currentUser } from '../session.js';
import { authorLine } from './comment.js';
import { createPoseQuestionForm } from './own_question.js';
import { createQuestionView } from './question.js';
import { statusKey } from './spaces.js';

// A reader's first page of a question's comments (the API's largest page);
// older pages are fetched only when the snapshot did not carry everything.
const PAGE_LIMIT = 200;
// Enough for any real consultation question; a bound so a runaway thread cannot hold the page.
const MAX_PAGES = 25;
// Countdowns to scheduled questions, and the end of a timed mute, are checked this often.
const TICK_MS = 1_000;
const STEWARDS = new Set(['moderator', 'admin']);
// A contact that is one email address and nothing else.
const EMAIL_ADDRESS = /^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/;
// What a decision on the reader's own comment tells them (personal payloads).
const OWN_DECISIONS = { approve: 'comment.ownApproved', reject: 'comment.ownRejected', hide: 'comment.ownHidden',
  restore: 'comment.ownRestored' };

/**
 * @param {HTMLElement} container
 * @param {{slug: string, live: object, announcer: object, questionId?: number | null}} options questionId:
 *   the question to bring into view once it is drawn (the reader came back to it after logging in)
 * @returns {{unmount: () => void}}
 */
export function mountSpace(container, { slug, live, announcer, questionId = null }) {
  const index = createCommentIndex();
  const questionViews = new Map();
  const user = () => currentUser();
  let store = null;
  let space = null;
  let built = false;
  let disposed = false;
  let role = 'anonymous';
  /** @type {{kind: string, until: string | null, reason: string} | null} this reader's mute or ban */
  let restriction = null;

  const title = h('h1', { id: 'space-title' });
  const status = h('p', { class: 'space-status' });
  const online = h('span', { class: 'online-count' });
  const closedNotice = h('p', { class: 'notice', hidden: true });
  const lockNotice = h('p', { class: 'alert lock-notice', hidden: true });
  const restrictionNotice = h('p', { class: 'alert restriction-notice', hidden: true });
  const consoleLink = h('p', { class: 'console-link', hidden: true },
    h('a', { href: links.console(slug), t: 'space.openConsole' }));
  const banner = h('section', { class: 'announcement-banner', hidden: true, tAttrs: {
    'aria-label': 'space.announcements' } });
  const bannerLive = h('div', { class: 'announcement-bar', 'aria-live': 'polite' }, banner);
  const intro = h('div', { class: 'intro' });
  // Jump links: a keyboard reader reaches any question without tabbing through the ones before.
  const jumpList = h('ol', { class: 'jump-list' });
  const jumpNav = h('nav', { class: 'jump-links', hidden: true, tAttrs: { 'aria-label': 'space.jumpTo' } },
    h('p', { class: 'jump-title', 'aria-hidden': 'true', t: 'space.jumpTo' }), jumpList);
  const moderators = h('ul', { class: 'people' });
  const moderatorsHeading = h('h3', { t: 'space.moderators' });
  const contact = h('p', { class: 'contact' });
  const disclaimer = h('p', { class: 'disclaimer hint' });
  const discussion = h('div', { class: 'question-list' });
  const noQuestions = h('p', { class: 'hint', hidden: true, t: 'space.noQuestions' });
  const participant = h('div', { class: 'question-list' });
  const participantSection = h('section', { class: 'questions', 'aria-labelledby': 'participant-questions',
    hidden: true },
  h('h2', { id: 'participant-questions', t: 'space.participantQuestions' }), participant);
  // Participants pose their own questions where the space allows it (client/views/own_question.js).
  const poseQuestion = createPoseQuestionForm({ slug, space: () => space, user, heldBy: () => heldBy(),
    say: (key) => announcer.say(t(key)) });
  const page = h('div', { class: 'space-page' },
    h('header', { class: 'space-header' },
      h('p', { class: 'breadcrumb' }, h('a', { href: links.spaces(), t: 'nav.spaces' })),
      title, status, consoleLink, closedNotice, lockNotice, restrictionNotice),
    bannerLive,
    jumpNav,
    h('div', { class: 'space-layout' },
      h('div', { class: 'space-main' },
        h('section', { 'aria-labelledby': 'background' }, h('h2', { id: 'background', t: 'space.background' }),
          intro),
        h('section', { class: 'questions', 'aria-labelledby': 'discussion-questions' },
          h('h2', { id: 'discussion-questions', t: 'space.questions' }), noQuestions, discussion),
        participantSection, poseQuestion.el),
      h('aside', { class: 'space-aside', 'aria-labelledby': 'about-space' },
        h('h2', { id: 'about-space', class: 'visually-hidden', t: 'space.about' }),
        moderatorsHeading, moderators,
        h('h3', { t: 'space.contact' }), contact, disclaimer)));

  replaceChildren(container, h('p', { class: 'hint', role: 'status', t: 'common.loading' }));

  function drawSpace() {
    title.textContent = space.title;
    document.title = `${space.title} · Roundtable`;
    // The lock is part of the space's state: a paused space never reads "Open for comments".
    const paused = space.status === 'open' && space.locked;
    replaceChildren(status, h('span', { class: `badge badge-${paused ? 'locked' : space.status}`,
      t: paused ? 'space.status.locked' : statusKey(space) }), ' ', online);
    closedNotice.hidden = space.accepting_input;
    if (!space.accepting_input) label(closedNotice, space.status === 'open' ? 'space.notAcceptingNotice'
      : 'space.closedNotice');
    setSanitisedHtml(intro, space.intro_html);
    if (space.moderators.length) label(moderatorsHeading, 'space.moderatorsCount', { count: space.moderators.length });
    else label(moderatorsHeading, 'space.moderators');
    replaceChildren(moderators, space.moderators.length
      ? space.moderators.map((m) => h('li', {}, authorLine(m)))
      : h('li', { class: 'hint', t: 'space.noModerators' }));
    // An address is a link that opens the reader's mail; anything else (a phone number, an office) stays text.
    replaceChildren(contact, EMAIL_ADDRESS.test(space.contact ?? '')
      ? h('a', { href: `mailto:${space.contact}` }, space.contact) : space.contact);
    contact.hidden = !space.contact;
    disclaimer.textContent = space.disclaimer;
    disclaimer.hidden = !space.disclaimer;
    poseQuestion.refresh();
  }

  const restricted = () => Boolean(restriction && (!restriction.until || Date.parse(restriction.until) > Date.now()));
  const lockedForMe = () => Boolean(space?.locked && !STEWARDS.has(role));
  /** What keeps this reader from writing now: the one answer every notice, composer and button reads. */
  const heldBy = () => {
    if (lockedForMe()) return 'locked';
    return restricted() ? restriction.kind : null;
  };

  function drawStanding() {
    consoleLink.hidden = !STEWARDS.has(role);
    lockNotice.hidden = !lockedForMe();
    replaceChildren(lockNotice, lockedForMe()
      ? [h('span', { t: 'space.locked' }), ' ', reasonText(space.locked.reason)] : null);
    restrictionNotice.hidden = !restricted();
    if (!restricted()) return replaceChildren(restrictionNotice);
    const { kind, until, reason } = restriction;
    const key = `space.${kind}${until ? 'Until' : ''}`;
    return replaceChildren(restrictionNotice,
      h('span', { t: key, tArgs: until ? { time: formatDateTime(until) } : undefined }), ' ',
      h('span', { t: 'space.restrictionReason' }), ' ', reasonText(reason));
  }

  /** The moderators' announcements, in a bar that stays at the top of the window as the reader scrolls. */
  function drawAnnouncements(state) {
    banner.hidden = state.announcements.length === 0;
    replaceChildren(banner, state.announcements.map((a) => h('div', { class: 'announcement',
      'data-announcement-id': a.id },
    h('p', { class: 'announcement-label' }, h('span', { t: 'space.announcement' }), ' · ',
      h('bdi', { class: 'announcement-author' }, a.author.display_name), ' · ',
      h('time', { datetime: a.created_at, 'data-i18n-date': a.created_at })),
    setSanitisedHtml(h('div', { class: 'announcement-body', lang: a.lang ?? undefined, dir: 'auto' }), a.html))));
  }

  /** The reader's standing changed (role, lock, mute): redraw the notices and the composers. */
  function refreshStanding() {
    drawStanding();
    poseQuestion.refresh();
    for (const view of questionViews.values()) view.refresh();
  }

  function drawPresence(presence) {
    if (!presence) {
      online.textContent = '';
      return;
    }
    label(online, 'space.online', { count: presence.participants + presence.moderators });
    for (const [id, view] of questionViews) view.setWriting(presence.writing?.[String(id)] ?? 0);
  }

  /** Create, update and order the question sections as the store has them. */
  function drawQuestions(state) {
    for (const [list, holder] of [[state.questions.discussion, discussion],
      [state.questions.participant, participant]]) {
      list.forEach((question, position) => {
        let view = questionViews.get(question.id);
        if (!view) {
          view = createQuestionView({ slug, question, space: () => space, user, index, live,
            onPosted, onOwnChange, onSupport, heldBy, say: (key) => announcer.say(t(key)) });
          questionViews.set(question.id, view);
        } else if (view.question !== question) {
          view.update(question);
        }
        // Move only what is out of place: moving a section would take the focus out of its composer.
        const there = holder.children[position];
        if (there !== view.el) holder.insertBefore(view.el, there ?? null);
      });
    }
    participantSection.hidden = state.questions.participant.length === 0;
    noQuestions.hidden = state.questions.discussion.length > 0;
    drawJumpLinks(state);
  }

  function drawJumpLinks(state) {
    const all = [...state.questions.discussion, ...state.questions.participant];
    jumpNav.hidden = all.length < 2;
    replaceChildren(jumpList, all.map((question) => h('li', {},
      h('a', { href: links.question(slug, question.id), on: { click: (event) => {
        event.preventDefault(); // the hash belongs to the router: stay on this page
        goToQuestion(question.id);
      } } }, question.number ? `${question.number}. ` : null, h('bdi', {}, question.title)))));
  }

  /** Bring a question into view and give it the focus, so reading and tabbing go on from there. */
  function goToQuestion(id) {
    const view = questionViews.get(id);
    if (!view) return;
    view.el.scrollIntoView({ block: 'start' });
    view.focusHeading();
  }

  function syncThreads(highlight) {
    let added = 0;
    keepScrollAnchor(page, () => {
      for (const view of questionViews.values()) {
        added += view.sync({ highlight }).filter((c) => highlight(c) && c.status === 'published').length;
      }
    });
    if (added) announcer.newComments(added);
  }

  const byOthers = (comment) => !(user() && comment.author && comment.author.id === user().id);

  function firstSnapshot(state) {
    built = true;
    replaceChildren(container, page);
    localizeAll(page); // built before the snapshot: the language may have changed since
    drawSpace();
    drawStanding();
    drawAnnouncements(state);
    drawQuestions(state);
    syncThreads(() => false);
    for (const view of questionViews.values()) view.restoreReplyDrafts();
    drawPresence(state.presence);
    if (questionId) goToQuestion(questionId);
    fetchPersonal(state);
  }

  /** A fresh snapshot after a resync: whatever we had not seen is new. */
  function laterSnapshot(state, fresh) {
    drawSpace();
    drawStanding();
    drawAnnouncements(state);
    drawQuestions(state);
    for (const view of questionViews.values()) view.refresh();
    syncThreads((c) => fresh.has(c.id) && byOthers(c));
  }

  function applyEvents(state, events) {
    const arrived = new Set();
    let spaceChanged = false;
    let standingChanged = false;
    for (const event of events) {
      const comment = event.data?.comment;
      const decision = event.data?.decision;
      if (decision && comment && !byOthers(comment) && OWN_DECISIONS[decision.action]) {
        announcer.say(t(OWN_DECISIONS[decision.action]));
      }
      if (event.type.startsWith('announcement.')) drawAnnouncements(state);
      if (event.data && 'my_restriction' in event.data) {
        restriction = event.data.my_restriction;
        standingChanged = true;
      }
      if (comment) {
        index.putLive(comment);
        // Approved: a held comment the public now sees for the first time.
        const news = event.type === 'comment.created' || event.type === 'comment.approved';
        if (news && byOthers(comment)) arrived.add(comment.id);
      }
      if (event.type.startsWith('space.')) spaceChanged = true;
    }
    if (spaceChanged) {
      space = state.space;
      drawSpace();
    }
    if (spaceChanged || standingChanged) refreshStanding();
    keepScrollAnchor(page, () => drawQuestions(state));
    syncThreads((c) => arrived.has(c.id));
  }

  function onChange(state, change) {
    // Nothing drawn may move what the reader is reading: the online count appearing in the
    // header, or a notice or banner changing height, shifts everything below it.
    if (change.type === 'presence') {
      keepScrollAnchor(page, () => drawPresence(state.presence));
    } else if (change.type === 'snapshot') {
      const fresh = new Set(Object.values(state.comments).filter((c) => !index.get(c.id)).map((c) => c.id));
      for (const comment of Object.values(state.comments)) index.putLive(comment);
      space = state.space;
      if (built) laterSnapshot(state, fresh);
      else firstSnapshot(state);
    } else if (change.type === 'events') { // a moderator's page also hears `statistics`: not shown here
      keepScrollAnchor(page, () => applyEvents(state, change.events));
    }
  }

  /** Comments only this reader gets (their held ones, their support) and pages the snapshot left out. */
  async function fetchPersonal(state) {
    if (!user() && state.commentsComplete) return;
    const questions = [...state.questions.discussion, ...state.questions.participant];
    for (const question of questions) {
      let cursor = null;
      for (let pages = 0; pages < MAX_PAGES; pages += 1) {
        const query = `?limit=${PAGE_LIMIT}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
        let result;
        try {
          result = await api.get(`/questions/${question.id}/comments${query}`);
        } catch {
          return; // the live view stands on its own; personal details come with the next visit
        }
        if (disposed) return;
        for (const comment of result.items) index.putFetched(comment);
        cursor = result.next_cursor;
        if (!cursor) break;
      }
    }
    syncThreads(() => false);
  }

  function onPosted(comment) {
    index.putOwn(comment);
    syncThreads(() => false);
    announcer.say(t(comment.status === 'pending' ? 'composer.held' : 'composer.posted'));
  }

  function onOwnChange(comment, key) {
    index.putOwn(comment);
    syncThreads(() => false);
    announcer.say(t(key));
  }

  async function onSupport(node) {
    const { comment } = node;
    const method = comment.supported_by_me ? 'delete' : 'post';
    try {
      index.putOwn(await api[method](`/comments/${comment.id}/support`));
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      // Out of step (supported in another tab): take the comment as it is now.
      try {
        index.putOwn(await api.get(`/comments/${comment.id}`));
      } catch {
        return;
      }
    }
    syncThreads(() => false);
  }

  api.get(`/spaces/${slug}`).then((read) => {
    if (disposed) return;
    role = read.my_role;
    // The live stream only tells of later changes: take the standing as it is now.
    if (restriction === null) restriction = read.my_restriction ?? null;
    if (built) keepScrollAnchor(page, refreshStanding);
  }).catch((error) => {
    if (disposed || !(error instanceof ApiError) || error.code !== 'space_not_found') return;
    replaceChildren(container, h('h1', { t: 'space.notFound' }),
      h('p', {}, h('a', { href: links.spaces(), t: 'nav.spaces' })));
  });
  store = live.subscribe(slug, createSpaceStore());
  const stop = store.subscribe(onChange);
  const ticker = setInterval(() => {
    if (!built) return;
    keepScrollAnchor(page, () => { for (const view of questionViews.values()) view.tick(); });
    if (restriction?.until && Date.parse(restriction.until) <= Date.now()) {
      restriction = null; // a timed mute ends by itself, without an event
      keepScrollAnchor(page, refreshStanding);
    }
  }, TICK_MS);

  return {
    unmount() {
      disposed = true;
      clearInterval(ticker);
      stop();
      live.unsubscribe(slug);
    },
  };
}
