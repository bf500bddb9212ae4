/**
 * A question's threaded comments, kept in the DOM by comment id: a sync adds
 * what is new in its place, redraws what changed and leaves everything else
 * (including an open reply composer) alone.
 */
import { h } from '../dom.js';
import { createCommentNode } from './comment.js';

// Long enough to notice a new comment in passing, short enough not to linger.
const HIGHLIGHT_MS = 6_000;

/** What a comment looks like on screen; a change redraws it. */
function signature(c) {
  return [c.status, c.html, c.edited_at, c.support_count, c.supported_by_me, c.author?.display_name,
    c.author?.affiliation, c.lang].join('\u0000');
}

/**
 * @param {object} ctx passed to each comment node (see createCommentNode)
 */
export function createThread(ctx) {
  const el = h('ol', { class: 'thread' });
  /** @type {Map<number, object>} */
  const nodes = new Map();
  const signatures = new Map();
  let order = 'oldest';
  let language = '';

  function containerFor(comment) {
    const parent = comment.parent_id ? nodes.get(comment.parent_id) : null;
    return parent ? parent.replies : el;
  }

  /** Threads follow the chosen order; replies always read oldest first, under their parent. */
  function place(node, container) {
    const newestFirst = container === el && order === 'newest';
    const id = node.comment.id;
    const before = [...container.children].find((sibling) => {
      const other = Number(sibling.dataset.commentId);
      return other !== id && (newestFirst ? other < id : other > id);
    });
    if (before) {
      if (node.el.nextElementSibling !== before || node.el.parentElement !== container) {
        container.insertBefore(node.el, before);
      }
    } else if (node.el.parentElement !== container || container.lastElementChild !== node.el) {
      container.append(node.el);
    }
  }

  function filter(node) {
    node.article.hidden = Boolean(language) && node.comment.lang !== language;
  }

  return {
    el,
    nodes,
    /**
     * Bring the DOM in line with `comments` (oldest first).
     * @param {object[]} comments
     * @param {{highlight?: (comment: object) => boolean}} [options] which new ones to highlight
     * @returns {object[]} the comments that were not shown before
     */
    sync(comments, { highlight = () => false } = {}) {
      const added = [];
      for (const comment of comments) {
        let node = nodes.get(comment.id);
        if (!node) {
          node = createCommentNode(comment, ctx);
          nodes.set(comment.id, node);
          signatures.set(comment.id, signature(comment));
          place(node, containerFor(comment));
          added.push(comment);
          if (highlight(comment)) {
            node.article.classList.add('is-new');
            setTimeout(() => node.article.classList.remove('is-new'), HIGHLIGHT_MS);
          }
        } else {
          const container = containerFor(comment);
          if (node.el.parentElement !== container) place(node, container); // its parent arrived later
          if (signatures.get(comment.id) !== signature(comment)) {
            signatures.set(comment.id, signature(comment));
            node.update(comment);
          }
        }
        filter(node);
      }
      for (const node of nodes.values()) node.setReplyCount(node.replies.children.length);
      return added;
    },
    /** 'oldest' or 'newest' first, for the threads (not the replies). */
    setOrder(next) {
      order = next;
      const rank = (item) => (order === 'newest' ? -1 : 1) * Number(item.dataset.commentId);
      el.append(...[...el.children].sort((a, b) => rank(a) - rank(b)));
    },
    /** Show only comments in this language ('' for all). */
    setLanguage(next) {
      language = next;
      for (const node of nodes.values()) filter(node);
    },
    /** Redraw every comment (the reader logged in or out, the question closed). */
    redraw() {
      for (const node of nodes.values()) node.update(node.comment);
    },
  };
}
