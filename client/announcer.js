/**
 * The ARIA live region: polite, and throttled so a busy discussion does not
 * flood a screen reader. New comments are summed and announced at most once
 * per interval ("3 new comments"). The result of the reader's own action is
 * also shown, for a few seconds, to those who do not use a screen reader.
 */
import { t } from './i18n.js';

// Long enough for a screen reader to finish a short sentence and let the
// reader get on with the page.
const ANNOUNCE_EVERY_MS = 5_000;
// Long enough to read a short sentence twice.
const CONFIRMATION_MS = 6_000;

/**
 * @param {HTMLElement} region an element with aria-live="polite"
 * @param {HTMLElement} [banner] where confirmations are shown (aria-hidden: the region speaks them)
 */
export function createAnnouncer(region, banner) {
  let bannerTimer = null;

  function show(text) {
    if (!banner) return;
    clearTimeout(bannerTimer);
    banner.textContent = text;
    banner.hidden = false;
    bannerTimer = setTimeout(() => {
      banner.hidden = true;
      banner.textContent = '';
    }, CONFIRMATION_MS);
  }

  let pending = 0;
  let lastAt = -Infinity;
  let timer = null;

  function say(text) {
    // Emptying first makes a repeated sentence count as a change.
    region.textContent = '';
    setTimeout(() => { region.textContent = text; }, 50);
  }

  function flush() {
    timer = null;
    if (!pending) return;
    say(t('announce.newComments', { count: pending }));
    pending = 0;
    lastAt = Date.now();
  }

  return {
    /** `count` comments by others arrived. */
    newComments(count) {
      pending += count;
      if (timer) return;
      timer = setTimeout(flush, Math.max(0, lastAt + ANNOUNCE_EVERY_MS - Date.now()));
    },
    /** Say and show something now (the result of the reader's own action). */
    say(text) {
      say(text);
      show(text);
    },
    dispose() {
      clearTimeout(timer);
      timer = null;
      pending = 0;
    },
  };
}
