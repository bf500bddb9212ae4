/**
 * What the writer checks in the saved version: a preview, section by section, with each
 * unsourced sentence marked; the citations needing review (their comment was edited,
 * hidden or deleted since), each with a way to find its marker in the editor; coverage.
 */
import { api } from '../../api.js';
import { h, replaceChildren } from '../../dom.js';
import { formatPercent, languageName } from '../../i18n.js';
import { withReferences } from './published.js';
import { sourceCard } from './sources.js';
import { citedCommentIds } from './spans.js';

/** A sentence's text, each citation marker shown as a small reference to its comment. */
const sentenceText = (text) => withReferences(text, (id) => h('sup', { class: 'note-marker' }, `c${id}`));

/** The saved version's sections and sentences, unsourced ones marked in words, not only in colour. */
export function previewView(note) {
  return h('section', { class: 'note-preview', 'aria-labelledby': 'note-preview-title' },
    h('h2', { id: 'note-preview-title', t: 'note.preview' }),
    h('p', { t: 'note.checkSummary', tArgs: { count: note.unsourced_sentences,
      review: note.citations_needing_review, words: note.words } }),
    note.sections.map((section) => h('section', {},
      section.title ? h('h3', {}, section.title) : null,
      h('p', {}, section.sentences.map((s) => [s.unsourced
        ? h('mark', { class: 'note-unsourced' }, h('span', { class: 'badge', t: 'note.unsourced' }), ' ',
          sentenceText(s.text))
        : h('span', {}, sentenceText(s.text)), ' '])))));
}

/** The marker citing this span in the editor's text, with the quotation right before it, if any. */
function markerPattern(citation) {
  const marker = `\\[\\^c${citation.comment_id}:[^\\]]*\\b${citation.start}-${citation.end}\\b[^\\]]*\\]`;
  return new RegExp(`(?:[“"«][^“”"«»]*[”"»])?${marker}`);
}

/** What the cited comment says now: ready to cite again, or gone (hidden or deleted). */
function currentText(commentId, cite) {
  const holder = h('div', { class: 'note-review-current' });
  api.get(`/comments/${commentId}`).then((comment) => {
    replaceChildren(holder, comment.status === 'published' && comment.body
      ? [h('p', { class: 'hint', t: 'note.reviewNow' }), h('ul', { class: 'note-source-list' }, sourceCard(comment, cite))]
      : h('p', { class: 'hint', t: 'note.reviewGone' }));
  }).catch(() => replaceChildren(holder, h('p', { class: 'hint', t: 'note.reviewGone' })));
  return holder;
}

/**
 * Citations to review. To fix one, the writer selects its quotation and marker in the
 * editor (one button), then cites the comment's current words over it, or deletes it.
 */
export function reviewView(note, editor, cite) {
  const toReview = note.sections.flatMap((section) => section.sentences)
    .flatMap((s) => s.citations.filter((c) => c.needs_review).map((c) => ({ sentence: s, citation: c })));
  const find = (citation) => {
    const match = markerPattern(citation).exec(editor.value);
    editor.focus();
    if (match) editor.setSelectionRange(match.index, match.index + match[0].length);
  };
  return h('section', { class: 'note-check', 'aria-labelledby': 'note-check-title' },
    h('h2', { id: 'note-check-title', t: 'note.check' }),
    toReview.length ? h('ul', {}, toReview.map(({ sentence, citation }) => h('li', { class: 'note-review' },
      h('span', { class: 'badge', t: 'note.needsReview' }), ' ', sentence.text, ' ',
      h('span', { class: 'hint', t: 'note.citedWords', tArgs: { quote: citation.quote } }), ' ',
      h('button', { type: 'button', t: 'note.findMarker', on: { click: () => find(citation) } }),
      currentText(citation.comment_id, cite))))
      : h('p', { class: 'hint', t: 'note.nothingToReview' }));
}

/** Themes cited: a theme counts when the note cites at least one of its comments. */
export function themeCoverage(note, themes) {
  const cited = citedCommentIds(note);
  const uncited = themes.filter((theme) => !theme.comment_ids.some((id) => cited.has(id)));
  const total = themes.length;
  return { cited: total - uncited.length, total, share: total ? (total - uncited.length) / total : 0, uncited };
}

export function coverageView(coverage, themes) {
  const share = (key, value) => h('li', { t: key, tArgs: {
    cited: value.cited, total: value.total, share: formatPercent(value.share) } });
  return h('section', { class: 'note-coverage', 'aria-labelledby': 'note-coverage-title' },
    h('h2', { id: 'note-coverage-title', t: 'note.coverage' }),
    h('ul', {},
      share('note.coverageQuestions', coverage.questions),
      share('note.coverageLanguages', coverage.languages),
      share('note.coverageThemes', themes),
      share('note.coverageParticipants', coverage.participants),
      h('li', { t: 'note.coverageWords', tArgs: { words: coverage.words, target: coverage.target_words } })),
    coverage.uncited_languages.length ? h('p', { t: 'note.coverageUncitedLanguages', tArgs: {
      languages: coverage.uncited_languages.map(languageName).join(', ') } }) : null,
    themes.uncited.length ? [h('h3', { t: 'note.coverageUncitedThemes' }),
      h('ul', { class: 'note-uncited-themes' }, themes.uncited.map((theme) => h('li', {}, theme.label)))] : null,
    coverage.dominant_participants.map((p) => h('p', { class: 'form-error', t: 'note.coverageDominant',
      tArgs: { participant: p.participant, share: formatPercent(p.share) } })),
    coverage.most_supported_uncited.length ? [
      h('h3', { t: 'note.coverageUncited' }),
      h('ul', {}, coverage.most_supported_uncited.map((c) => h('li', {},
        h('span', { t: 'note.supports', tArgs: { count: c.support_count } }), ' ',
        h('q', {}, c.excerpt), ` [^c${c.id}]`)))] : null);
}
