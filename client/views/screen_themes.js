/**
 * The screen's theme cloud and per-question theme counts, from the statistics the server sends
 * screens (coalesced): one term per concept across the space's languages, sized by weight, the
 * moderators' excluded terms already left out by the server.
 */
import { h } from '../dom.js';

// Read from the back of a room in a narrow column, a cloud of more terms than this turns to
// noise and would push the figures below it off a screen that never scrolls.
const CLOUD_MAX_TERMS = 18;
// Font-size steps (classes cloud-size-1 … cloud-size-5 in styles.css), lightest to heaviest.
const CLOUD_SIZES = 5;

/** The step (1 … CLOUD_SIZES) of a term's weight between the lightest and the heaviest shown. */
export function cloudSize(weight, lightest, heaviest) {
  if (heaviest <= lightest) return Math.ceil(CLOUD_SIZES / 2); // all alike: none stands out
  return 1 + Math.round(((weight - lightest) / (heaviest - lightest)) * (CLOUD_SIZES - 1));
}

/**
 * The cloud as a list, heaviest terms first in the statistics, shown in alphabetical order so
 * that a term does not jump about when weights change; or a line saying none has formed yet.
 */
export function themeCloud(cloud) {
  const shown = (cloud ?? []).slice(0, CLOUD_MAX_TERMS);
  if (!shown.length) return h('p', { class: 'cloud-empty', t: 'screen.noThemes' });
  const weights = shown.map((term) => term.weight);
  const [lightest, heaviest] = [Math.min(...weights), Math.max(...weights)];
  const ordered = [...shown].sort((a, b) => a.phrase.localeCompare(b.phrase));
  return h('ul', { class: 'theme-cloud' }, ordered.map((term) => h('li', {
    class: `cloud-term cloud-size-${cloudSize(term.weight, lightest, heaviest)}`, 'data-weight': term.weight,
  }, h('bdi', {}, term.phrase))));
}

/** How many themes each question has, by question id (none for questions not grouped yet). */
export function themeCounts(statistics) {
  return new Map((statistics?.themes ?? []).map((q) => [q.question_id, q.themes]));
}
