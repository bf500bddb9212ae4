/**
 * Hash routes, so the static server needs no rewrites:
 *
 *   #/                          the list of spaces
 *   #/spaces/<slug>             a space (participant view)
 *   #/spaces/<slug>?question=N  the same, scrolled to question N (where "Log in" returns)
 *   #/users/<handle>            a participant's public profile (where @mentions lead)
 *   #/login, #/register, #/profile
 *   #/console/<slug>            the moderator console
 *   #/screen/<slug>?token=…     the big-screen display
 *   #/note/<slug>               the background note (its workspace for moderators)
 *   #/invitation/<token>        where an invitation link leads: join its space
 */

const PATTERNS = [
  ['spaces', /^\/?$/],
  ['space', /^\/spaces\/([a-z0-9-]+)$/],
  ['login', /^\/login$/],
  ['register', /^\/register$/],
  ['profile', /^\/profile$/],
  ['user', /^\/users\/([A-Za-z0-9_.-]{1,40})$/],
  ['console', /^\/console\/([a-z0-9-]+)$/],
  ['screen', /^\/screen\/([a-z0-9-]+)$/],
  ['note', /^\/note\/([a-z0-9-]+)$/],
  ['invitation', /^\/invitation\/([A-Za-z0-9_-]{1,200})$/],
];

/**
 * @param {string} hash e.g. "#/screen/water?token=abc"
 * @returns {{name: string, slug?: string, handle?: string, token?: string, query: URLSearchParams}}
 */
export function parseRoute(hash) {
  const [path, search = ''] = hash.replace(/^#/, '').split('?');
  const query = new URLSearchParams(search);
  for (const [name, pattern] of PATTERNS) {
    const match = pattern.exec(path);
    if (!match) continue;
    if (name === 'user') return { name, handle: match[1], query };
    if (name === 'invitation') return { name, token: match[1], query };
    return { name, slug: match[1], query };
  }
  return { name: 'not-found', query };
}

/** The hash of the space page, the login page, … */
export const links = {
  spaces: () => '#/',
  space: (slug) => `#/spaces/${slug}`,
  question: (slug, questionId) => `#/spaces/${slug}?question=${questionId}`,
  user: (handle) => `#/users/${encodeURIComponent(handle)}`,
  login: (next) => (next ? `#/login?next=${encodeURIComponent(next)}` : '#/login'),
  register: (next) => (next ? `#/register?next=${encodeURIComponent(next)}` : '#/register'),
  profile: () => '#/profile',
  console: (slug) => `#/console/${slug}`,
  screen: (slug) => `#/screen/${slug}`,
  note: (slug) => `#/note/${slug}`,
  invitation: (token) => `#/invitation/${token}`,
};

/** A `next` parameter we may follow: only our own hash routes. */
export function safeNext(value) {
  return typeof value === 'string' && value.startsWith('#/') ? value : '#/';
}

/** Call `onRoute(route)` now and on every hash change. */
export function startRouter(onRoute) {
  const fire = () => onRoute(parseRoute(location.hash));
  window.addEventListener('hashchange', fire);
  fire();
}
