/**
 * Keep what the reader is reading where it is while content is inserted above
 * it. The page opts out of the browser's own scroll anchoring (CSS
 * `overflow-anchor: none`) so the two never both correct the same shift.
 */

/** The first anchor candidate that is (at least partly) in view, and its top. */
function findAnchor(root) {
  for (const element of root.querySelectorAll('[data-anchor]')) {
    const box = element.getBoundingClientRect();
    if (box.bottom > 0 && box.height > 0) return { element, top: box.top };
  }
  return null;
}

/** Run `change` (which edits the DOM under `root`), then scroll back by however far the anchor moved. */
export function keepScrollAnchor(root, change) {
  const anchor = window.scrollY > 0 ? findAnchor(root) : null;
  const result = change();
  if (anchor && anchor.element.isConnected) {
    const shift = anchor.element.getBoundingClientRect().top - anchor.top;
    if (shift) window.scrollBy(0, shift);
  }
  return result;
}
