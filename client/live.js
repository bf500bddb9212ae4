/**
 * Roundtable's live client: one WebSocket to /ws, any number of spaces, and
 * a local store per space. No dependencies, no build step.
 *
 * It keeps, per space, the last seq and the epoch it has; after a drop it
 * reconnects (exponential backoff with full jitter, or the delay a stopping
 * server gave it with `reconnect`) and resubscribes with
 * `since` + `epoch`, so it receives exactly what it missed. The protocol is
 * described in docs/protocol.md.
 */

// Reconnect delays: random in [0, min(cap, base * 2^attempt)) ("full jitter").
const BACKOFF_BASE_MS = 500;
const BACKOFF_CAP_MS = 30_000;
// A connection that stays up this long counts as healthy: the backoff restarts.
const STABLE_AFTER_MS = 10_000;
// The server sends a heartbeat every 25 s; hearing nothing for two of them
// means the connection is dead even if the browser has not noticed.
const SILENCE_LIMIT_MS = 60_000;
// The server counts someone as writing for 6 s after their last signal.
const TYPING_EVERY_MS = 3_000;
// Close codes after which retrying cannot help (see docs/protocol.md).
const CLOSE_UNAUTHORIZED = 4001;
const CLOSE_ORIGIN_NOT_ALLOWED = 4003;
// Too slow: the server dropped this connection's backlog; resume at once.
const CLOSE_TOO_SLOW = 4008;

/** @typedef {'connecting' | 'live' | 'reconnecting' | 'offline'} LiveState */

/**
 * @typedef {object} LiveClient
 * @property {(space: string, store: SpaceStore) => SpaceStore} subscribe Follow a space into `store`.
 * @property {(space: string) => void} unsubscribe Stop following a space.
 * @property {(space: string, questionId: number) => void} typing The user is writing on a
 *   question (sent at most once per 3 s per space).
 * @property {() => void} close Close for good (state becomes 'offline').
 * @property {LiveState} state The connection's state now.
 */

/**
 * Open a live connection that survives drops.
 *
 * @param {object} [options]
 * @param {string} [options.url] WebSocket URL; default ws(s)://<this host>/ws.
 * @param {string} [options.screenToken] Connect as a screen (docs/protocol.md "Screens"): the
 *   token goes in the URL as `?screen_token=`, since a browser cannot set headers on a WebSocket.
 * @param {(state: LiveState) => void} [options.onStateChange] Called on every state change.
 * @param {(error: {code: string, message: string, space?: string}) => void} [options.onError]
 *   Called with each `error` message (default: console.warn).
 * @returns {LiveClient}
 */
export function createLiveClient({ url, screenToken, onStateChange = () => {}, onError = console.warn } = {}) {
  const base = url ?? `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
  const target = screenToken ? `${base}?screen_token=${encodeURIComponent(screenToken)}` : base;
  /** @type {Map<string, {store: SpaceStore, seq: number | null, epoch: string | null}>} */
  const spaces = new Map();
  /** @type {Map<string, number>} when each space last had a typing signal (ms) */
  const lastTyping = new Map();
  /** @type {WebSocket | null} */
  let socket = null;
  /** @type {LiveState} */
  let state = 'connecting';
  let attempt = 0;
  let closed = false;
  // The delay a stopping server gave this connection (`reconnect`), so that its
  // clients come back spread out rather than all at once.
  let restartDelayMs = null;
  let retryTimer, stableTimer, silenceTimer;

  function setState(next) {
    if (state !== next) onStateChange((state = next));
  }

  function send(message) {
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
  }

  function sendSubscribe(space, entry) {
    const message = { type: 'subscribe', space, since: entry.seq };
    if (entry.seq !== null) message.epoch = entry.epoch;
    send(message);
  }

  function connect() {
    clearTimeout(retryTimer);
    if (closed || socket) return;
    if (globalThis.navigator?.onLine === false) return setState('offline');
    const ws = new WebSocket(target);
    socket = ws;
    ws.onopen = () => {
      setState('live');
      stableTimer = setTimeout(() => { attempt = 0; }, STABLE_AFTER_MS);
      heard();
      for (const [space, entry] of spaces) sendSubscribe(space, entry);
    };
    ws.onmessage = (event) => { heard(); handle(JSON.parse(event.data)); };
    ws.onclose = (event) => {
      if (socket !== ws) return; // already dropped on purpose
      detach();
      if (event.code === CLOSE_UNAUTHORIZED || event.code === CLOSE_ORIGIN_NOT_ALLOWED) {
        return setState('offline'); // retrying cannot help: log in again, or use the right origin
      }
      if (restartDelayMs !== null) {
        const delay = restartDelayMs;
        restartDelayMs = null;
        setState('reconnecting');
        retryTimer = setTimeout(connect, delay);
        return;
      }
      reconnect(event.code === CLOSE_TOO_SLOW);
    };
  }

  /** Forget the current socket (its late events are ignored) and close it. */
  function detach() {
    const ws = socket;
    socket = null;
    clearTimeout(stableTimer);
    clearTimeout(silenceTimer);
    if (ws && ws.readyState <= WebSocket.OPEN) ws.close(1000);
  }

  function reconnect(immediately) {
    setState('reconnecting');
    const delay = immediately ? 0 : Math.random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** attempt);
    if (!immediately) attempt += 1;
    retryTimer = setTimeout(connect, delay);
  }

  /** Restart the silence watch: any message proves the connection alive. */
  function heard() {
    clearTimeout(silenceTimer);
    silenceTimer = setTimeout(() => { detach(); reconnect(false); }, SILENCE_LIMIT_MS);
  }

  function handle(message) {
    const entry = spaces.get(message.space);
    switch (message.type) {
      case 'snapshot':
      case 'subscribed': // a resume: the missed events follow
        if (!entry) return;
        if (message.type === 'snapshot') entry.store.applySnapshot(message);
        entry.seq = message.seq;
        entry.epoch = message.epoch;
        return;
      case 'events':
        if (!entry) return;
        entry.store.applyEvents(message.events, message.seq);
        entry.seq = Math.max(entry.seq ?? 0, message.seq);
        return;
      case 'resync': // too far behind, or the log changed: take a fresh snapshot
        if (!entry) return;
        entry.seq = null;
        entry.epoch = null;
        sendSubscribe(message.space, entry);
        return;
      case 'presence': entry?.store.applyPresence(message); return;
      case 'statistics': entry?.store.applyStatistics(message.statistics); return;
      case 'heartbeat': // nothing to answer; it says how far each space has been sent
        for (const [space, seq] of Object.entries(message.spaces)) {
          const known = spaces.get(space);
          if (known && known.seq !== null && seq > known.seq) known.seq = seq;
        }
        return;
      case 'error': onError(message); return;
      case 'reconnect': restartDelayMs = Math.max(0, Number(message.retry_after_ms) || 0); return;
      default: // pong, unsubscribed, and types added later
    }
  }

  function online() {
    if (closed || socket) return;
    attempt = 0;
    setState('reconnecting');
    connect();
  }

  function offline() {
    clearTimeout(retryTimer);
    detach();
    setState('offline');
  }

  globalThis.addEventListener?.('online', online);
  globalThis.addEventListener?.('offline', offline);
  connect();

  return {
    subscribe(space, store) {
      if (!spaces.has(space)) {
        const entry = { store, seq: null, epoch: null };
        spaces.set(space, entry);
        sendSubscribe(space, entry);
      }
      return spaces.get(space).store;
    },
    unsubscribe(space) {
      if (spaces.delete(space)) send({ type: 'unsubscribe', space });
      lastTyping.delete(space);
    },
    typing(space, questionId) {
      const now = Date.now();
      if (!spaces.has(space) || now - (lastTyping.get(space) ?? -Infinity) < TYPING_EVERY_MS) return;
      lastTyping.set(space, now);
      send({ type: 'typing', space, question_id: questionId });
    },
    close() {
      closed = true;
      clearTimeout(retryTimer);
      detach();
      globalThis.removeEventListener?.('online', online);
      globalThis.removeEventListener?.('offline', offline);
      setState('offline');
    },
    get state() { return state; },
  };
}

/**
 * @typedef {object} SpaceState
 * @property {object | null} space The space (as in the HTTP API, without my_role).
 * @property {{discussion: object[], participant: object[]}} questions Discussion
 *   questions in their order (numbered 1, 2, …), participants' questions oldest first.
 * @property {Object<string, object>} comments Comments by id (tombstones included).
 * @property {boolean} commentsComplete False when older comments are only in the HTTP API.
 * @property {object | null} presence {participants, moderators, screens, writing}.
 * @property {{now: object | null, next: object[]}} spotlight What screens show now and next.
 * @property {object[]} announcements The active announcements, oldest first.
 * @property {object | null | undefined} myRestriction This reader's mute or ban as the live stream
 *   last told it (`participant.muted`… personal payloads); undefined until it says anything.
 * @property {object | null} queue Moderators: {pending, flagged, recent} from the latest event carrying it.
 * @property {object | null} statistics Moderators and screens: the space's statistics (docs/protocol.md
 *   "statistics"), from the snapshot, then each coalesced `statistics` message; null for others.
 * @property {number | null} seq The last seq applied (snapshot or event).
 * @property {string | null} epoch The space's events log identity.
 * @property {'public' | 'moderators' | null} role Whose payloads this store receives.
 */

/**
 * @typedef {object} SpaceStore
 * @property {SpaceState} state The current state; changed in place, then listeners are called.
 * @property {(listener: (state: SpaceState, change: {type: string, events?: object[]}) => void) => () => void} subscribe
 *   Call `listener` after every change; returns a function that stops it.
 * @property {(snapshot: object) => void} applySnapshot Replace the state with a `snapshot` message's.
 * @property {(events: object[], seq?: number) => void} applyEvents Apply an `events` message's
 *   events, skipping any at or below the last applied seq; `seq` is the frame's seq.
 * @property {(presence: object) => void} applyPresence Take a `presence` message's counts.
 * @property {(statistics: object) => void} applyStatistics Take a `statistics` message's numbers
 *   (listeners get a `{type: 'statistics'}` change); older ones than those held are ignored.
 */

/**
 * A space's live state, built from a snapshot and the events after it.
 *
 * @param {object} [options]
 * @param {number} [options.maxComments] Keep at most this many comments, dropping the oldest
 *   (lowest id) first: a display that runs all day holds a bounded number. Default: no bound.
 * @returns {SpaceStore}
 */
export function createSpaceStore({ maxComments = Infinity } = {}) {
  /** @type {SpaceState} */
  const state = { space: null, questions: { discussion: [], participant: [] }, comments: {},
    commentsComplete: true, presence: null, spotlight: { now: null, next: [] }, announcements: [],
    myRestriction: undefined, queue: null, statistics: null, seq: null, epoch: null, role: null };
  const listeners = new Set();

  const notify = (change) => { for (const listener of listeners) listener(state, change); };
  // Event payloads show the space as the public sees it, my_role included: drop it.
  const withoutRole = ({ my_role: _, ...space }) => space;

  function putQuestion(question, order) {
    const list = state.questions[question.kind];
    const at = list.findIndex((q) => q.id === question.id);
    if (at === -1) list.push(question); else list[at] = question;
    // A rejected question restored later keeps its place: participants' are oldest first.
    if (at === -1 && question.kind === 'participant') list.sort((a, b) => a.id - b.id);
    if (order && question.kind === 'discussion') {
      // Moving one question renumbers the others: follow the server's order.
      const rank = new Map(order.map((id, index) => [id, index]));
      list.sort((a, b) => (rank.get(a.id) ?? Infinity) - (rank.get(b.id) ?? Infinity));
      list.forEach((q, index) => { q.number = index + 1; });
    }
  }

  function apply({ type, data }) {
    const [kind] = type.split('.');
    if (kind === 'space' && data.space) state.space = withoutRole(data.space);
    else if (kind === 'question' && data.question) putQuestion(data.question, data.order);
    else if (kind === 'comment' && data.comment) state.comments[data.comment.id] = data.comment;
    if (type === 'spotlight.changed') state.spotlight = data.spotlight;
    if (type === 'announcement.posted') state.announcements.push(data.announcement);
    if (type === 'announcement.dismissed') {
      state.announcements = state.announcements.filter((a) => a.id !== data.announcement.id);
    }
    // A personal payload: this reader was muted, banned, or set free.
    if ('my_restriction' in data) state.myRestriction = data.my_restriction;
    // Moderators' events carry the queue counts as of that event: the latest wins.
    if (data.queue) state.queue = data.queue;
    // Event types this client does not know yet only advance the seq.
  }

  /** Drop the oldest comments beyond `maxComments` (ids grow in posting order). */
  function bound() {
    const ids = Object.keys(state.comments);
    if (ids.length <= maxComments) return;
    const oldest = ids.map(Number).sort((a, b) => a - b).slice(0, ids.length - maxComments);
    for (const id of oldest) delete state.comments[id];
    state.commentsComplete = false;
  }

  return {
    state,
    subscribe(listener) {
      listeners.add(listener);
      return () => { listeners.delete(listener); };
    },
    applySnapshot(snapshot) {
      const s = snapshot.state;
      state.space = withoutRole(s.space);
      state.questions = { discussion: [...s.questions.discussion], participant: [...s.questions.participant] };
      state.comments = Object.fromEntries(s.comments.map((c) => [c.id, c]));
      state.commentsComplete = s.comments_complete;
      state.presence = s.presence ?? null;
      state.spotlight = s.spotlight ?? { now: null, next: [] };
      state.announcements = [...(s.announcements ?? [])];
      state.statistics = s.statistics ?? null;
      bound();
      state.seq = snapshot.seq;
      state.epoch = snapshot.epoch;
      state.role = snapshot.role;
      notify({ type: 'snapshot' });
    },
    applyEvents(events, seq) {
      const applied = [];
      for (const event of events) {
        if (state.seq !== null && event.seq <= state.seq) continue; // seen already
        apply(event);
        state.seq = event.seq;
        applied.push(event);
      }
      // The frame's seq also covers trailing events this client may not see.
      if (seq > (state.seq ?? -1)) state.seq = seq;
      bound();
      if (applied.length) notify({ type: 'events', events: applied });
    },
    applyPresence({ participants, moderators, screens, writing }) {
      state.presence = { participants, moderators, screens, writing };
      notify({ type: 'presence' });
    },
    applyStatistics(statistics) {
      // A resync's snapshot may already hold newer numbers than a message sent before it.
      if (state.statistics && statistics.seq < state.statistics.seq) return;
      state.statistics = statistics;
      notify({ type: 'statistics' });
    },
  };
}
