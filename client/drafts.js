/** Drafts in localStorage, one per question and reply target, so they survive reloads. */

const PREFIX = 'roundtable:draft:';

function key(slug, questionId, parentId) {
  return `${PREFIX}${slug}:${questionId}:${parentId ?? 'new'}`;
}

/** @returns {{body: string, lang: string | null} | null} */
export function loadDraft(slug, questionId, parentId) {
  try {
    const raw = localStorage.getItem(key(slug, questionId, parentId));
    return raw ? JSON.parse(raw) : null;
  } catch {
    return null; // storage disabled or a damaged entry: start empty
  }
}

export function saveDraft(slug, questionId, parentId, draft) {
  try {
    if (draft.body.trim()) localStorage.setItem(key(slug, questionId, parentId), JSON.stringify(draft));
    else localStorage.removeItem(key(slug, questionId, parentId));
  } catch {
    // storage full or disabled: the draft lives as long as the page
  }
}

export function clearDraft(slug, questionId, parentId) {
  try {
    localStorage.removeItem(key(slug, questionId, parentId));
  } catch {
    // nothing to clear
  }
}

/** Parent ids that have a reply draft on this question. */
export function replyDraftParents(slug, questionId) {
  const prefix = `${PREFIX}${slug}:${questionId}:`;
  const parents = [];
  try {
    for (let i = 0; i < localStorage.length; i += 1) {
      const name = localStorage.key(i);
      if (name?.startsWith(prefix) && name !== `${prefix}new`) parents.push(Number(name.slice(prefix.length)));
    }
  } catch {
    // storage disabled: no drafts
  }
  return parents;
}
