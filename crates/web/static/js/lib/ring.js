// The incoming-call ring, on every page of a signed-in user: when a `call_state` arrives with
// `status: "ringing"` and this user is rung (a callee, not the caller), show the banner
// (`#ring-banner`, rendered by base.html: who calls, 接听 / 拒绝), play a ring pattern with
// WebAudio, and show a desktop notification when the tab is in the background and the user
// allowed them. Any other status of that call stops the ring and hides the banner.
//
// 接听 goes to the call page with `?answer={call_id}`; 拒绝 posts `/api/v1/calls/{id}/decline`.
// The call page itself (`#call[data-call-id]`) handles its own call: no banner there.
// "开启来电提醒" (`#ring-alerts`, and any `[data-ring-alerts]` button) asks for notification
// permission on a click, and unlocks the page's audio for the ring.

import { api } from "./api.js";

/** @typedef {import("./live.js").CallView} CallView */
/** @typedef {import("./live.js").LiveConnection} LiveConnection */

/** Pages where the "开启来电提醒" bar is offered (interview pages, the call page, devices). */
const ALERT_PAGES = [
  /^\/student\/interviews/,
  /^\/employer\/registrations\/\d+\/(hall|talents)/,
  /^\/interviews\/\d+\/call/,
  /^\/devices/,
];

/** @type {AudioContext | null} */
let audio = null;

/** The page's AudioContext, created (or resumed) on demand. Null where WebAudio is missing. */
function audioContext() {
  // Before any click on the page the browser keeps audio suspended: do not start what cannot play.
  const activation = /** @type {{userActivation?: {hasBeenActive: boolean}}} */ (navigator).userActivation;
  if (!audio && activation && !activation.hasBeenActive) return null;
  if (!audio) {
    const Ctor = window.AudioContext;
    if (typeof Ctor !== "function") return null;
    try {
      audio = new Ctor();
    } catch {
      return null;
    }
  }
  if (audio.state === "suspended") audio.resume().catch(() => {});
  return audio;
}

/**
 * A ring pattern: two short two-tone bursts every 2 s, until stopped.
 * @returns {() => void} stop
 */
function playRing() {
  const ctx = audioContext();
  if (!ctx) return () => {};
  /** @type {OscillatorNode[]} */
  let live = [];
  /** @param {number} at */
  const burst = (at) => {
    for (const [freq, start] of [
      [880, 0],
      [660, 0.25],
      [880, 0.6],
      [660, 0.85],
    ]) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = "sine";
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0, at + start);
      gain.gain.linearRampToValueAtTime(0.18, at + start + 0.02);
      gain.gain.setValueAtTime(0.18, at + start + 0.2);
      gain.gain.linearRampToValueAtTime(0, at + start + 0.24);
      osc.connect(gain).connect(ctx.destination);
      osc.start(at + start);
      osc.stop(at + start + 0.25);
      osc.onended = () => {
        live = live.filter((o) => o !== osc);
      };
      live.push(osc);
    }
  };
  burst(ctx.currentTime + 0.05);
  const timer = setInterval(() => burst(ctx.currentTime + 0.05), 2000);
  return () => {
    clearInterval(timer);
    for (const osc of live) {
      try {
        osc.stop();
      } catch {
        // Already stopped.
      }
    }
    live = [];
  };
}

/**
 * Whether this user is rung by this call: it rings, they did not start it and have not joined.
 * @param {CallView} call
 * @param {number} me
 */
export function isRungBy(call, me) {
  if (call.status !== "ringing" || me === 0 || call.caller_id === me) return false;
  if (Array.isArray(call.callee_ids) && !call.callee_ids.includes(me)) return false;
  return !call.participants.some((p) => p.user_id === me && p.joined_at != null && p.left_at == null);
}

/**
 * Whether the call page on screen handles this call itself: it is that call's page, or the
 * page of its ticket (which shows its own 接听).
 * @param {CallView} call
 */
function handledHere(call) {
  const root = document.getElementById("call");
  if (!root) return false;
  return Number(root.dataset.callId ?? 0) === call.id || Number(root.dataset.ticketId ?? 0) === call.ticket_id;
}

/** Offer "开启来电提醒" where it makes sense and permission was never asked. */
function offerAlerts() {
  const bar = document.getElementById("ring-alerts-bar");
  const buttons = Array.from(document.querySelectorAll("#ring-alerts, [data-ring-alerts]"));
  const banner = document.getElementById("ring-banner");
  const supported = "Notification" in window;
  const wanted = supported && Notification.permission === "default";
  if (bar && wanted && ALERT_PAGES.some((re) => re.test(location.pathname))) {
    bar.classList.remove("hidden");
  }
  for (const b of buttons) {
    if (!(b instanceof HTMLElement)) continue;
    if (!supported || Notification.permission !== "default") {
      if (b.id !== "ring-alerts") b.classList.add("hidden");
    }
    b.addEventListener("click", async () => {
      audioContext();
      if (!supported) return;
      try {
        await Notification.requestPermission();
      } catch {
        // Old Safari takes a callback; the permission is read below either way.
      }
      if (Notification.permission !== "default") {
        bar?.classList.add("hidden");
        for (const other of buttons) {
          if (other instanceof HTMLElement && other.id !== "ring-alerts") {
            other.textContent = banner?.dataset.msgAlertsOn ?? other.textContent;
            if (other instanceof HTMLButtonElement) other.disabled = true;
          }
        }
      }
    });
  }
}

/**
 * Ring on incoming calls pushed over `live`.
 * @param {LiveConnection | null} live
 */
export function startRing(live) {
  const banner = document.getElementById("ring-banner");
  const text = document.getElementById("ring-text");
  const answer = document.getElementById("ring-answer");
  const decline = document.getElementById("ring-decline");
  if (!live || !banner || !text || !answer || !decline) return;
  offerAlerts();
  // Any click on the page unlocks audio for a later ring (browsers block sound before one).
  document.addEventListener("pointerdown", () => audioContext(), { once: true });

  let me = 0;
  live.on("hello", (frame) => {
    me = frame.user_id;
  });

  /** @type {CallView | null} */
  let ringing = null;
  /** @type {() => void} */
  let stopSound = () => {};
  /** @type {Notification | null} */
  let note = null;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let expiry;

  const stop = () => {
    ringing = null;
    stopSound();
    stopSound = () => {};
    note?.close();
    note = null;
    clearTimeout(expiry);
    banner.classList.add("hidden");
    document.title = document.title.replace(/^🔔 /, "");
  };

  /** @param {CallView} call */
  const ring = (call) => {
    if (ringing?.id === call.id) return;
    stop();
    ringing = call;
    const name = call.caller_id === call.student_id ? call.student_name : call.employer_name;
    const body = (banner.dataset.msgBody ?? "{name}").replace("{name}", name);
    text.textContent = body;
    banner.classList.remove("hidden");
    stopSound = playRing();
    if (!document.title.startsWith("🔔 ")) document.title = `🔔 ${document.title}`;
    if (document.hidden && "Notification" in window && Notification.permission === "granted") {
      try {
        note = new Notification(banner.dataset.msgTitle ?? "", {
          body,
          tag: `fairhall-call-${call.id}`,
          requireInteraction: true,
        });
        note.onclick = () => {
          window.focus();
          note?.close();
        };
      } catch {
        // Some platforms allow notifications only from a service worker; the banner stays.
      }
    }
    // The server ends an unanswered ring; stop here too if its word never arrives.
    const left = call.ring_expires_at ? call.ring_expires_at - Date.now() : 30_000;
    expiry = setTimeout(stop, Math.min(Math.max(left, 5_000), 120_000) + 2_000);
  };

  /** @param {CallView} call */
  const consider = (call) => {
    if (call.status === "ringing" && isRungBy(call, me) && !handledHere(call)) {
      ring(call);
    } else if (ringing?.id === call.id) {
      stop();
    }
  };
  live.on("call_state", ({ call }) => consider(call));
  // A ring that started while this page was loading or its socket was down is not pushed
  // again: ask for it on every (re)connect.
  live.on("hello", async () => {
    try {
      /** @type {CallView | null} */
      const call = await api("GET", "/api/v1/calls/current");
      if (call) consider(call);
      else if (ringing) stop();
    } catch {
      // Offline again, or not allowed: the next hello asks again.
    }
  });

  answer.addEventListener("click", () => {
    const call = ringing;
    if (!call) return;
    stop();
    const relay = new URLSearchParams(location.search).get("relay") === "1" ? "&relay=1" : "";
    location.href = `/interviews/${call.ticket_id}/call?answer=${call.id}${relay}`;
  });

  decline.addEventListener("click", async () => {
    const call = ringing;
    if (!call) return;
    stop();
    try {
      await api("POST", `/api/v1/calls/${call.id}/decline`);
    } catch (err) {
      // A ring that already ended needs no answer; otherwise say so.
      const status = /** @type {{status?: number}} */ (err).status ?? 0;
      if (status !== 404 && status !== 409) {
        const msg = banner.dataset.msgDeclineFailed ?? "";
        if (msg) window.alert(msg);
      }
    }
  });
}
