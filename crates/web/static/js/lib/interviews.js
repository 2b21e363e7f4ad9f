// The student's 面试 page (invitations, applications, 待面试 with the employer's presence and
// "开始面试", finished interviews with their notices), and the venue's 申请面试 button.

import { api } from "./api.js";
import { bindPresence, ids, reasonFor, refreshOnTicketChange, run, showError } from "./tickets.js";

/**
 * The student's 面试 page (`[data-interviews]`).
 * @param {HTMLElement} page
 * @param {import("./live.js").LiveConnection | null} live
 */
export function startInterviews(page, live) {
  refreshOnTicketChange(live);
  bindPresence(live, "[data-presence-users]", "[data-presence-text-users]", (el) =>
    ids(el.dataset.presenceUsers ?? el.dataset.presenceTextUsers ?? el.dataset.users),
  );
  for (const button of page.querySelectorAll("button[data-action]")) {
    if (!(button instanceof HTMLButtonElement)) continue;
    const id = button.dataset.ticketId ?? "";
    const path = `/api/v1/tickets/${encodeURIComponent(id)}`;
    button.addEventListener("click", () => {
      switch (button.dataset.action) {
        case "accept-invitation":
          run(button, () => api("POST", `${path}/accept`));
          break;
        case "decline":
          run(button, () => api("POST", `${path}/decline`));
          break;
        case "cancel":
          run(button, () => api("POST", `${path}/cancel`, { reason: reasonFor(id) }));
          break;
      }
    });
  }
}

/**
 * 申请面试 beside an employer or on a position page, while the fair is live; the video buttons'
 * states follow `ticket_changed`.
 * @param {ParentNode} root
 * @param {import("./live.js").LiveConnection | null} live
 */
export function startApplyButtons(root, live) {
  for (const button of root.querySelectorAll("button[data-video-button][data-apply]")) {
    if (!(button instanceof HTMLButtonElement)) continue;
    button.addEventListener("click", async () => {
      button.disabled = true;
      const fair = button.dataset.fairId ?? "";
      const reg = button.dataset.registrationId ?? "";
      const position = Number(button.dataset.positionId);
      try {
        await api("POST", `/api/v1/fairs/${encodeURIComponent(fair)}/employers/${encodeURIComponent(reg)}/tickets`,
          Number.isSafeInteger(position) && position > 0 ? { position_id: position } : {});
        button.textContent = button.dataset.appliedLabel ?? "";
        button.dataset.state = "pending";
      } catch (err) {
        showError(err);
        button.disabled = false;
      }
    });
  }
  live?.on("ticket_changed", () => {
    // The button's state (pending → queued, rejected, …) is the server's to say.
    if (!document.querySelector("input:focus, textarea:focus")) location.reload();
  });
}
