// The page's realtime connection: fairhall realtime protocol v1 over `/ws`.
//
// Every frame is one JSON object `{"v":1,"type":…}`. The server sends `hello`, `heartbeat`
// (every 15 s), `pong`, `presence`, `notification`, `chat_message`, `chat_unread`, `call_state`,
// `call_signal`, `watching_fair`, `fair_announcement`, `resync` and `error`; the client may send `ping`,
// `watch_presence`, `watch_fair` and `signal` (WebRTC offers, answers and ICE candidates,
// relayed to another participant of the same call). Commands that change state go over HTTP,
// never over this socket.
//
// A LiveConnection dispatches one CustomEvent per server frame (event name = frame type,
// `detail` = the frame) and a `statechange` event (`detail` = "connecting" | "open" | "closed").
// It reconnects by itself with exponential backoff and jitter, treats 45 s of silence as a dead
// socket, and re-sends presence watches after each reconnect. `close()` stops it for good.

export const PROTOCOL_VERSION = 1;

/** @typedef {"connecting" | "open" | "closed"} LiveState */

/** @typedef {{v: 1, type: "hello", user_id: number, node: string}} HelloFrame */
/** @typedef {{v: 1, type: "heartbeat", at: number}} HeartbeatFrame */
/** @typedef {{v: 1, type: "pong", at: number}} PongFrame */
/** @typedef {{v: 1, type: "presence", user_id: number, online: boolean}} PresenceFrame */
/** @typedef {{v: 1, type: "notification", id: number, kind: string, title: string, body: string}} NotificationFrame */
/** @typedef {{v: 1, type: "error", code: string, message: string}} ErrorFrame */
/** @typedef {{id: number, side: "student" | "employer", sender_name: string, body: string, created_at: number}} ChatMessage */
/** @typedef {{v: 1, type: "chat_message", conversation_id: number, fair_id: number, registration_id: number, message: ChatMessage}} ChatMessageFrame */
/** @typedef {{v: 1, type: "chat_unread", conversation_id: number, unread: number, total_unread: number}} ChatUnreadFrame */
/** @typedef {{v: 1, type: "ticket_changed", ticket_id: number, status: string}} TicketChangedFrame */
/** @typedef {{user_id: number, name: string, side: "student" | "employer", joined_at: number | null, left_at: number | null}} CallParticipant */
/** @typedef {"ringing" | "active" | "ended" | "missed" | "declined" | "cancelled"} CallStatus */
/**
 * @typedef {{id: number, ticket_id: number, fair_id: number, registration_id: number, status: CallStatus,
 *   caller_id: number, ring_expires_at: number | null, participants: CallParticipant[], callee_ids?: number[],
 *   student_id: number, employer_name: string, student_name: string, notes?: string}} CallView
 */
/** @typedef {{v: 1, type: "call_state", call: CallView}} CallStateFrame */
/** @typedef {{candidate: string, sdpMid: string | null, sdpMLineIndex: number | null, usernameFragment?: string | null}} IceCandidateJson */
/** @typedef {{v: 1, type: "call_signal", call_id: number, from: number, kind: "offer" | "answer" | "candidate", sdp?: string, candidate?: IceCandidateJson}} CallSignalFrame */
/** @typedef {{v: 1, type: "watching_fair", fair_id: number}} WatchingFairFrame */
/** @typedef {{v: 1, type: "fair_announcement", fair_id: number, id: number, text: string, at: number}} FairAnnouncementFrame */
/** @typedef {{v: 1, type: "resync", reason: string}} ResyncFrame */
/** @typedef {ResyncFrame | WatchingFairFrame | FairAnnouncementFrame | HelloFrame | HeartbeatFrame | PongFrame | PresenceFrame | NotificationFrame | ErrorFrame | ChatMessageFrame | ChatUnreadFrame | TicketChangedFrame | CallStateFrame | CallSignalFrame} ServerFrame */

/** @typedef {{type: "ping"}} PingCommand */
/** @typedef {{type: "watch_presence", user_ids: number[]}} WatchPresenceCommand */
/** @typedef {{type: "signal", call_id: number, to: number, kind: "offer" | "answer" | "candidate", sdp?: string, candidate?: IceCandidateJson}} SignalCommand */
/** @typedef {{type: "watch_fair", fair_id: number}} WatchFairCommand */
/** @typedef {PingCommand | WatchPresenceCommand | WatchFairCommand | SignalCommand} ClientCommand */

/**
 * Event names and their `detail`, for `LiveConnection#on`.
 * @typedef {{
 *   hello: HelloFrame,
 *   heartbeat: HeartbeatFrame,
 *   pong: PongFrame,
 *   presence: PresenceFrame,
 *   notification: NotificationFrame,
 *   error: ErrorFrame,
 *   chat_message: ChatMessageFrame,
 *   chat_unread: ChatUnreadFrame,
 *   ticket_changed: TicketChangedFrame,
 *   call_state: CallStateFrame,
 *   call_signal: CallSignalFrame,
 *   watching_fair: WatchingFairFrame,
 *   fair_announcement: FairAnnouncementFrame,
 *   resync: ResyncFrame,
 *   statechange: LiveState,
 * }} LiveEventMap
 */

/**
 * @typedef {object} LiveOptions
 * @property {string} [url] WebSocket URL; defaults to `ws(s)://<location.host>/ws`.
 * @property {number} [backoffBaseMs] First reconnect delay (doubles on each failure). 500.
 * @property {number} [backoffMaxMs] Largest reconnect delay. 15000.
 * @property {number} [silenceMs] A socket that sends nothing for this long is dead. 45000.
 */

/** The server takes at most this many ids in one `watch_presence`. */
const MAX_WATCH_BATCH = 500;

const SERVER_TYPES = new Set([
  "hello",
  "heartbeat",
  "pong",
  "presence",
  "notification",
  "error",
  "chat_message",
  "chat_unread",
  "ticket_changed",
  "call_state",
  "call_signal",
  "watching_fair",
  "fair_announcement",
  "resync",
]);

/** @returns {string} */
function defaultUrl() {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${location.host}/ws`;
}

/**
 * @param {unknown} value
 * @returns {value is ServerFrame}
 */
function isServerFrame(value) {
  if (typeof value !== "object" || value === null) return false;
  const frame = /** @type {{v?: unknown, type?: unknown}} */ (value);
  return frame.v === PROTOCOL_VERSION && typeof frame.type === "string" && SERVER_TYPES.has(frame.type);
}

export class LiveConnection extends EventTarget {
  /** @type {string} */
  #url;
  /** @type {number} */
  #backoffBaseMs;
  /** @type {number} */
  #backoffMaxMs;
  /** @type {number} */
  #silenceMs;
  /** @type {WebSocket | null} */
  #ws = null;
  /** @type {LiveState} */
  #state = "closed";
  /** Failed attempts since the last connection that worked. */
  #attempt = 0;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  #reconnectTimer;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  #silenceTimer;
  #stopped = false;
  /** @type {Set<number>} */
  #watched = new Set();
  /** @type {Set<number>} */
  #fairs = new Set();
  /** @type {() => void} */
  #onOnline;
  /** @type {() => void} */
  #onVisible;

  /** @param {LiveOptions} [options] */
  constructor(options = {}) {
    super();
    this.#url = options.url ?? defaultUrl();
    this.#backoffBaseMs = options.backoffBaseMs ?? 500;
    this.#backoffMaxMs = options.backoffMaxMs ?? 15_000;
    this.#silenceMs = options.silenceMs ?? 45_000;
    // Back on the network, or back on the page (phones suspend timers): try again now rather
    // than wait out the backoff.
    this.#onOnline = () => this.reconnectNow();
    this.#onVisible = () => {
      if (document.visibilityState === "visible" && this.#state === "closed") this.reconnectNow();
    };
    window.addEventListener("online", this.#onOnline);
    document.addEventListener("visibilitychange", this.#onVisible);
    this.#connect();
  }

  /** @returns {LiveState} */
  get state() {
    return this.#state;
  }

  /** The user ids whose presence this connection watches. */
  get watched() {
    return Array.from(this.#watched);
  }

  /**
   * Listen for one event type with its typed `detail`. Returns a function that stops listening.
   * @template {keyof LiveEventMap} K
   * @param {K} type
   * @param {(detail: LiveEventMap[K]) => void} handler
   * @returns {() => void}
   */
  on(type, handler) {
    /** @param {Event} event */
    const listener = (event) => handler(/** @type {CustomEvent<LiveEventMap[K]>} */ (event).detail);
    this.addEventListener(type, listener);
    return () => this.removeEventListener(type, listener);
  }

  /**
   * Send one command. `v` is added. Returns false if the socket is not open (nothing is queued:
   * presence watches are re-sent on reconnect by `watchPresence`, pings are moot).
   * @param {ClientCommand | Record<string, unknown>} obj
   * @returns {boolean}
   */
  send(obj) {
    const ws = this.#ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return false;
    ws.send(JSON.stringify({ v: PROTOCOL_VERSION, ...obj }));
    return true;
  }

  /**
   * Watch these users' presence, now and after every reconnect. The server answers with one
   * `presence` event per user it lets this user see, then one per change.
   * @param {Iterable<number>} ids
   */
  watchPresence(ids) {
    /** @type {number[]} */
    const added = [];
    for (const id of ids) {
      if (Number.isSafeInteger(id) && !this.#watched.has(id)) {
        this.#watched.add(id);
        added.push(id);
      }
    }
    this.#sendWatches(added);
  }

  /**
   * Receive this fair's announcements (`fair_announcement`), now and after every reconnect.
   * @param {number} fairId
   */
  watchFair(fairId) {
    if (!Number.isSafeInteger(fairId) || this.#fairs.has(fairId)) return;
    this.#fairs.add(fairId);
    this.send({ type: "watch_fair", fair_id: fairId });
  }

  /** @param {number[]} ids */
  #sendWatches(ids) {
    for (let i = 0; i < ids.length; i += MAX_WATCH_BATCH) {
      this.send({ type: "watch_presence", user_ids: ids.slice(i, i + MAX_WATCH_BATCH) });
    }
  }

  /**
   * Stop re-sending these watches after a reconnect. (The protocol has no unwatch: the current
   * socket keeps reporting them until it closes.)
   * @param {Iterable<number>} ids
   */
  unwatchPresence(ids) {
    for (const id of ids) this.#watched.delete(id);
  }

  /** Reconnect at once if the connection is down, skipping the rest of the backoff. */
  reconnectNow() {
    if (this.#stopped || this.#state !== "closed") return;
    clearTimeout(this.#reconnectTimer);
    this.#attempt = 0;
    this.#connect();
  }

  /** Close the socket and stop reconnecting, for good. */
  close() {
    if (this.#stopped) return;
    this.#stopped = true;
    clearTimeout(this.#reconnectTimer);
    clearTimeout(this.#silenceTimer);
    window.removeEventListener("online", this.#onOnline);
    document.removeEventListener("visibilitychange", this.#onVisible);
    const ws = this.#ws;
    this.#ws = null;
    if (ws) this.#discard(ws, 1000, "page closed");
    this.#setState("closed");
  }

  #connect() {
    if (this.#stopped) return;
    this.#setState("connecting");
    /** @type {WebSocket} */
    let ws;
    try {
      ws = new WebSocket(this.#url);
    } catch (err) {
      console.warn("fairhall live: cannot open socket", err);
      this.#lost();
      return;
    }
    this.#ws = ws;
    ws.onopen = () => {
      if (ws !== this.#ws) return;
      this.#armSilenceTimer();
      this.#setState("open");
      this.#sendWatches(Array.from(this.#watched));
      for (const fairId of this.#fairs) this.send({ type: "watch_fair", fair_id: fairId });
    };
    ws.onmessage = (event) => {
      if (ws !== this.#ws) return;
      this.#armSilenceTimer();
      // A frame arrived: this connection works, so the next failure starts from the short delay.
      this.#attempt = 0;
      this.#receive(event.data);
    };
    ws.onclose = () => {
      if (ws !== this.#ws) return;
      this.#ws = null;
      this.#lost();
    };
    // An error is always followed by close; nothing to do here.
    ws.onerror = () => {};
  }

  /** @param {unknown} data */
  #receive(data) {
    if (typeof data !== "string") return;
    /** @type {unknown} */
    let frame;
    try {
      frame = JSON.parse(data);
    } catch {
      console.warn("fairhall live: frame is not JSON");
      return;
    }
    if (!isServerFrame(frame)) {
      console.warn("fairhall live: unknown frame", frame);
      return;
    }
    this.dispatchEvent(new CustomEvent(frame.type, { detail: frame }));
    // The server may have missed events (it lost the bus between nodes for a while): pages
    // refetch on "open", as after a reconnect of their own.
    if (frame.type === "resync") this.dispatchEvent(new CustomEvent("statechange", { detail: "open" }));
  }

  /** The socket closed or went silent: schedule the next attempt. */
  #lost() {
    clearTimeout(this.#silenceTimer);
    if (this.#stopped) return;
    this.#setState("closed");
    clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = setTimeout(() => this.#connect(), this.#nextDelay());
  }

  /** Exponential backoff with "equal jitter": half the delay fixed, half random. */
  #nextDelay() {
    const ceiling = Math.min(this.#backoffMaxMs, this.#backoffBaseMs * 2 ** this.#attempt);
    this.#attempt = Math.min(this.#attempt + 1, 30);
    return ceiling / 2 + Math.random() * (ceiling / 2);
  }

  #armSilenceTimer() {
    clearTimeout(this.#silenceTimer);
    this.#silenceTimer = setTimeout(() => {
      const ws = this.#ws;
      if (!ws) return;
      // Half-open TCP may take minutes to report close; drop it and start afresh.
      console.warn("fairhall live: no frame for", this.#silenceMs, "ms, reconnecting");
      this.#ws = null;
      this.#discard(ws, 4000, "heartbeat timeout");
      this.#lost();
    }, this.#silenceMs);
  }

  /**
   * Detach from a socket and close it without waiting for its events.
   * @param {WebSocket} ws
   * @param {number} code
   * @param {string} reason
   */
  #discard(ws, code, reason) {
    ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
    try {
      ws.close(code, reason);
    } catch {
      // Already closing.
    }
  }

  /** @param {LiveState} state */
  #setState(state) {
    if (this.#state === state) return;
    this.#state = state;
    this.dispatchEvent(new CustomEvent("statechange", { detail: state }));
  }
}

/**
 * Reflect a connection's state on the `#live-status` dot in the top bar: `data-state`, and a
 * `title` (and accessible label) from its `data-label-open` / `data-label-closed` attributes.
 * @param {LiveConnection} live
 * @param {HTMLElement} dot
 */
function reflectState(live, dot) {
  const labels = {
    connecting: dot.title,
    open: dot.dataset.labelOpen ?? dot.title,
    closed: dot.dataset.labelClosed ?? dot.title,
  };
  dot.setAttribute("role", "status");
  // Once the connection has been lost, retries show as "closed" (its label says "reconnecting")
  // rather than flickering between grey and amber on every attempt.
  let lost = false;
  /** @param {LiveState} state */
  const show = (state) => {
    if (state === "closed") lost = true;
    if (state === "open") lost = false;
    if (state === "connecting" && lost) state = "closed";
    dot.dataset.state = state;
    dot.title = labels[state];
    dot.setAttribute("aria-label", labels[state]);
  };
  show(live.state);
  live.on("statechange", show);
}

/**
 * On pages for signed-in users (`<body data-live="1">`), open the page's one LiveConnection,
 * show its state on `#live-status`, and keep it on `window.fairhallLive`. Returns it, or null on
 * pages without one. Safe to call more than once.
 * @returns {LiveConnection | null}
 */
export function connectPage() {
  if (window.fairhallLive) return window.fairhallLive;
  if (document.body?.dataset.live !== "1") return null;
  const live = new LiveConnection();
  window.fairhallLive = live;
  const dot = document.getElementById("live-status");
  if (dot) reflectState(live, dot);
  // Leaving the page: close cleanly so the server drops the connection at once.
  window.addEventListener("pagehide", (event) => {
    if (!event.persisted) live.close();
  });
  return live;
}
