// Loaded on every page: opens the realtime connection on pages for signed-in users, and holds
// the helpers page scripts use to call the JSON API.

import { connectPage } from "./live.js";
import { startRing } from "./ring.js";

/** The session's CSRF token, from `<meta name="csrf-token">` ("" when there is none). */
export function csrfToken() {
  const meta = document.querySelector('meta[name="csrf-token"]');
  return meta?.getAttribute("content") ?? "";
}

/**
 * An error answer of the JSON API, which sends `{code, message, field?}` (`message` is for the
 * user, in their language). Network failures have status 0 and code "network".
 */
export class ApiError extends Error {
  /**
   * @param {number} status HTTP status, or 0 when the request never got an answer.
   * @param {string} code Stable machine-readable code, e.g. "invalid_phone".
   * @param {string} message Message for the user.
   * @param {string | undefined} [field] The input field the error is about, if any.
   * @param {number | undefined} [retryAfter] Seconds from the `Retry-After` header, if any.
   */
  constructor(status, code, message, field, retryAfter) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.field = field;
    this.retryAfter = retryAfter;
  }
}

/**
 * @param {unknown} value
 * @returns {value is {code: string, message: string, field?: string}}
 */
function isErrorBody(value) {
  if (typeof value !== "object" || value === null) return false;
  const body = /** @type {Record<string, unknown>} */ (value);
  return typeof body.code === "string" && typeof body.message === "string";
}

/**
 * Call the JSON API. Sends `body` as JSON (when given), the CSRF token and the session cookie;
 * answers the parsed JSON, or null for an empty answer (204).
 * @param {"GET" | "POST" | "PUT" | "PATCH" | "DELETE"} method
 * @param {string} path e.g. "/api/v1/auth/code"
 * @param {unknown} [body]
 * @returns {Promise<any>}
 * @throws {ApiError}
 */
export async function api(method, path, body) {
  /** @type {Record<string, string>} */
  const headers = { Accept: "application/json" };
  const token = csrfToken();
  if (token) headers["X-CSRF-Token"] = token;
  /** @type {RequestInit} */
  const init = { method, headers, credentials: "same-origin" };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }

  /** @type {Response} */
  let resp;
  try {
    resp = await fetch(path, init);
  } catch (err) {
    throw new ApiError(0, "network", err instanceof Error ? err.message : String(err));
  }

  const text = resp.status === 204 ? "" : await resp.text();
  /** @type {unknown} */
  let data = null;
  if (text && (resp.headers.get("Content-Type") ?? "").includes("json")) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }

  if (!resp.ok) {
    const retry = Number.parseInt(resp.headers.get("Retry-After") ?? "", 10);
    const retryAfter = Number.isFinite(retry) ? retry : undefined;
    if (isErrorBody(data)) {
      throw new ApiError(resp.status, data.code, data.message, data.field ?? undefined, retryAfter);
    }
    const message = `${resp.status} ${resp.statusText}`.trim();
    throw new ApiError(resp.status, `http_${resp.status}`, message, undefined, retryAfter);
  }
  return data;
}

/**
 * Keeps the notification badge in the top bar current: the unread count on load, then one more
 * for every `notification` pushed over the live connection, with the newest title shown as a
 * banner until it is dismissed or opened.
 * @param {import("./live.js").LiveConnection | null} live
 */
async function notificationBadge(live) {
  const badge = document.getElementById("notif-badge");
  if (!badge || !live) return;
  let unread = 0;
  const show = () => {
    badge.textContent = unread > 99 ? "99+" : String(unread);
    badge.classList.toggle("hidden", unread === 0);
  };
  try {
    const list = await api("GET", "/api/v1/notifications");
    unread = typeof list?.unread === "number" ? list.unread : 0;
    show();
  } catch {
    // The badge is a convenience; the notifications page still lists everything.
  }
  live.addEventListener("notification", (event) => {
    const detail = /** @type {CustomEvent<{title?: string, body?: string}>} */ (event).detail;
    unread += 1;
    show();
    const banner = document.createElement("a");
    banner.className = "banner notice-live";
    banner.href = "/notifications";
    banner.setAttribute("role", "status");
    banner.textContent = [detail?.title, detail?.body].filter(Boolean).join("：");
    document.querySelector("main.page")?.prepend(banner);
  });
}

/**
 * Keeps the chat badges (`[data-chat-unread]`, in the console menu and the student tab bar)
 * current: the unread count on load and after every reconnect, then each `chat_unread` pushed
 * over the live connection, which carries the new total.
 * @param {import("./live.js").LiveConnection | null} live
 */
async function chatBadges(live) {
  const badges = document.querySelectorAll("[data-chat-unread]");
  if (badges.length === 0 || !live) return;
  /** @param {number} total */
  const show = (total) => {
    for (const badge of badges) {
      badge.textContent = total > 99 ? "99+" : String(total);
      badge.classList.toggle("hidden", total === 0);
    }
  };
  const load = async () => {
    try {
      const unread = await api("GET", "/api/v1/chats/unread");
      if (typeof unread?.total === "number") show(unread.total);
    } catch {
      // The badge is a convenience; the chat list still shows every count.
    }
  };
  live.on("chat_unread", (frame) => show(frame.total_unread));
  // Pushes sent while the socket was down are lost; the count is not.
  let lost = false;
  live.on("statechange", (state) => {
    if (state === "closed") lost = true;
    if (state === "open" && lost) {
      lost = false;
      load();
    }
  });
  await load();
}

const live = connectPage();
notificationBadge(live);
chatBadges(live);
startRing(live);
