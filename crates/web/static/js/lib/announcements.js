// 现场公告. On a fair's venue and hall pages: shows the newest announcement as a banner, live
// (`watch_fair` on the page's realtime connection) and refetched after every reconnect so one
// sent while the socket was down is not missed. On the staff fair page: publishes one, after a
// confirmation, and adds it to the list.

import { api, ApiError } from "./api.js";

/** @typedef {{id: number, fair_id: number, text: string, at: number}} Announcement */

/** @param {number} ms */
function clock(ms) {
  return new Date(ms).toLocaleTimeString("zh-CN", { hour: "2-digit", minute: "2-digit", hour12: false });
}

/**
 * The newest announcement as a banner (`#fair-announcement`), live over `live`.
 * @param {HTMLElement} banner
 * @param {import("./live.js").LiveConnection | null} live
 */
export function startBanner(banner, live) {
  const fairId = Number(banner.dataset.fairId);
  const text = /** @type {HTMLElement} */ (banner.querySelector(".fair-announcement-text"));
  const at = /** @type {HTMLElement} */ (banner.querySelector(".fair-announcement-at"));
  const key = `fairhall.announcement.closed.${fairId}`;
  let shownId = 0;

  /** @param {Announcement} a */
  const show = (a) => {
    if (a.id <= shownId) return;
    shownId = a.id;
    text.textContent = a.text;
    at.textContent = clock(a.at);
    banner.hidden = Number(localStorage.getItem(key) ?? 0) >= a.id;
  };
  banner.querySelector(".fair-announcement-close")?.addEventListener("click", () => {
    localStorage.setItem(key, String(shownId));
    banner.hidden = true;
  });

  const refetch = async () => {
    try {
      /** @type {Announcement[]} */
      const list = await api("GET", `/api/v1/fairs/${fairId}/announcements`);
      if (list.length > 0) show(list[0]);
    } catch (err) {
      console.warn("fairhall: announcements not loaded", err);
    }
  };

  if (live) {
    live.watchFair(fairId);
    live.on("fair_announcement", (frame) => {
      if (frame.fair_id === fairId) show(frame);
    });
    live.on("statechange", (state) => {
      if (state === "open") refetch();
    });
  }
  refetch();
}

/**
 * The staff's publishing form (`#announce`).
 * @param {HTMLElement} card
 */
export function startPublisher(card) {
  const fairId = Number(card.dataset.fairId);
  const form = /** @type {HTMLFormElement} */ (card.querySelector("#announce-form"));
  const input = /** @type {HTMLTextAreaElement} */ (card.querySelector("#announce-text"));
  const error = /** @type {HTMLElement} */ (card.querySelector("#announce-error"));
  const button = /** @type {HTMLButtonElement} */ (card.querySelector("#announce-send"));
  const list = /** @type {HTMLElement} */ (card.querySelector("#announce-list"));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.hidden = true;
    if (!window.confirm(card.dataset.confirm ?? "")) return;
    button.disabled = true;
    try {
      /** @type {Announcement} */
      const a = await api("POST", `/api/v1/staff/fairs/${fairId}/announcements`, { text: input.value });
      const li = document.createElement("li");
      const time = document.createElement("time");
      time.textContent = clock(a.at);
      const p = document.createElement("p");
      p.textContent = a.text;
      li.append(time, p);
      list.prepend(li);
      document.getElementById("announce-empty")?.remove();
      input.value = "";
      error.textContent = card.dataset.sent ?? "";
      error.classList.add("ok");
      error.hidden = false;
    } catch (err) {
      // The text stays in the box, so nothing typed is lost.
      error.classList.remove("ok");
      error.textContent = err instanceof ApiError ? err.message : String(err);
      error.hidden = false;
    } finally {
      button.disabled = false;
    }
  });
}
