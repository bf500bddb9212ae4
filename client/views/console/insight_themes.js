/**
 * Themes per question in the console's Insight panel: each theme's label, size and representative
 * comment, its comments on demand, the moderators' rename, merge, split and regroup, and the terms
 * kept off the screens' cloud. Each question's themes are read once, then kept current from
 * `theme.updated` events, which carry a question's themes whole.
 */
import { api, ApiError } from '../../api.js';
import { h, replaceChildren } from '../../dom.js';
import { errorLine, excerpt, field, questionName, run } from './common.js';

/**
 * @param {{slug: string, store: object, say: (key: string) => void}} options
 */
export function createThemesSection({ slug, store, say }) {
  const errors = errorLine();
  /** @type {Map<number, object>} each question's themes, as `GET /questions/{id}/themes` answers */
  const byQuestion = new Map();
  /** @type {Map<number, Promise<string | null>>} texts of comments the store does not hold, read once */
  const fetched = new Map();
  /** Themes whose comments a moderator opened: they stay open through live redraws. */
  const opened = new Set();
  const questions = h('div', { class: 'insight-theme-questions' });
  const excluded = h('input', { type: 'text', name: 'excluded-terms', autocomplete: 'off' });
  const saveExcluded = h('button', { type: 'submit', class: 'secondary', t: 'console.insight.saveExcluded' });
  const excludedForm = h('form', { class: 'console-form insight-excluded' },
    field('console.insight.excludedTerms', excluded),
    h('p', { class: 'hint', t: 'console.insight.excludedHint' }), saveExcluded);
  const el = h('section', { class: 'insight-themes', 'aria-labelledby': 'insight-themes-title' },
    h('h3', { id: 'insight-themes-title', t: 'console.insight.themesTitle' }), questions, excludedForm, errors.el);

  /** A comment's text as a list shows it: from the live store, else read once from the API. */
  function commentText(id) {
    const node = h('bdi', {}, '…');
    const known = store.state.comments[id];
    if (known?.body) {
      node.textContent = excerpt(known.body);
      return node;
    }
    if (!fetched.has(id)) {
      fetched.set(id, api.get(`/comments/${id}`).then((c) => c.body, (error) => {
        if (error instanceof ApiError) return null;
        throw error;
      }));
    }
    fetched.get(id).then((body) => {
      if (body) node.textContent = excerpt(body);
      else replaceChildren(node, h('span', { class: 'hint', t: 'console.insight.commentGone' }));
    });
    return node;
  }

  /** Call the API for one question's themes; the answer is its themes as they now are. */
  async function act(button, questionId, action, doneKey) {
    const result = await run(button, errors, action);
    if (!result) return;
    byQuestion.set(questionId, result);
    drawQuestion(questionId);
    say(doneKey);
  }

  function themeControls(theme, all) {
    const base = `/questions/${theme.question_id}/themes/${theme.id}`;
    const name = h('input', { type: 'text', name: 'theme-name', maxlength: 120, value: theme.name ?? '',
      'data-focus': `name-${theme.id}` });
    const rename = h('button', { type: 'submit', class: 'secondary', t: 'console.insight.rename',
      'data-focus': `rename-${theme.id}` });
    const renameForm = h('form', { class: 'insight-theme-form' }, field('console.insight.themeName', name), rename);
    renameForm.addEventListener('submit', (event) => {
      event.preventDefault();
      act(rename, theme.question_id, () => api.patch(base, { name: name.value.trim() || null }), 'console.insight.renamed');
    });
    const others = all.filter((t) => t.id !== theme.id);
    const into = h('select', { name: 'merge-into', 'data-focus': `into-${theme.id}` },
      others.map((t) => h('option', { value: t.id }, t.label)));
    const merge = h('button', { type: 'submit', class: 'secondary', t: 'console.insight.merge',
      'data-focus': `merge-${theme.id}` });
    const mergeForm = h('form', { class: 'insight-theme-form' }, field('console.insight.mergeInto', into), merge);
    mergeForm.addEventListener('submit', (event) => {
      event.preventDefault();
      act(merge, theme.question_id, () => api.post(`${base}/merge`, { into_id: Number(into.value) }),
        'console.insight.merged');
    });
    const split = h('button', { type: 'button', class: 'secondary', t: 'console.insight.split',
      'data-focus': `split-${theme.id}` });
    split.addEventListener('click', () => act(split, theme.question_id, () => api.post(`${base}/split`),
      'console.insight.splitDone'));
    return [renameForm, others.length ? mergeForm : null, theme.comments > 1 ? split : null];
  }

  function themeItem(theme, all) {
    const members = h('ol', { class: 'insight-theme-comments' });
    const fill = () => replaceChildren(members, theme.comment_ids.map((id) => h('li', { 'data-comment-id': id },
      commentText(id))));
    const details = h('details', { open: opened.has(theme.id) },
      h('summary', { 'data-focus': `open-${theme.id}`, t: 'console.insight.themeComments',
        tArgs: { count: theme.comments } }),
      members, themeControls(theme, all));
    if (details.open) fill();
    details.addEventListener('toggle', () => {
      if (details.open) {
        opened.add(theme.id);
        fill();
      } else opened.delete(theme.id);
    });
    return h('li', { class: 'insight-theme', 'data-theme-id': theme.id, 'data-comments': theme.comments },
      h('p', { class: 'insight-theme-head' }, h('bdi', { class: 'insight-theme-label' }, theme.label), ' ',
        h('span', { class: 'insight-theme-size', t: 'console.insight.themeSize', tArgs: { count: theme.comments } })),
      theme.representative_id ? h('p', { class: 'insight-theme-representative' },
        h('span', { t: 'console.insight.representative' }), ' ', commentText(theme.representative_id)) : null,
      details);
  }

  function questionBlock(question) {
    const themes = byQuestion.get(question.id);
    const regroup = h('button', { type: 'button', class: 'secondary', t: 'console.insight.regroup',
      'data-focus': `regroup-${question.id}` });
    regroup.addEventListener('click', () => act(regroup, question.id,
      () => api.post(`/questions/${question.id}/themes/regroup`), 'console.insight.regrouped'));
    let body;
    if (!themes) body = h('p', { class: 'hint', t: 'common.loading' });
    else if (!themes.themes.length) body = h('p', { class: 'hint', t: 'console.insight.noThemes' });
    else {
      body = h('ul', { class: 'insight-theme-list' }, themes.themes.map((theme) => themeItem(theme, themes.themes)));
    }
    return h('section', { class: 'insight-theme-question', 'data-question-id': question.id,
      'aria-labelledby': `insight-themes-q${question.id}` },
    h('h4', { id: `insight-themes-q${question.id}` }, questionName(store.state, question.id)),
    themes ? h('p', { class: 'hint insight-theme-summary', 'data-unplaced': themes.unplaced,
      t: 'console.insight.themeCount',
      tArgs: { count: themes.themes.length, unplaced: themes.unplaced } }) : null,
    body, regroup);
  }

  /** Redraw one question's themes, keeping the keyboard focus where it was. */
  function drawQuestion(questionId) {
    const old = questions.querySelector(`[data-question-id="${questionId}"]`);
    const question = store.state.questions.discussion.find((q) => q.id === questionId);
    if (!old || !question) return drawAll();
    const focused = old.contains(document.activeElement) ? document.activeElement.dataset.focus : null;
    const fresh = questionBlock(question);
    old.replaceWith(fresh);
    if (focused) fresh.querySelector(`[data-focus="${focused}"]`)?.focus();
    return undefined;
  }

  function drawAll() {
    replaceChildren(questions, store.state.questions.discussion.map(questionBlock));
  }

  async function load(questionId) {
    const themes = await run(null, errors, () => api.get(`/questions/${questionId}/themes`));
    if (themes) byQuestion.set(questionId, themes);
    drawQuestion(questionId);
  }

  async function loadExcluded() {
    const kept = await run(null, errors, () => api.get(`/spaces/${slug}/themes/excluded-terms`));
    if (kept) showExcluded(kept.terms);
  }

  function showExcluded(terms) {
    if (document.activeElement !== excluded) excluded.value = terms.join(', ');
  }

  excludedForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const terms = excluded.value.split(',').map((term) => term.trim()).filter(Boolean);
    const kept = await run(saveExcluded, errors, () => api.put(`/spaces/${slug}/themes/excluded-terms`, { terms }));
    if (kept) {
      excluded.value = kept.terms.join(', ');
      say('console.insight.excludedSaved');
    }
  });

  return {
    el,
    /** A first snapshot, or one after a resync: read every question's themes afresh. */
    onSnapshot() {
      drawAll();
      for (const question of store.state.questions.discussion) load(question.id);
      loadExcluded();
    },
    onEvents(events) {
      for (const event of events) {
        if (event.type === 'theme.updated' && event.data.themes) {
          byQuestion.set(event.data.themes.question_id, event.data.themes);
          drawQuestion(event.data.themes.question_id);
        } else if (event.type === 'theme.updated' && event.data.excluded_terms) {
          showExcluded(event.data.excluded_terms);
        } else if (event.data?.question?.kind === 'discussion') {
          // A renamed question is redrawn; a new one is drawn and its themes read.
          const known = questions.querySelector(`[data-question-id="${event.data.question.id}"]`);
          if (known) drawQuestion(event.data.question.id);
          else load(event.data.question.id);
        }
      }
    },
  };
}
