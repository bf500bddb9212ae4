/**
 * The moderator console's place. Its queues and decisions need the moderation
 * API, which is not in this version yet; until then it says so plainly.
 */
import { h, replaceChildren } from '../dom.js';
import { links } from '../router.js';

export function mountConsole(container, { slug }) {
  replaceChildren(container,
    h('h1', { t: 'console.title' }),
    h('p', { class: 'notice', t: 'console.comingSoon' }),
    h('p', {}, h('a', { href: links.space(slug), t: 'console.backToSpace' })));
  return { unmount() {} };
}
