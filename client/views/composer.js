/**
 * The comment composer: Markdown with a server-rendered preview, a language
 * picker (the account's language by default), a draft kept in localStorage
 * as it is typed, and a typing signal for the "writing" counts. The same form
 * edits the reader's own comment.
 */
import { api } from '../api.js';
import { clearDraft, loadDraft, saveDraft } from '../drafts.js';
import { closeOnEscape, h, replaceChildren, setSanitisedHtml, uniqueId } from '../dom.js';
import { describeError, secondsUntil } from '../errors.js';
import { currentLanguage, label } from '../i18n.js';
import { currentUser } from '../session.js';

// The server's limit (COMMENT_MAX_CHARS in server/schemas/comments.py).
const COMMENT_MAX_CHARS = 10_000;
// The counter appears this close to the limit: far enough ahead to plan the last paragraph.
const COUNTER_FROM_CHARS = 1_000;
// A slow-mode wait is counted down in whole seconds.
const RETRY_TICK_MS = 1_000;

/** The account's language first: a French speaker reading the English interface still writes French. */
function defaultLanguage(languages) {
  const candidates = [currentUser()?.language, currentLanguage(), languages[0]];
  return candidates.find((code) => languages.includes(code)) ?? languages[0];
}

// What the server renders in a comment (server/render.py, COMMENT_TAGS), written as one types it.
const MARKDOWN_SAMPLES = [
  ['**bold**', 'composer.mdBold'],
  ['*italic*', 'composer.mdItalic'],
  ['~~struck~~', 'composer.mdStrike'],
  ['`code`', 'composer.mdCode'],
  ['[text](https://example.org)', 'composer.mdLink'],
  ['- item', 'composer.mdList'],
  ['> quoted', 'composer.mdQuote'],
  ['@handle', 'composer.mdMention'],
];

/** A short, folded word on what Markdown a comment takes, and what it does not. */
function markdownHelp() {
  return h('details', { class: 'markdown-help' },
    h('summary', { t: 'composer.mdSummary' }),
    h('p', { t: 'composer.mdIntro' }),
    h('ul', {}, MARKDOWN_SAMPLES.map(([sample, key]) => h('li', {}, h('code', {}, sample), ' ',
      h('span', { t: key })))),
    h('p', { t: 'composer.mdUnsupported' }));
}

/**
 * @param {object} options
 * @param {string} options.slug
 * @param {object} options.question
 * @param {object | null} options.parent the comment replied to, or null
 * @param {string[]} options.languages the space's languages
 * @param {{typing: (space: string, questionId: number) => void}} options.live
 * @param {(comment: object) => void} options.onPosted the server's answer
 * @param {() => void} [options.onCancel] a reply composer's cancel button
 * @param {object | null} [options.editing] the reader's own comment, to edit instead of posting
 */
export function createComposer({ slug, question, parent, languages, live, onPosted, onCancel, editing = null }) {
  const parentId = parent?.id ?? null;
  // An edit starts from the comment as it is, and is not kept as a draft (the comment itself is kept).
  const draft = editing ? { body: editing.body ?? '', lang: editing.lang } : loadDraft(slug, question.id, parentId);
  const ids = { text: uniqueId('composer'), help: uniqueId('help'), error: uniqueId('error'),
    counter: uniqueId('counter') };

  const textarea = h('textarea', {
    // No maxlength: a paste over the limit would be cut silently; the counter says how far over it is.
    id: ids.text, name: 'body', rows: parent ? 3 : 5, required: true,
    'aria-describedby': `${ids.help} ${ids.counter}`, value: draft?.body ?? '', dir: 'auto',
  });
  const language = h('select', { name: 'lang', class: 'composer-lang' },
    languages.map((code) => h('option', { value: code, 'data-i18n-lang': code })));
  language.value = languages.includes(draft?.lang) ? draft.lang : defaultLanguage(languages);
  const preview = h('div', { class: 'composer-preview comment-body', hidden: true, 'aria-live': 'polite' });
  const previewButton = h('button', { type: 'button', class: 'secondary', 'aria-pressed': 'false',
    t: 'composer.preview' });
  const submitKey = editing ? 'composer.save' : parent ? 'composer.postReply' : 'composer.post';
  const submit = h('button', { type: 'submit', t: submitKey });
  // Beside the box it is about, so a refusal is seen where the reader is looking.
  const error = h('p', { class: 'form-error', id: ids.error, role: 'alert', hidden: true });
  const counter = h('p', { class: 'char-counter', id: ids.counter, hidden: true });
  const fieldLabel = editing ? h('label', { for: ids.text, t: 'composer.editLabel' }) : parent
    ? h('label', { for: ids.text, t: 'composer.replyLabel',
      tArgs: { name: parent.author?.display_name ?? '' } })
    : h('label', { for: ids.text, t: 'composer.label' });

  const formClass = editing ? 'composer composer-edit' : parent ? 'composer composer-reply' : 'composer';
  const form = h('form', { class: formClass, novalidate: true },
    fieldLabel,
    textarea,
    counter,
    error,
    preview,
    h('p', { class: 'hint', id: ids.help }, h('span', { t: 'composer.help' }), ' ',
      // A keyboard shortcut means nothing on a phone's on-screen keyboard: the stylesheet hides it there.
      h('span', { class: 'shortcut-hint', t: 'composer.shortcut' })),
    markdownHelp(),
    h('div', { class: 'composer-row' },
      h('label', { class: 'inline-label' }, h('span', { t: 'composer.language' }), language),
      previewButton,
      submit,
      onCancel ? h('button', { type: 'button', class: 'secondary', t: 'composer.cancel',
        on: { click: () => onCancel() } }) : null));

  const keep = () => {
    if (!editing) saveDraft(slug, question.id, parentId, { body: textarea.value, lang: language.value });
  };
  /** Near the limit, how many characters are left; past it, how many are too many. */
  function drawCounter() {
    const left = COMMENT_MAX_CHARS - textarea.value.length;
    counter.hidden = left > COUNTER_FROM_CHARS;
    counter.classList.toggle('is-over', left < 0);
    if (counter.hidden) {
      delete counter.dataset.i18n;
      counter.textContent = '';
      return;
    }
    const key = left < 0 ? 'composer.charsOver' : 'composer.charsLeft';
    if (counter.dataset.i18nArgs !== JSON.stringify({ count: Math.abs(left) }) || counter.dataset.i18n !== key) {
      label(counter, key, { count: Math.abs(left) });
    }
  }
  drawCounter();

  textarea.addEventListener('input', () => {
    drawCounter();
    keep();
    if (!editing) live.typing(slug, question.id);
  });
  language.addEventListener('change', keep);
  textarea.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  // Escape closes a reply or an edit, as its Cancel button does (the draft is kept).
  if (onCancel) form.addEventListener('keydown', closeOnEscape(onCancel));

  let retryTimer = null;

  /** Show why the comment was refused, beside the box; a slow-mode wait counts down and then clears. */
  function showError({ key, args, retryAt }) {
    clearError();
    label(error, key, args);
    error.hidden = false;
    textarea.setAttribute('aria-invalid', 'true');
    textarea.setAttribute('aria-describedby', `${ids.help} ${ids.counter} ${ids.error}`);
    if (retryAt === undefined) return;
    retryTimer = setInterval(() => {
      if (!form.isConnected || Date.now() >= retryAt) {
        clearInterval(retryTimer);
        retryTimer = null;
        label(error, 'composer.retryNow');
        return;
      }
      label(error, key, { count: secondsUntil(retryAt) });
    }, RETRY_TICK_MS);
  }

  function clearError() {
    clearInterval(retryTimer);
    retryTimer = null;
    delete error.dataset.i18n;
    delete error.dataset.i18nArgs;
    error.textContent = '';
    error.hidden = true;
    textarea.removeAttribute('aria-invalid');
    textarea.setAttribute('aria-describedby', `${ids.help} ${ids.counter}`);
  }

  async function togglePreview() {
    const showing = previewButton.getAttribute('aria-pressed') === 'true';
    if (showing) {
      preview.hidden = true;
      textarea.hidden = false;
      previewButton.setAttribute('aria-pressed', 'false');
      textarea.focus();
      return;
    }
    try {
      const { html } = await api.post('/render', { body: textarea.value });
      if (html) setSanitisedHtml(preview, html);
      else replaceChildren(preview, h('p', { class: 'hint', t: 'composer.emptyPreview' }));
      preview.hidden = false;
      textarea.hidden = true;
      previewButton.setAttribute('aria-pressed', 'true');
      clearError();
    } catch (failure) {
      showError(describeError(failure));
    }
  }
  previewButton.addEventListener('click', togglePreview);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!textarea.value.trim()) {
      showError({ key: 'composer.empty' });
      textarea.focus();
      return;
    }
    if (textarea.value.length > COMMENT_MAX_CHARS) {
      showError({ key: 'composer.tooLong', args: { count: COMMENT_MAX_CHARS } });
      textarea.focus();
      return;
    }
    submit.disabled = true;
    try {
      const posted = editing
        ? await api.patch(`/comments/${editing.id}`, { body: textarea.value, lang: language.value })
        : await api.post(`/questions/${question.id}/comments`, {
          body: textarea.value, lang: language.value, parent_id: parentId,
        });
      textarea.value = '';
      drawCounter();
      if (!editing) clearDraft(slug, question.id, parentId);
      clearError();
      if (!preview.hidden) await togglePreview();
      onPosted(posted);
    } catch (failure) {
      showError(describeError(failure));
      textarea.focus();
    } finally {
      submit.disabled = false;
    }
  });

  return {
    el: form,
    textarea,
    focus: () => textarea.focus(),
  };
}
