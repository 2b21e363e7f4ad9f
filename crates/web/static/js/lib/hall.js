// The employer's interview pages: the 视频面试大厅 (面试间 tabs) and the 求职者大厅.

import { api } from "./api.js";
import { bindPresence, ids, reasonFor, refreshOnTicketChange, run, showError } from "./tickets.js";

/**
 * The 视频面试大厅 (`[data-hall]`): accept, reject, cancel, no-show, notices to one or all.
 * @param {HTMLElement} hall
 * @param {import("./live.js").LiveConnection | null} live
 */
export function startHall(hall, live) {
  refreshOnTicketChange(live);
  bindPresence(live, "[data-presence-user]", "[data-presence-text]", (el) =>
    ids(el.dataset.presenceUser ?? el.dataset.presenceText ?? el.dataset.user),
  );
  for (const button of hall.querySelectorAll("button[data-action]")) {
    if (!(button instanceof HTMLButtonElement)) continue;
    const id = button.dataset.ticketId ?? "";
    button.addEventListener("click", () => {
      const path = `/api/v1/tickets/${encodeURIComponent(id)}`;
      switch (button.dataset.action) {
        case "accept":
          run(button, () => api("POST", `${path}/accept`));
          break;
        case "reject": {
          const reason = reasonFor(id);
          run(button, () => api("POST", `${path}/reject`, reason ? { reason } : {}));
          break;
        }
        case "cancel":
          run(button, () => api("POST", `${path}/cancel`, { reason: reasonFor(id) }));
          break;
        case "no-show":
          if (window.confirm(button.dataset.confirm ?? "")) run(button, () => api("POST", `${path}/no-show`));
          break;
      }
    });
  }
  for (const form of hall.querySelectorAll("form[data-notice-for]")) {
    if (!(form instanceof HTMLFormElement)) continue;
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const body = new FormData(form).get("body");
      const button = form.querySelector("button");
      if (!(button instanceof HTMLButtonElement)) return;
      const id = form.dataset.noticeFor ?? "";
      run(button, async () => {
        await api("POST", `/api/v1/tickets/${encodeURIComponent(id)}/notices`, { body: String(body ?? "") });
        form.reset();
      });
    });
  }
  const all = hall.querySelector("form[data-notify-all]");
  if (all instanceof HTMLFormElement) {
    all.addEventListener("submit", (event) => {
      event.preventDefault();
      if (!window.confirm(all.dataset.confirm ?? "")) return;
      const body = new FormData(all).get("body");
      const button = all.querySelector("button");
      if (!(button instanceof HTMLButtonElement)) return;
      const reg = hall.dataset.registrationId ?? "";
      run(button, async () => {
        await api("POST", `/api/v1/employer/registrations/${encodeURIComponent(reg)}/notices`, {
          body: String(body ?? ""),
        });
        all.reset();
      });
    });
  }
}

/**
 * The 求职者大厅 (`[data-talents]`): invite a student.
 * @param {HTMLElement} page
 */
export function startTalents(page) {
  const reg = page.dataset.registrationId ?? "";
  for (const button of page.querySelectorAll('button[data-action="invite"]')) {
    if (!(button instanceof HTMLButtonElement)) continue;
    button.addEventListener("click", async () => {
      button.disabled = true;
      try {
        await api("POST", `/api/v1/employer/registrations/${encodeURIComponent(reg)}/invitations`, {
          student_id: Number(button.dataset.studentId),
        });
        button.textContent = button.dataset.doneLabel ?? "";
        button.classList.replace("primary", "secondary");
        button.closest("[data-state]")?.setAttribute("data-state", "pending");
      } catch (err) {
        showError(err);
        button.disabled = false;
      }
    });
  }
}
