// Sign-in page. Without this script everything still works through plain form posts; with it:
// - "get code" asks the JSON API instead of reloading the page, then counts down to a resend;
// - Enter in the code field signs in (rather than requesting another code);
// - the two tabs switch without a reload, keeping what was typed.
// No user-facing text lives here: it comes from the template's data- attributes or the server.

import { api, ApiError } from "./api.js";

/** Seconds before another code may be requested. */
const RESEND_SECONDS = 60;
/** A Retry-After longer than this is shown as a message only, not as a countdown. */
const MAX_COUNTDOWN_SECONDS = 300;

/**
 * @param {ParentNode} root
 * @param {string} selector
 * @returns {HTMLInputElement | null}
 */
function input(root, selector) {
  const el = root.querySelector(selector);
  return el instanceof HTMLInputElement ? el : null;
}

/**
 * "Get code" over the JSON API with a resend countdown, and Enter in the code field signs in.
 * @param {HTMLFormElement} form
 * @param {HTMLButtonElement} button
 * @param {HTMLElement} status
 */
export function enhanceCodeRequest(form, button, status) {
  const phone = input(form, 'input[name="phone"]');
  const code = input(form, 'input[name="code"]');
  const label = button.dataset.label ?? button.textContent ?? "";
  const wait = button.dataset.wait ?? "";
  const sent = button.dataset.sent ?? "";
  /** @type {ReturnType<typeof setInterval> | undefined} */
  let ticker;
  let busy = false;

  /** @param {string} text @param {boolean} isError */
  const say = (text, isError) => {
    status.textContent = text;
    status.classList.toggle("field-error", isError);
    status.classList.toggle("hint", !isError);
    status.setAttribute("role", isError ? "alert" : "status");
  };

  /** Disable the button and show "<n><wait>" until `seconds` have passed (wall clock). */
  const countDown = (/** @type {number} */ seconds) => {
    clearInterval(ticker);
    const until = Date.now() + seconds * 1000;
    button.disabled = true;
    const tick = () => {
      const left = Math.ceil((until - Date.now()) / 1000);
      if (left <= 0) {
        clearInterval(ticker);
        ticker = undefined;
        button.disabled = false;
        button.textContent = label;
        return;
      }
      button.textContent = `${left}${wait}`;
    };
    tick();
    ticker = setInterval(tick, 250);
  };

  form.addEventListener("submit", async (event) => {
    if (event.submitter !== button) return; // the sign-in button: a normal form post
    event.preventDefault();
    if (busy || ticker !== undefined) return;
    busy = true;
    button.disabled = true;
    button.setAttribute("aria-busy", "true");
    phone?.removeAttribute("aria-invalid");
    try {
      await api("POST", "/api/v1/auth/code", { phone: phone?.value.trim() ?? "" });
      say(sent, false);
      countDown(RESEND_SECONDS);
      code?.focus();
    } catch (err) {
      const e = err instanceof ApiError ? err : new ApiError(0, "unknown", String(err));
      say(e.message, true);
      if (e.field === "phone" && phone) {
        phone.setAttribute("aria-invalid", "true");
        phone.focus();
      }
      if (e.retryAfter !== undefined && e.retryAfter > 0 && e.retryAfter <= MAX_COUNTDOWN_SECONDS) {
        countDown(e.retryAfter);
      } else {
        button.disabled = false;
      }
    } finally {
      busy = false;
      button.removeAttribute("aria-busy");
    }
  });

  // The code button comes first in the form, so it is the form's default button: Enter in any
  // field would request a new code. In the code field, Enter should sign in instead.
  const signIn = form.querySelector('button[type="submit"].primary');
  if (code && signIn instanceof HTMLButtonElement) {
    code.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.isComposing) {
        event.preventDefault();
        form.requestSubmit(signIn);
      }
    });
  }
}

/** Switch between the phone and password forms in place (the links still work without JS). */
export function enhanceTabs() {
  const tabs = Array.from(document.querySelectorAll(".login .tabs a[data-tab]"));
  /** @type {Record<string, HTMLElement | null>} */
  const panels = {
    phone: document.getElementById("phone-form"),
    password: document.getElementById("password-form"),
  };
  /** @param {string} name */
  const select = (name) => {
    for (const tab of tabs) {
      const on = tab instanceof HTMLElement && tab.dataset.tab === name;
      tab.classList.toggle("active", on);
      tab.setAttribute("aria-selected", on ? "true" : "false");
    }
    for (const [key, panel] of Object.entries(panels)) panel?.classList.toggle("hidden", key !== name);
  };
  for (const tab of tabs) {
    if (!(tab instanceof HTMLAnchorElement)) continue;
    const name = tab.dataset.tab ?? "";
    tab.setAttribute("aria-selected", tab.classList.contains("active") ? "true" : "false");
    tab.addEventListener("click", (event) => {
      if (!panels[name] || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
      event.preventDefault();
      select(name);
      history.replaceState(history.state, "", tab.href);
    });
  }
}
