/**
 * The ARIA live region: polite, and throttled so a busy discussion does not
 * flood a screen reader. New comments are summed and announced at most once
 * per interval ("3 new comments").
 */
import { t } from './i18n.js';

// Long enough for a screen reader to finish a short sentence and let the
// reader get on with the page.
const ANNOUNCE_EVERY_MS = 5_000;

/** @param {HTMLElement} region an element with aria-live="polite" */
export function createAnnouncer(region) {
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
    /** Say something now (the result of the reader's own action). */
    say,
    dispose() {
      clearTimeout(timer);
      timer = null;
      pending = 0;
    },
  };
}
