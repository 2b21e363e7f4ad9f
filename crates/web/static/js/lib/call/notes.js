// The host's 面试备注 on the call page (`#call-notes`): kept in localStorage
// (`fairhall.notes.{ticket id}`) at every keystroke, saved to the server
// (`PUT /api/v1/tickets/{id}/notes`) after a pause, on blur, and again after a failure, and
// dropped from localStorage only once the server confirmed the same text. A draft the server
// never confirmed (a reload, a crash, no network) wins over the server's text on load.
//
// 结束面试 sends the notes with the verdict: `close()` stops autosaving first, so a late
// autosave cannot overwrite them.

import { ApiError, api } from "../api.js";

const NOTES_DEBOUNCE_MS = 800;
const NOTES_RETRY_MS = 5000;

export class Notes {
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  #timer;
  #saving = false;
  #dirty = false;
  /** The save in flight, if any (settles either way). */
  #inFlight = Promise.resolve();
  /** Set while 结束面试 is sending the notes with the verdict, and after: no more autosaves. */
  #closed = false;

  /**
   * @param {number} ticketId
   * @param {HTMLTextAreaElement | null} textarea `#call-notes` (hosts only).
   * @param {HTMLElement | null} status `#call-notes-status`.
   * @param {(key: string) => string} msg The page's messages (`notesSaving`, `notesSaved`, `notesUnsaved`).
   */
  constructor(ticketId, textarea, status, msg) {
    this.ticketId = ticketId;
    this.textarea = textarea;
    this.status = status;
    this.msg = msg;
  }

  get #key() {
    return `fairhall.notes.${this.ticketId}`;
  }

  /** The notes as typed ("" without a notes field). */
  get value() {
    return this.textarea?.value ?? "";
  }

  /** Restore an unconfirmed draft and save as the host types. */
  start() {
    const notes = this.textarea;
    if (!notes) return;
    // A draft the server never confirmed (a reload, a crash, no network) wins over the server's.
    const draft = this.#loadDraft();
    if (draft !== null && draft !== notes.value) {
      notes.value = draft;
      this.#save();
    }
    notes.addEventListener("input", () => {
      try {
        localStorage.setItem(this.#key, JSON.stringify({ text: notes.value, at: Date.now() }));
      } catch {
        // Private mode or full storage: the server save still runs.
      }
      this.#say("notesUnsaved");
      clearTimeout(this.#timer);
      this.#timer = setTimeout(() => this.#save(), NOTES_DEBOUNCE_MS);
    });
    notes.addEventListener("blur", () => {
      if (this.#loadDraft() !== null) {
        clearTimeout(this.#timer);
        this.#save();
      }
    });
  }

  async #save() {
    const notes = this.textarea;
    if (!notes) return;
    // After 结束面试 the verdict's request carries the notes; a late autosave must not
    // overwrite them.
    if (this.#closed) return;
    if (this.#saving) {
      this.#dirty = true;
      return;
    }
    this.#saving = true;
    this.#dirty = false;
    const text = notes.value;
    this.#say("notesSaving");
    try {
      const put = api("PUT", `/api/v1/tickets/${this.ticketId}/notes`, { notes: text });
      this.#inFlight = put.then(() => {}, () => {});
      await put;
      this.confirmed(text);
    } catch (err) {
      this.#say("notesUnsaved");
      if (err instanceof ApiError && err.status === 422 && this.status) {
        this.status.textContent = err.message;
      } else {
        clearTimeout(this.#timer);
        this.#timer = setTimeout(() => this.#save(), NOTES_RETRY_MS);
      }
    } finally {
      this.#saving = false;
    }
    if (this.#dirty) this.#save();
  }

  /** Stop autosaving (the verdict carries the notes); resolves once a save in flight settled. */
  async close() {
    this.#closed = true;
    clearTimeout(this.#timer);
    await this.#inFlight;
  }

  /** The verdict did not go through: autosave again. */
  reopen() {
    this.#closed = false;
  }

  /** @returns {string | null} */
  #loadDraft() {
    try {
      const raw = localStorage.getItem(this.#key);
      const v = raw ? JSON.parse(raw) : null;
      return typeof v?.text === "string" ? v.text : null;
    } catch {
      return null;
    }
  }

  /**
   * The server has `text`: forget the local draft if it is still that text.
   * @param {string} text
   */
  confirmed(text) {
    if ((this.#loadDraft() ?? text) === text) {
      try {
        localStorage.removeItem(this.#key);
      } catch {
        // Nothing stored.
      }
    }
    if (this.textarea && this.textarea.value === text) this.#say("notesSaved");
  }

  /** @param {string} key */
  #say(key) {
    if (this.status) this.status.textContent = this.msg(key);
  }
}
