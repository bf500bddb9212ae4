/**
 * Logging in, registering, and the reader's profile. Each field says what is wrong with it,
 * beside it, before anything is sent and again when the server refuses it.
 */
import { h, replaceChildren, uniqueId } from '../dom.js';
import { errorKey } from '../errors.js';
import { LANGUAGES, currentLanguage, label, setLanguage } from '../i18n.js';
import { links, safeNext } from '../router.js';
import { currentUser, login, logout, register, updateProfile } from '../session.js';

// The server's limits (server/schemas/accounts.py, server/schemas/common.py).
const NAME_MAX_CHARS = 80;
const AFFILIATION_MAX_CHARS = 120;
const PASSWORD_MIN_CHARS = 8;
// What the server's address check needs at least: something, an @, a dotted domain.
const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * A labelled input with its own error line, wired to the input with aria-describedby.
 * @returns {{wrap: HTMLElement, input: HTMLInputElement, error: HTMLElement}}
 */
function field(key, attrs) {
  const id = uniqueId('field');
  const input = h('input', { id, ...attrs });
  const error = h('p', { class: 'field-error', id: `${id}-error`, hidden: true });
  return { wrap: h('div', { class: 'field' }, h('label', { for: id, t: key }), input, error), input, error };
}

function languageField(key, value) {
  const id = uniqueId('field');
  const select = h('select', { id, name: 'language' },
    LANGUAGES.map((code) => h('option', { value: code, 'data-i18n-lang': code })));
  select.value = LANGUAGES.includes(value) ? value : 'en';
  return { wrap: h('div', { class: 'field' }, h('label', { for: id, t: key }), select), input: select, error: null };
}

function markField(item, problem) {
  if (!item.error) return;
  if (!problem) {
    item.error.hidden = true;
    item.error.textContent = '';
    item.input.removeAttribute('aria-invalid');
    item.input.removeAttribute('aria-describedby');
    return;
  }
  label(item.error, problem.key, problem.args);
  item.error.hidden = false;
  item.input.setAttribute('aria-invalid', 'true');
  item.input.setAttribute('aria-describedby', item.error.id);
}

/** What is wrong with a field's value before it is sent, or null. */
function fieldProblem(input) {
  const value = input.type === 'password' ? input.value : input.value.trim();
  if (input.required && !value) return { key: 'account.fieldRequired' };
  if (input.type === 'email' && value && !EMAIL_SHAPE.test(value)) {
    return { key: 'account.fieldEmail' };
  }
  const min = Number(input.getAttribute('minlength') ?? 0);
  if (value && value.length < min) return { key: 'account.fieldTooShort', args: { count: min } };
  const max = Number(input.getAttribute('maxlength') ?? Infinity);
  if (value.length > max) return { key: 'account.fieldTooLong', args: { count: max } };
  return null;
}

/** A server refusal as a problem of one field (by pydantic's `loc`), or null when it is the form's. */
function serverProblem(failure, input) {
  if (failure?.code === 'email_taken' && input.name === 'email') return { key: 'error.email_taken' };
  if (!['invalid_body', 'text_too_long'].includes(failure?.code) || !Array.isArray(failure.details)) return null;
  const detail = failure.details.find((d) => Array.isArray(d.loc) && d.loc[d.loc.length - 1] === input.name);
  if (!detail) return null;
  if (detail.type === 'string_too_long') {
    return { key: 'account.fieldTooLong', args: { count: Number(input.getAttribute('maxlength')) } };
  }
  if (detail.type === 'string_too_short' && input.type === 'password') {
    return { key: 'account.fieldTooShort', args: { count: PASSWORD_MIN_CHARS } };
  }
  if (detail.type === 'string_too_short' || detail.type === 'missing') return { key: 'account.fieldRequired' };
  return input.type === 'email' ? { key: 'account.fieldEmail' } : { key: 'account.fieldInvalid' };
}

/**
 * A form whose submit checks each field, then runs `action`; a refusal is shown beside the
 * field it is about (or under the form), and the first field at fault takes the focus.
 */
function form(titleKey, items, submitKey, action, extra = null) {
  const error = h('p', { class: 'form-error', role: 'alert' });
  const submit = h('button', { type: 'submit', t: submitKey });
  const element = h('form', { class: 'account-form', novalidate: true },
    items.map((item) => item.wrap ?? item), h('p', {}, submit), error);
  const fields = items.filter((item) => item.error);
  for (const item of fields) {
    // Once marked, a field clears itself as soon as it is put right.
    item.input.addEventListener('input', () => {
      if (item.input.hasAttribute('aria-invalid')) markField(item, fieldProblem(item.input));
    });
  }

  /** Mark each field with its problem; true when there was one (the first at fault is focused). */
  function showProblems(problemOf) {
    const marked = fields.map((item) => {
      const problem = problemOf(item.input);
      markField(item, problem);
      return problem ? item : null;
    }).filter(Boolean);
    marked[0]?.input.focus();
    return marked.length > 0;
  }

  element.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.textContent = '';
    if (showProblems(fieldProblem)) {
      label(error, 'account.checkFields');
      return;
    }
    submit.disabled = true;
    try {
      await action();
    } catch (failure) {
      const byField = showProblems((input) => serverProblem(failure, input));
      label(error, byField ? 'account.checkFields' : errorKey(failure));
    } finally {
      submit.disabled = false;
    }
  });
  return [h('h1', { t: titleKey }), element, extra];
}

export function mountLogin(container, { query }) {
  const next = safeNext(query.get('next'));
  const email = field('account.email', { type: 'email', name: 'email', autocomplete: 'username', required: true });
  const password = field('account.password', { type: 'password', name: 'password',
    autocomplete: 'current-password', required: true });
  replaceChildren(container, form('account.loginTitle', [email, password], 'account.login', async () => {
    await login(email.input.value, password.input.value);
    location.hash = next;
  }, h('p', {}, h('a', { href: links.register(next), t: 'account.noAccount' }))));
  email.input.focus();
  return { unmount() {} };
}

export function mountRegister(container, { query }) {
  const next = safeNext(query.get('next'));
  const name = field('account.displayName', { name: 'display_name', autocomplete: 'name', required: true,
    maxlength: NAME_MAX_CHARS });
  const affiliation = field('account.affiliation', { name: 'affiliation', autocomplete: 'organization',
    maxlength: AFFILIATION_MAX_CHARS });
  const email = field('account.email', { type: 'email', name: 'email', autocomplete: 'email', required: true });
  const password = field('account.newPassword', { type: 'password', name: 'password', autocomplete: 'new-password',
    required: true, minlength: PASSWORD_MIN_CHARS });
  const language = languageField('account.language', currentLanguage());
  replaceChildren(container, form('account.registerTitle', [name, affiliation, email, password, language],
    'account.register', async () => {
      await register({ display_name: name.input.value, affiliation: affiliation.input.value || null,
        email: email.input.value.trim(), password: password.input.value, language: language.input.value });
      // The language chosen here is the one they read in from now on.
      await setLanguage(language.input.value);
      location.hash = next;
    }, h('p', {}, h('a', { href: links.login(next), t: 'account.haveAccount' }))));
  name.input.focus();
  return { unmount() {} };
}

export function mountProfile(container) {
  const me = currentUser();
  if (!me) {
    location.hash = links.login(links.profile());
    return { unmount() {} };
  }
  const name = field('account.displayName', { name: 'display_name', required: true, maxlength: NAME_MAX_CHARS,
    value: me.display_name });
  const affiliation = field('account.affiliation', { name: 'affiliation', maxlength: AFFILIATION_MAX_CHARS,
    value: me.affiliation ?? '' });
  const language = languageField('account.commentLanguage', me.language);
  const saved = h('p', { class: 'form-saved', role: 'status' });
  const details = h('p', { class: 'hint', t: 'account.signedInAs', tArgs: { email: me.email, handle: me.handle } });
  const logoutButton = h('button', { type: 'button', class: 'secondary', t: 'account.logout',
    on: { click: async () => { await logout(); location.hash = links.spaces(); } } });
  replaceChildren(container, form('account.profileTitle', [details, name, affiliation, language],
    'account.save', async () => {
      saved.textContent = '';
      await updateProfile({ display_name: name.input.value, affiliation: affiliation.input.value,
        language: language.input.value });
      label(saved, 'account.saved');
    }, [saved, h('p', {}, logoutButton)]));
  return { unmount() {} };
}
