/**
 * Interface languages: the catalogues in i18n/*.json, the chosen language
 * (remembered in localStorage), and dates and numbers formatted with Intl.
 *
 * Elements carry their catalogue key in data-i18n (and data-i18n-args,
 * data-i18n-attrs), so switching language relabels the page in place without
 * touching anything else (drafts, focus, scroll).
 */

export const LANGUAGES = ['en', 'fr', 'es'];
const STORAGE_KEY = 'roundtable:lang';

let language = 'en';
/** @type {Record<string, string>} */
let catalogue = {};
const listeners = new Set();

/** The interface language now ('en', 'fr' or 'es'). */
export function currentLanguage() {
  return language;
}

function remembered() {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null; // storage disabled: fall back to the browser's languages
  }
}

/** The stored choice, else the first of the browser's languages we speak, else English. */
export function preferredLanguage() {
  const stored = remembered();
  if (LANGUAGES.includes(stored)) return stored;
  for (const tag of navigator.languages ?? [navigator.language]) {
    const base = String(tag).toLowerCase().split('-')[0];
    if (LANGUAGES.includes(base)) return base;
  }
  return 'en';
}

async function load(lang) {
  const response = await fetch(`/i18n/${lang}.json`);
  if (!response.ok) throw new Error(`cannot load the ${lang} catalogue`);
  return response.json();
}

/** Load the preferred language's catalogue and label the document. */
export async function initI18n() {
  await use(preferredLanguage());
}

/** Switch language, remember it, relabel the whole document. */
export async function setLanguage(lang) {
  if (!LANGUAGES.includes(lang)) return;
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // storage disabled: the choice lasts until the page is closed
  }
  await use(lang);
  localizeAll(document);
  for (const listener of listeners) listener(lang);
}

async function use(lang) {
  catalogue = await load(lang);
  language = lang;
  document.documentElement.lang = lang;
}

/** Call `listener(lang)` after each switch; returns a function that stops it. */
export function onLanguageChange(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * The text for `key`, with `{name}` placeholders filled from `args`. With a
 * numeric `count`, `key.one` / `key.other` (and so on) are chosen by the
 * language's plural rules.
 */
export function t(key, args = {}) {
  let template = catalogue[key];
  if (typeof args.count === 'number') {
    const category = new Intl.PluralRules(language).select(args.count);
    template = catalogue[`${key}.${category}`] ?? catalogue[`${key}.other`] ?? template;
  }
  if (template === undefined) {
    console.warn(`i18n: no "${key}" in the ${language} catalogue`);
    return key;
  }
  return template.replace(/\{(\w+)\}/g, (whole, name) => {
    const value = args[name];
    if (value === undefined || value === null) return whole;
    return typeof value === 'number' ? formatNumber(value) : String(value);
  });
}

/** Relabel one element from its data-i18n* attributes. */
export function localize(element) {
  const { i18n: key, i18nArgs, i18nAttrs, i18nDate, i18nLang } = element.dataset;
  const args = i18nArgs ? JSON.parse(i18nArgs) : {};
  if (key) element.textContent = t(key, args);
  if (i18nAttrs) {
    for (const pair of i18nAttrs.split(';')) {
      const [name, attrKey] = pair.split('=');
      element.setAttribute(name, t(attrKey, args));
    }
  }
  if (i18nDate) element.textContent = formatDateTime(i18nDate);
  if (i18nLang) element.textContent = languageName(i18nLang);
}

/** Give an element a catalogue text (kept, so a language switch relabels it). */
export function label(element, key, args) {
  element.dataset.i18n = key;
  if (args) element.dataset.i18nArgs = JSON.stringify(args);
  else delete element.dataset.i18nArgs;
  localize(element);
}

/** Relabel every labelled element under `root`. */
export function localizeAll(root) {
  const selector = '[data-i18n], [data-i18n-attrs], [data-i18n-date], [data-i18n-lang]';
  if (root.matches?.(selector)) localize(root);
  for (const element of root.querySelectorAll(selector)) localize(element);
}

export function formatNumber(value) {
  return new Intl.NumberFormat(language).format(value);
}

export function formatPercent(fraction) {
  return new Intl.NumberFormat(language, { style: 'percent' }).format(fraction);
}

/**
 * The locale for dates and numbers: the browser's own when it is a variant of the interface
 * language (en-GB reads "27 Nov 2026, 18:37", en-US "Nov 27, 2026, 6:37 PM"), else the language.
 */
export function formattingLocale() {
  for (const tag of navigator.languages ?? [navigator.language]) {
    if (String(tag).toLowerCase().split('-')[0] === language) return String(tag);
  }
  return language;
}

// Day, month and time as the locale writes them, and the zone: a consultation crosses zones.
const DATE_TIME = { day: 'numeric', month: 'short', year: 'numeric', hour: 'numeric', minute: '2-digit',
  timeZoneName: 'short' };

/** A date and time, e.g. "27 Nov 2026, 18:37 CET" in the browser's conventions for the interface language. */
export function formatDateTime(iso) {
  return new Intl.DateTimeFormat(formattingLocale(), DATE_TIME).format(new Date(iso));
}

/** A time of day, e.g. "18:37". */
export function formatTime(date) {
  return new Intl.DateTimeFormat(formattingLocale(), { hour: '2-digit', minute: '2-digit' }).format(date);
}

/** A language's name in the interface language, e.g. "français" for "fr" in French. */
export function languageName(code) {
  try {
    return new Intl.DisplayNames([language], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}
