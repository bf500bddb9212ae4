/**
 * Safe DOM building. Elements are made from a tag, attributes and text, never
 * from HTML strings; user text always goes in as text nodes. The one way in for
 * markup is `setSanitisedHtml`, for HTML the server rendered and sanitised
 * (`html`, `intro_html`, `body_html`).
 */
import { localize } from './i18n.js';

const SVG_NS = 'http://www.w3.org/2000/svg';

/**
 * Create an element.
 *
 * `props` holds attributes, plus a few keys of its own:
 * - `t`: a catalogue key for the text (kept in data-i18n, so a language switch relabels it);
 * - `tArgs`: the key's arguments;
 * - `tAttrs`: `{attribute: key}` for translated attributes (aria-label, placeholder, title);
 * - `on`: `{event: listener}`;
 * - `value`: an input's value (a property, not an attribute).
 * Inline handlers (`on…` attributes) and `style` attributes are refused: listeners go
 * through `on`, and the Content-Security-Policy forbids inline styles.
 *
 * @param {string} tag
 * @param {object} [props]
 * @param {...(Node|string|number|null|undefined|false|Array)} children
 * @returns {HTMLElement}
 */
export function h(tag, props = {}, ...children) {
  return build(document.createElement(tag), props, children);
}

/** Like `h`, for SVG elements. @returns {SVGElement} */
export function svg(tag, props = {}, ...children) {
  return build(document.createElementNS(SVG_NS, tag), props, children);
}

function build(element, props, children) {
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'on') {
      for (const [type, listener] of Object.entries(value)) element.addEventListener(type, listener);
    } else if (key === 't') {
      element.dataset.i18n = value;
    } else if (key === 'tArgs') {
      element.dataset.i18nArgs = JSON.stringify(value);
    } else if (key === 'tAttrs') {
      element.dataset.i18nAttrs = Object.entries(value).map(([name, k]) => `${name}=${k}`).join(';');
    } else if (key === 'value') {
      element.value = value;
    } else if (/^on/i.test(key) || key === 'style') {
      throw new Error(`h(): refusing the attribute "${key}"`);
    } else {
      element.setAttribute(key, value === true ? '' : String(value));
    }
  }
  append(element, children);
  const { i18n, i18nAttrs, i18nDate, i18nLang } = element.dataset ?? {};
  if (i18n || i18nAttrs || i18nDate || i18nLang) localize(element);
  return element;
}

/** Append children: nodes as they are, strings and numbers as text, arrays flattened. */
export function append(parent, children) {
  for (const child of [children].flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

/** Replace an element's children. */
export function replaceChildren(parent, ...children) {
  parent.replaceChildren();
  return append(parent, children);
}

/**
 * Put server-sanitised HTML into a container. Only for HTML the server rendered
 * through its sanitiser (comment `html`, space `intro_html`, question `body_html`).
 */
export function setSanitisedHtml(container, html) {
  container.innerHTML = html ?? '';
  // Comments stored before mentions led to the client's profile page link to /users/<handle>.
  for (const mention of container.querySelectorAll('a.mention[href^="/users/"]')) {
    mention.setAttribute('href', `/#${mention.getAttribute('href')}`);
  }
  return container;
}

/** A fresh id for label/aria wiring. */
let lastId = 0;
export function uniqueId(prefix = 'id') {
  lastId += 1;
  return `${prefix}-${lastId}`;
}

/** A keydown listener that calls `close` on Escape (and keeps Escape from closing anything else). */
export function closeOnEscape(close) {
  return (event) => {
    if (event.key !== 'Escape' || event.defaultPrevented) return;
    event.preventDefault();
    close();
  };
}
