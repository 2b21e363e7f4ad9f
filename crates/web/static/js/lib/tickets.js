// What the interview pages share: the employer's 视频面试大厅 and 求职者大厅 (hall.js) and the
// student's 面试 page (interviews.js). Actions are buttons that call the JSON API and reload the
// page; `ticket_changed` pushed over the live connection reloads the list (or, while the user is
// typing, offers a refresh link); presence dots come from `watch_presence`.

import { ApiError } from "./api.js";

/**
 * Shows an error from the API (or the network) in the page's `[data-hall-error]` line.
 * @param {unknown} err
 */
export function showError(err) {
  const line = document.querySelector("[data-hall-error]");
  const message = err instanceof ApiError ? err.message : String(err);
  if (line) {
    line.textContent = message;
    line.classList.remove("hidden");
  } else {
    window.alert(message);
  }
}

/** Whether the user has typed something on the page that a reload would lose. */
function typing() {
  for (const el of document.querySelectorAll("textarea, input[type=text]")) {
    if (el instanceof HTMLTextAreaElement || el instanceof HTMLInputElement) {
      if (el.value.trim() !== "") return true;
    }
  }
  return false;
}

/** Reloads now, or shows the refresh link when that would lose typed text. */
export function refresh() {
  if (!typing()) {
    location.reload();
    return;
  }
  document.querySelector("[data-hall-stale]")?.classList.remove("hidden");
}

/**
 * The reason typed beside a ticket's buttons ("" when none).
 * @param {string} ticketId
 * @returns {string}
 */
export function reasonFor(ticketId) {
  const input = document.querySelector(`[data-reason-for="${CSS.escape(ticketId)}"]`);
  return input instanceof HTMLInputElement ? input.value.trim() : "";
}

/**
 * Runs an action, disabling its button meanwhile; reloads on success.
 * @param {HTMLButtonElement} button
 * @param {() => Promise<unknown>} action
 */
export async function run(button, action) {
  button.disabled = true;
  try {
    await action();
    location.reload();
  } catch (err) {
    showError(err);
    button.disabled = false;
  }
}

/**
 * Reloads the list on every `ticket_changed`, and after a reconnect (pushes sent while the
 * socket was down are lost).
 * @param {import("./live.js").LiveConnection | null} live
 */
export function refreshOnTicketChange(live) {
  if (!live) return;
  live.on("ticket_changed", () => refresh());
  let lost = false;
  live.on("statechange", (state) => {
    if (state === "closed") lost = true;
    if (state === "open" && lost) {
      lost = false;
      refresh();
    }
  });
  document.querySelector("[data-reload]")?.addEventListener("click", (event) => {
    event.preventDefault();
    location.reload();
  });
}

/**
 * @param {string | undefined} list "1,2,3"
 * @returns {number[]}
 */
export function ids(list) {
  return (list ?? "")
    .split(",")
    .map((s) => Number.parseInt(s, 10))
    .filter((n) => Number.isSafeInteger(n));
}

/**
 * Whether now is inside the live window given as `data-starts-at` / `data-ends-at` (ms) on the
 * element or its nearest ancestor that has them.
 * @param {Element} el
 */
export function inLiveWindow(el) {
  const holder = el.closest("[data-starts-at]");
  if (!(holder instanceof HTMLElement)) return false;
  const starts = Number(holder.dataset.startsAt);
  const ends = Number(holder.dataset.endsAt);
  const now = Date.now();
  return now >= starts && now < ends;
}

/**
 * Keeps presence dots, texts and "开始面试" links current. `users(el)` names the users an
 * element stands for; it is online when any of them is.
 * @param {import("./live.js").LiveConnection | null} live
 * @param {string} dotSelector
 * @param {string} textSelector
 * @param {(el: HTMLElement) => number[]} users
 */
export function bindPresence(live, dotSelector, textSelector, users) {
  /** @type {Set<number>} */
  const online = new Set();
  const isOnline = (/** @type {HTMLElement} */ el) => users(el).some((u) => online.has(u));
  const show = () => {
    for (const dot of document.querySelectorAll(dotSelector)) {
      if (!(dot instanceof HTMLElement)) continue;
      const on = isOnline(dot);
      dot.dataset.online = on ? "1" : "0";
    }
    for (const text of document.querySelectorAll(textSelector)) {
      if (!(text instanceof HTMLElement)) continue;
      const on = isOnline(text);
      const holder = text.closest("[data-label-online]") ?? document.querySelector("[data-label-online]");
      const labels = holder instanceof HTMLElement ? holder.dataset : text.dataset;
      text.textContent = (on ? labels.labelOnline : labels.labelOffline) ?? "";
      text.dataset.online = on ? "1" : "0";
    }
    for (const link of document.querySelectorAll("[data-start-call]")) {
      if (!(link instanceof HTMLElement)) continue;
      const ready = isOnline(link) && inLiveWindow(link);
      if (ready) link.removeAttribute("aria-disabled");
      else link.setAttribute("aria-disabled", "true");
    }
  };
  // A disabled "开始面试" does not navigate.
  for (const link of document.querySelectorAll("[data-start-call]")) {
    link.addEventListener("click", (event) => {
      if (link.getAttribute("aria-disabled") === "true") event.preventDefault();
    });
  }
  show();
  // The live window opens and closes while the page is open.
  setInterval(show, 30_000);
  if (!live) return;
  /** @type {number[]} */
  const watch = [];
  for (const el of document.querySelectorAll(`${dotSelector}, [data-start-call]`)) {
    if (el instanceof HTMLElement) watch.push(...users(el));
  }
  live.on("presence", (frame) => {
    if (frame.online) online.add(frame.user_id);
    else online.delete(frame.user_id);
    show();
  });
  if (watch.length > 0) live.watchPresence(Array.from(new Set(watch)));
}
