/** Logging in, registering, and the reader's profile. */
import { h, replaceChildren, uniqueId } from '../dom.js';
import { errorKey } from '../errors.js';
import { LANGUAGES, currentLanguage, label, setLanguage } from '../i18n.js';
import { links, safeNext } from '../router.js';
import { currentUser, login, logout, register, updateProfile } from '../session.js';

/** A labelled input; returns [wrapper, input]. */
function field(key, attrs) {
  const id = uniqueId('field');
  const input = h('input', { id, ...attrs });
  return [h('p', { class: 'field' }, h('label', { for: id, t: key }), input), input];
}

function languageField(key, value) {
  const id = uniqueId('field');
  const select = h('select', { id, name: 'language' },
    LANGUAGES.map((code) => h('option', { value: code, 'data-i18n-lang': code })));
  select.value = LANGUAGES.includes(value) ? value : 'en';
  return [h('p', { class: 'field' }, h('label', { for: id, t: key }), select), select];
}

/** A form whose submit runs `action`; errors appear in an alert, the button is busy meanwhile. */
function form(titleKey, fields, submitKey, action, extra = null) {
  const error = h('p', { class: 'form-error', role: 'alert' });
  const submit = h('button', { type: 'submit', t: submitKey });
  const element = h('form', { class: 'account-form', novalidate: true },
    fields, h('p', {}, submit), error);
  element.addEventListener('submit', async (event) => {
    event.preventDefault();
    submit.disabled = true;
    error.textContent = '';
    try {
      await action();
    } catch (failure) {
      label(error, errorKey(failure));
    } finally {
      submit.disabled = false;
    }
  });
  return [h('h1', { t: titleKey }), element, extra];
}

export function mountLogin(container, { query }) {
  const next = safeNext(query.get('next'));
  const [emailField, email] = field('account.email', { type: 'email', name: 'email', autocomplete: 'username',
    required: true });
  const [passwordField, password] = field('account.password', { type: 'password', name: 'password',
    autocomplete: 'current-password', required: true });
  replaceChildren(container, form('account.loginTitle', [emailField, passwordField], 'account.login', async () => {
    await login(email.value, password.value);
    location.hash = next;
  }, h('p', {}, h('a', { href: links.register(next), t: 'account.noAccount' }))));
  email.focus();
  return { unmount() {} };
}

export function mountRegister(container, { query }) {
  const next = safeNext(query.get('next'));
  const [nameField, name] = field('account.displayName', { name: 'display_name', autocomplete: 'name',
    required: true, maxlength: 80 });
  const [affiliationField, affiliation] = field('account.affiliation', { name: 'affiliation',
    autocomplete: 'organization', maxlength: 120 });
  const [emailField, email] = field('account.email', { type: 'email', name: 'email', autocomplete: 'email',
    required: true });
  const [passwordField, password] = field('account.newPassword', { type: 'password', name: 'password',
    autocomplete: 'new-password', required: true, minlength: 8 });
  const [languageWrap, language] = languageField('account.language', currentLanguage());
  replaceChildren(container, form('account.registerTitle',
    [nameField, affiliationField, emailField, passwordField, languageWrap], 'account.register', async () => {
      await register({ display_name: name.value, affiliation: affiliation.value || null, email: email.value,
        password: password.value, language: language.value });
      // The language chosen here is the one they read in from now on.
      await setLanguage(language.value);
      location.hash = next;
    }, h('p', {}, h('a', { href: links.login(next), t: 'account.haveAccount' }))));
  name.focus();
  return { unmount() {} };
}

export function mountProfile(container) {
  const me = currentUser();
  if (!me) {
    location.hash = links.login(links.profile());
    return { unmount() {} };
  }
  const [nameField, name] = field('account.displayName', { name: 'display_name', required: true, maxlength: 80,
    value: me.display_name });
  const [affiliationField, affiliation] = field('account.affiliation', { name: 'affiliation', maxlength: 120,
    value: me.affiliation ?? '' });
  const [languageWrap, language] = languageField('account.commentLanguage', me.language);
  const saved = h('p', { class: 'form-saved', role: 'status' });
  const details = h('p', { class: 'hint', t: 'account.signedInAs', tArgs: { email: me.email, handle: me.handle } });
  const logoutButton = h('button', { type: 'button', class: 'secondary', t: 'account.logout',
    on: { click: async () => { await logout(); location.hash = links.spaces(); } } });
  replaceChildren(container, form('account.profileTitle', [details, nameField, affiliationField, languageWrap],
    'account.save', async () => {
      saved.textContent = '';
      await updateProfile({ display_name: name.value, affiliation: affiliation.value, language: language.value });
      label(saved, 'account.saved');
    }, [saved, h('p', {}, logoutButton)]));
  return { unmount() {} };
}
