// The badges of the top bar and the tab bar: unread notifications (with a banner for the newest)
// and unread chat messages, kept current over the page's live connection.

import { api } from "./api.js";

/**
 * Keeps the notification badge in the top bar current: the unread count on load, then one more
 * for every `notification` pushed over the live connection, with the newest title shown as a
 * banner until it is dismissed or opened.
 * @param {import("./live.js").LiveConnection | null} live
 */
export async function notificationBadge(live) {
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
export async function chatBadges(live) {
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
