/**
 * The browser client's shell: language, session, one live connection, and the
 * router that mounts one view at a time into <main>.
 */
import { createAnnouncer } from './announcer.js';
import { h, replaceChildren } from './dom.js';
import {
  LANGUAGES, currentLanguage, initI18n, label, localizeAll, onLanguageChange, setLanguage,
} from './i18n.js';
import { createLiveClient } from './live.js';
import { links, parseRoute, startRouter } from './router.js';
import { currentUser, loadSession, logout, onSessionChange } from './session.js';
import { mountLogin, mountProfile, mountRegister } from './views/account.js';
import { mountConsole } from './views/console/console.js';
import { mountInvitation } from './views/invitation.js';
import { mountNote } from './views/note.js';
import { mountScreen } from './views/screen.js';
import { mountSpace } from './views/space.js';
import { mountSpaces } from './views/spaces.js';
import { mountUser } from './views/user.js';

const main = document.getElementById('main');
// Views that follow a space live; elsewhere a "Live" dot would promise updates that never come.
const LIVE_VIEWS = new Set(['space', 'console', 'screen', 'note']);
const announcer = createAnnouncer(document.getElementById('announcer'), document.getElementById('confirmation'));
const liveListeners = new Set();
let live = null;
let mounted = null; // {key, view}

function startLive() {
  live?.close();
  live = createLiveClient({
    onStateChange: (state) => {
      drawConnection(state);
      for (const listener of liveListeners) listener(state);
    },
    onError: (error) => console.warn('live:', error.code, error.message),
  });
  drawConnection(live.state);
}

function onLiveState(listener) {
  liveListeners.add(listener);
  return () => liveListeners.delete(listener);
}

/**
 * A screen opened with a screen token has a connection of its own, authenticated by
 * the token (docs/protocol.md "Screens"); without one it reads as this browser does.
 */
function mountScreenView(route) {
  const token = route.query.get('token');
  if (!token) return mountScreen(main, { slug: route.slug, live, onLiveState });
  const listeners = new Set();
  let view = null;
  const own = createLiveClient({
    screenToken: token,
    onStateChange: (state) => { for (const listener of listeners) listener(state); },
    onError: (error) => {
      // An unknown or revoked token: the server closes with 4001 and the client stops retrying.
      if (error.code === 'unauthorized') view?.refused();
      else console.warn('screen:', error.code, error.message);
    },
  });
  view = mountScreen(main, {
    slug: route.slug,
    live: own,
    onLiveState: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  });
  return {
    unmount() {
      view.unmount();
      own.close();
    },
  };
}

function drawConnection(state) {
  const indicator = document.getElementById('connection');
  indicator.dataset.state = state;
  label(indicator.querySelector('.connection-label'), `connection.${state}`);
}

function drawAccountLinks() {
  const holder = document.getElementById('account-links');
  const user = currentUser();
  const here = location.hash || '#/';
  if (!user) {
    replaceChildren(holder,
      h('a', { href: links.login(here), t: 'nav.login' }),
      h('a', { href: links.register(here), t: 'nav.register' }));
    return;
  }
  replaceChildren(holder,
    h('a', { href: links.profile(), class: 'account-name' }, user.display_name),
    h('button', { type: 'button', class: 'link-button', t: 'nav.logout', on: { click: () => logout() } }));
}

const VIEWS = {
  spaces: (route) => mountSpaces(main, route),
  space: (route) => mountSpace(main, { slug: route.slug, live, announcer,
    questionId: Number(route.query.get('question')) || null }),
  login: (route) => mountLogin(main, route),
  register: (route) => mountRegister(main, route),
  profile: (route) => mountProfile(main, route),
  user: (route) => mountUser(main, route),
  console: (route) => mountConsole(main, { slug: route.slug, live, announcer }),
  screen: (route) => mountScreenView(route),
  note: (route) => mountNote(main, { slug: route.slug, live }),
  invitation: (route) => mountInvitation(main, { token: route.token }),
  'not-found': () => {
    replaceChildren(main, h('h1', { t: 'notFound.title' }), h('p', {}, h('a', { href: links.spaces(),
      t: 'nav.spaces' })));
    return { unmount() {} };
  },
};

function show(route, { force = false } = {}) {
  const key = location.hash || '#/';
  if (!force && mounted?.key === key) return;
  mounted?.view.unmount();
  document.body.classList.toggle('kiosk', route.name === 'screen');
  document.getElementById('connection').hidden = !LIVE_VIEWS.has(route.name);
  const lang = route.query.get('lang');
  if (route.name === 'screen' && LANGUAGES.includes(lang) && lang !== currentLanguage()) setLanguage(lang);
  mounted = { key, view: VIEWS[route.name](route) };
  drawAccountLinks();
}

async function boot() {
  await initI18n();
  localizeAll(document);
  const picker = document.getElementById('language-select');
  picker.value = currentLanguage();
  picker.addEventListener('change', () => setLanguage(picker.value));
  onLanguageChange((lang) => { picker.value = lang; }); // set elsewhere too (at sign-up)
  document.querySelector('.skip-link').addEventListener('click', (event) => {
    event.preventDefault(); // the hash belongs to the router
    main.focus();
  });
  await loadSession();
  startLive();
  onSessionChange(() => {
    // A new audience: reconnect so the live stream is this reader's, then redraw.
    startLive();
    queueMicrotask(() => show(parseRoute(location.hash), { force: true }));
  });
  startRouter((route) => show(route));
}

boot();
