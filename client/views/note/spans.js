/**
 * Citation markers built from a comment's own text: the server slices the comment's text
 * as Python does (in code points), so offsets are counted in code points, never in the
 * UTF-16 units a JavaScript string is indexed by.
 */

/** Code points in `text` before the UTF-16 index `index`. */
export function codePointOffset(text, index) {
  return [...text.slice(0, index)].length;
}

/**
 * The citation for `body[from:to]` (UTF-16 indexes, as a textarea's selection gives them),
 * trimmed of white space: a quotation followed by its marker, or the marker alone when the
 * span runs over a blank line (a quotation may not split the note's paragraphs).
 * Null when nothing but white space is selected.
 */
export function citationFor(commentId, body, from, to) {
  let start = from;
  let end = to;
  while (start < end && /\s/.test(body[start])) start += 1;
  while (end > start && /\s/.test(body[end - 1])) end -= 1;
  if (start === end) return null;
  const words = body.slice(start, end);
  const marker = `[^c${commentId}:${codePointOffset(body, start)}-${codePointOffset(body, end)}]`;
  return /\n\s*\n/.test(words) ? marker : `“${words}”${marker}`;
}

/** Put `text` at the editor's cursor (replacing its selection) and leave the cursor after it. */
export function insertAtCursor(editor, text) {
  const { selectionStart: start, selectionEnd: end, value } = editor;
  const before = start > 0 && !/\s$/.test(value.slice(0, start)) ? ' ' : '';
  const inserted = `${before}${text}`;
  editor.setRangeText(inserted, start, end, 'end');
  editor.dispatchEvent(new Event('input', { bubbles: true }));
  editor.focus();
}

/** The comment ids a saved note cites, from its sentences. */
export function citedCommentIds(note) {
  const ids = new Set();
  for (const section of note?.sections ?? []) {
    for (const sentence of section.sentences) for (const c of sentence.citations) ids.add(c.comment_id);
  }
  return ids;
}
