// The conversation page (`#chat`): sends with the JSON API, appends messages pushed over the
// page's live connection, marks them read while the page is in view, and after a reconnect
// fetches what it missed (`?after=` the last id it has), so nothing is lost.
//
// Message text is only ever set with `textContent`: it is plain text, never HTML.

import { api, ApiError } from "./api.js";

/** @typedef {import("./live.js").ChatMessage} ChatMessage */
/** @typedef {import("./live.js").ChatMessageFrame} ChatMessageFrame */

/** @typedef {{conversation_id: number | null, messages: ChatMessage[], has_more: boolean}} Thread */
/** @typedef {{conversation_id: number, message: ChatMessage}} Sent */

/** Times as the server shows them: `YYYY-MM-DD HH:MM`, Beijing time. */
const TIME = new Intl.DateTimeFormat("en-CA", {
  timeZone: "Asia/Shanghai",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

/**
 * @param {number} ms
 * @returns {string}
 */
function formatTime(ms) {
  /** @type {Record<string, string>} */
  const p = {};
  for (const part of TIME.formatToParts(new Date(ms))) p[part.type] = part.value;
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

/**
 * @param {HTMLElement} root
 * @param {string} selector
 * @returns {HTMLElement}
 */
function part(root, selector) {
  const el = root.querySelector(selector);
  if (!(el instanceof HTMLElement)) throw new Error(`chat: ${selector} missing`);
  return el;
}

export class Conversation {
  /** @type {"student" | "employer"} */
  side;
  conversationId = 0;
  registrationId = 0;
  fetchUrl = "";
  sendUrl = "";
  lastId = 0;
  /** @type {Set<number>} */
  seen = new Set();
  /** Messages from the other side arrived while the page was hidden. */
  unreadPending = false;
  fetching = false;

  /**
   * @param {HTMLElement} root
   * @param {import("./live.js").LiveConnection | null} live
   */
  constructor(root, live) {
    const d = root.dataset;
    this.side = d.side === "employer" ? "employer" : "student";
    this.conversationId = Number(d.conversationId) || 0;
    this.registrationId = Number(d.registrationId) || 0;
    this.fetchUrl = d.fetchUrl ?? "";
    this.sendUrl = d.sendUrl ?? "";
    this.networkMessage = d.msgNetwork ?? "";
    this.log = part(root, "#chat-log");
    this.empty = part(root, "#chat-empty");
    this.form = /** @type {HTMLFormElement} */ (part(root, "#chat-form"));
    this.text = /** @type {HTMLTextAreaElement} */ (part(root, "#chat-text"));
    this.error = part(root, "#chat-error");
    this.button = /** @type {HTMLButtonElement} */ (part(root, "#chat-send"));

    for (const li of this.log.querySelectorAll("li[data-id]")) {
      const id = Number(/** @type {HTMLElement} */ (li).dataset.id);
      this.seen.add(id);
      this.lastId = Math.max(this.lastId, id);
    }
    this.scrollToEnd();

    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.send();
    });
    // Enter sends on a keyboard; Shift+Enter is a new line. Not while an input method is
    // composing (Chinese input confirms with Enter), and not on touch screens, whose Enter key
    // is the new line.
    const fine = window.matchMedia("(pointer: fine)").matches;
    this.text.addEventListener("keydown", (event) => {
      if (fine && event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        this.send();
      }
    });
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible" && this.unreadPending) this.markRead();
    });

    if (live) {
      live.on("chat_message", (frame) => this.receive(frame));
      // On every (re)connection, fetch what arrived while no socket listened: also the first
      // time, for messages sent between the page's rendering and the socket's opening.
      live.on("statechange", (state) => {
        if (state === "open") this.catchUp();
      });
      // The socket may have opened before this listener was added.
      this.catchUp();
    }
  }

  /** @param {ChatMessageFrame} frame */
  receive(frame) {
    const ours =
      (this.conversationId !== 0 && frame.conversation_id === this.conversationId) ||
      (this.side === "student" && frame.registration_id === this.registrationId);
    if (!ours) return;
    this.conversationId = frame.conversation_id;
    this.append(frame.message);
    if (frame.message.side !== this.side) {
      if (document.visibilityState === "visible") this.markRead();
      else this.unreadPending = true;
    }
  }

  /** Fetches every message after the last one shown (after a reconnect). */
  async catchUp() {
    if (this.fetching) return;
    this.fetching = true;
    try {
      for (;;) {
        /** @type {Thread} */
        const thread = await api("GET", `${this.fetchUrl}?after=${this.lastId}`);
        if (thread.conversation_id) this.conversationId = thread.conversation_id;
        for (const m of thread.messages) this.append(m);
        if (!thread.has_more || thread.messages.length === 0) break;
      }
    } catch (err) {
      // The next reconnect tries again; the page shows the connection state meanwhile.
      console.warn("chat: catching up failed", err);
    } finally {
      this.fetching = false;
    }
  }

  async markRead() {
    this.unreadPending = false;
    if (!this.conversationId) return;
    try {
      await api("POST", `/api/v1/chats/${this.conversationId}/read`);
    } catch {
      // Opening the conversation again marks it read.
    }
  }

  async send() {
    const text = this.text.value;
    if (this.button.disabled) return;
    this.button.disabled = true;
    this.showError("");
    try {
      /** @type {Sent} */
      const sent = await api("POST", this.sendUrl, { text });
      this.conversationId = sent.conversation_id;
      this.append(sent.message);
      // Only what was sent is cleared: typing during the request is kept.
      if (this.text.value === text) this.text.value = "";
      this.scrollToEnd();
    } catch (err) {
      if (err instanceof ApiError && err.status !== 0) this.showError(err.message);
      else this.showError(this.networkMessage);
    } finally {
      this.button.disabled = false;
      this.text.focus();
    }
  }

  /** @param {string} message */
  showError(message) {
    this.error.textContent = message;
    if (message) {
      this.text.setAttribute("aria-invalid", "true");
      this.text.setAttribute("aria-describedby", "chat-error");
    } else {
      this.text.removeAttribute("aria-invalid");
      this.text.removeAttribute("aria-describedby");
    }
  }

  /**
   * Adds a message in id order, once.
   * @param {ChatMessage} m
   */
  append(m) {
    if (this.seen.has(m.id)) return;
    this.seen.add(m.id);
    const atEnd = this.nearEnd();

    const li = document.createElement("li");
    li.className = `chat-msg ${m.side === this.side ? "mine" : "theirs"}`;
    li.dataset.id = String(m.id);
    const meta = document.createElement("div");
    meta.className = "chat-meta";
    const sender = document.createElement("span");
    sender.className = "chat-sender";
    sender.textContent = m.sender_name;
    const time = document.createElement("time");
    time.textContent = formatTime(m.created_at);
    meta.append(sender, time);
    const body = document.createElement("p");
    body.className = "chat-body";
    body.textContent = m.body;
    li.append(meta, body);

    let before = null;
    if (m.id < this.lastId) {
      for (const other of this.log.querySelectorAll("li[data-id]")) {
        if (Number(/** @type {HTMLElement} */ (other).dataset.id) > m.id) {
          before = other;
          break;
        }
      }
    }
    this.log.insertBefore(li, before);
    this.lastId = Math.max(this.lastId, m.id);
    this.empty.classList.add("hidden");
    if (atEnd || m.side === this.side) this.scrollToEnd();
  }

  /** Whether the newest message is in view, so a new one should scroll in. */
  nearEnd() {
    return this.log.scrollHeight - this.log.scrollTop - this.log.clientHeight < 80;
  }

  scrollToEnd() {
    this.log.scrollTop = this.log.scrollHeight;
  }
}
