// The call page's controller (`#call`, calls/call.html; started by the page entry call.js):
// the call's life over the JSON API and `call_state` pushes, the controls, and what the page
// says. The connections are `Mesh` (peers.js), the remote videos `Tiles` (tiles.js), the host's
// 面试备注 `Notes` (notes.js) and the 通话质量 indicator `QualityMeter` (quality.js).
//
// - `?start=1` starts the call on load (`POST /api/v1/tickets/{id}/call`), `?answer={call_id}`
//   answers it (`POST /api/v1/calls/{id}/answer`), `?join={call_id}` joins a running call as a
//   second interviewer; otherwise `GET /api/v1/calls/current` resumes a call of this ticket.
//   `?relay=1` sets `iceTransportPolicy: "relay"` (TURN only).
// - The participant who joins (or resumes after a reload or a reconnect) makes the first offer
//   to every other joined participant; the others make a connection for a peer when its first
//   signal arrives. After the live connection comes back (signals sent while it was down are
//   lost) the call is fetched again and every connection restarts ICE.
//
// For tests: `window.fairhallCall.stats()`, `.state()` and `.firstFrameAt()`, and
// `data-call-status` on `#call`.

import { ApiError, api } from "../api.js";
import { loadDeviceChoice } from "../device-choice.js";
import { Notes } from "./notes.js";
import { Mesh } from "./peers.js";
import { QualityMeter, callStats } from "./quality.js";
import { Tiles } from "./tiles.js";

/** @typedef {import("../live.js").CallView} CallView */
/** @typedef {import("../live.js").LiveConnection} LiveConnection */

/**
 * The page's call status (`data-call-status`): "idle" before a call or when there is none,
 * "starting" / "answering" / "joining" while the request runs, then the call's own status.
 * @typedef {"idle" | "starting" | "answering" | "joining" | "ringing" | "active" | "ended" | "missed" | "declined" | "cancelled" | "error"} CallStatus
 */

const QUALITY_EVERY_MS = 2000;

/**
 * @param {string} id
 * @returns {HTMLElement | null}
 */
function byId(id) {
  return document.getElementById(id);
}

export class CallPage {
  /** @type {CallStatus} */
  status = "idle";
  /** @type {CallView | null} */
  call = null;
  /** @type {MediaStream | null} */
  local = null;
  relay = false;
  /** Whether the live connection was lost since it was last open. */
  socketLost = false;
  /** @type {ReturnType<typeof setInterval> | undefined} */
  qualityTimer;

  /**
   * @param {HTMLElement} root
   * @param {LiveConnection | null} live
   */
  constructor(root, live) {
    this.root = root;
    this.live = live;
    const d = root.dataset;
    this.ticketId = Number(d.ticketId) || 0;
    this.registrationId = Number(d.registrationId) || 0;
    this.me = Number(d.userId) || 0;
    this.host = d.side === "employer";
    this.ticketStatus = d.ticketStatus ?? "";
    this.params = new URLSearchParams(location.search);
    this.relay = this.params.get("relay") === "1";
    this.banner = /** @type {HTMLElement} */ (byId("call-banner"));
    this.error = /** @type {HTMLElement} */ (byId("call-error"));
    this.localVideo = /** @type {HTMLVideoElement} */ (byId("call-local"));
    this.overlay = /** @type {HTMLElement} */ (byId("call-reconnecting"));
    this.startButton = /** @type {HTMLButtonElement} */ (byId("call-start"));
    this.cancelButton = /** @type {HTMLButtonElement} */ (byId("call-cancel"));
    this.answerButton = /** @type {HTMLButtonElement} */ (byId("call-answer"));
    this.muteButton = /** @type {HTMLButtonElement} */ (byId("call-mute"));
    this.cameraButton = /** @type {HTMLButtonElement} */ (byId("call-camera"));
    this.endButton = /** @type {HTMLButtonElement | null} */ (byId("call-end"));
    this.leaveButton = /** @type {HTMLButtonElement | null} */ (byId("call-leave"));
    this.after = /** @type {HTMLElement} */ (byId("call-after"));
    this.dialog = /** @type {HTMLDialogElement | null} */ (byId("call-end-dialog"));
    /** @param {string} key */
    const msg = (key) => this.msg(key);
    this.tiles = new Tiles(
      /** @type {HTMLElement} */ (byId("call-videos")),
      /** @type {HTMLTemplateElement} */ (byId("call-remote-tpl")),
      byId("call-sound"),
      this.msg("waitingPeer"),
    );
    this.mesh = new Mesh({
      me: this.me,
      relay: this.relay,
      live,
      callId: () => this.call?.id ?? 0,
      local: () => this.local,
      events: {
        added: (id) => this.tiles.ensure(id, this.nameOf(id)),
        track: (id, track, streams) => this.tiles.addTrack(id, track, streams),
        removed: (id, replaced) => {
          if (!replaced) this.tiles.remove(id);
        },
        changed: () => this.render(),
      },
    });
    this.notes = new Notes(
      this.ticketId,
      /** @type {HTMLTextAreaElement | null} */ (byId("call-notes")),
      byId("call-notes-status"),
      msg,
    );
    this.quality = new QualityMeter(
      /** @type {HTMLElement} */ (byId("call-quality")),
      /** @type {HTMLElement} */ (byId("call-quality-text")),
      msg,
    );
  }

  /**
   * A message from the page's catalogue (`data-msg-*`).
   * @param {string} key camelCase, e.g. "calling"
   */
  msg(key) {
    return this.root.dataset[`msg${key[0].toUpperCase()}${key.slice(1)}`] ?? "";
  }

  /** @param {string} text */
  say(text) {
    this.banner.textContent = text;
  }

  /** @param {string} text */
  fail(text) {
    this.error.textContent = text;
  }

  /** @param {unknown} err */
  failWith(err) {
    if (err instanceof ApiError && err.status !== 0) this.fail(err.message);
    else this.fail(this.msg("network"));
  }

  /** @param {CallStatus} status */
  setStatus(status) {
    this.status = status;
    this.root.dataset.callStatus = status;
    this.render();
  }

  /** Joined participants other than me. */
  others() {
    return (this.call?.participants ?? []).filter(
      (p) => p.user_id !== this.me && p.joined_at != null && p.left_at == null,
    );
  }

  /** Whether I am a joined participant of the call. */
  joined() {
    return (this.call?.participants ?? []).some(
      (p) => p.user_id === this.me && p.joined_at != null && p.left_at == null,
    );
  }

  /**
   * A participant's name, when the call names them.
   * @param {number} id
   */
  nameOf(id) {
    return this.call?.participants.find((x) => x.user_id === id)?.name;
  }

  // ------------------------------------------------------------ start-up

  async init() {
    this.wireControls();
    this.notes.start();
    const live = this.live;
    if (live) {
      live.on("call_state", ({ call }) => this.onCallState(call));
      live.on("call_signal", (frame) => this.mesh.receive(frame));
      live.on("error", (frame) => {
        if (frame.code === "not_in_call") this.refetch();
      });
      live.on("statechange", (state) => this.onSocket(state));
    }
    window.fairhallCall = {
      stats: () => callStats(this.mesh.connections()),
      state: () => this.status,
      firstFrameAt: () => this.tiles.firstFrameAt,
    };
    this.setStatus("idle");

    const answer = Number(this.params.get("answer")) || 0;
    // `join=live` (加入面试 in the hall): the ticket's running call, as the page was rendered.
    const joinParam = this.params.get("join");
    const join = joinParam === "live" ? Number(this.root.dataset.liveCallId) || 0 : Number(joinParam) || 0;
    const media = this.openMedia();
    // Credentials for the call being answered or joined; a new or resumed call gets its own
    // before any restart.
    const ice = this.mesh.loadIceServers(answer || join);
    await Promise.all([media, ice]);

    const start = this.params.get("start") === "1";
    this.cleanUrl();
    if (answer) await this.answer(answer);
    else if (join) await this.join(join);
    else if (start) await this.start();
    else await this.resume();
    this.qualityTimer = setInterval(() => {
      this.quality.update(this.status === "active", this.mesh.connections());
      this.mesh.unstick();
    }, QUALITY_EVERY_MS);
  }

  /** Drop `start`/`answer`/`join` from the address so a reload resumes instead of redoing. */
  cleanUrl() {
    const keep = this.relay ? "?relay=1" : "";
    history.replaceState(history.state, "", `${location.pathname}${keep}`);
  }

  async openMedia() {
    const chosen = loadDeviceChoice();
    /** @type {MediaTrackConstraints} */
    const video = { width: { ideal: 640 }, height: { ideal: 480 } };
    if (chosen.camera) video.deviceId = { ideal: chosen.camera };
    /** @type {MediaTrackConstraints | boolean} */
    const audio = chosen.microphone ? { deviceId: { ideal: chosen.microphone } } : true;
    if (!navigator.mediaDevices?.getUserMedia) {
      this.fail(this.msg("noMedia"));
      return;
    }
    // Both, else whichever works: an interview without a camera beats no interview.
    for (const constraints of [{ video, audio }, { audio }, { video }]) {
      try {
        this.local = await navigator.mediaDevices.getUserMedia(constraints);
        break;
      } catch (err) {
        console.warn("call: getUserMedia", constraints, err);
      }
    }
    if (!this.local || this.local.getVideoTracks().length === 0 || this.local.getAudioTracks().length === 0) {
      this.fail(this.msg("noMedia"));
    }
    if (this.local) this.localVideo.srcObject = this.local;
    this.render();
  }

  // ------------------------------------------------------------ the call's life

  /** Start ringing the other side of this ticket. */
  async start() {
    this.fail("");
    this.setStatus("starting");
    try {
      const call = await api("POST", `/api/v1/tickets/${this.ticketId}/call`);
      this.adopt(call);
      // TURN credentials for this call, in before the answer's offer arrives (not awaited, so
      // the ring is not held up).
      this.mesh.loadIceServers(call.id);
    } catch (err) {
      this.failWith(err);
      this.setStatus("idle");
    }
  }

  /** @param {number} callId */
  async answer(callId) {
    this.setStatus("answering");
    this.root.dataset.callId = String(callId);
    try {
      const call = await api("POST", `/api/v1/calls/${callId}/answer`);
      this.adopt(call);
    } catch (err) {
      this.failWith(err);
      delete this.root.dataset.callId;
      await this.resume();
    }
  }

  /** @param {number} callId */
  async join(callId) {
    this.setStatus("joining");
    this.root.dataset.callId = String(callId);
    try {
      const call = await api("POST", `/api/v1/calls/${callId}/join`);
      this.adopt(call);
    } catch (err) {
      this.failWith(err);
      delete this.root.dataset.callId;
      await this.resume();
    }
  }

  /** After a reload: the user's ringing or active call, if it is this ticket's. */
  async resume() {
    try {
      const call = await api("GET", "/api/v1/calls/current");
      if (call && call.ticket_id === this.ticketId) {
        if (this.mesh.iceCallId !== call.id) await this.mesh.loadIceServers(call.id);
        this.adopt(call);
        return;
      }
    } catch (err) {
      console.warn("call: current", err);
    }
    this.setStatus("idle");
  }

  /** The live connection is back: fetch the call again and renegotiate with everyone. */
  async refetch() {
    const id = this.call?.id;
    if (!id) return;
    try {
      const call = await api("GET", `/api/v1/calls/${id}`);
      this.adopt(call, true);
    } catch (err) {
      console.warn("call: refetch", err);
    }
  }

  /**
   * Take a CallView from the API or a push, and make the page and the mesh match it.
   * @param {CallView} call
   * @param {boolean} [restart] Renegotiate (ICE restart) with every peer that is already there.
   */
  adopt(call, restart = false) {
    if (!call || call.ticket_id !== this.ticketId) return;
    if (this.call && call.id < this.call.id) return;
    // Fresh: first sight of this call, or the first time I am in it (I just answered or joined).
    const wasIn = this.call?.id === call.id && this.joined();
    const fresh = !wasIn;
    this.call = call;
    this.root.dataset.callId = String(call.id);
    if (call.status === "active" && this.joined()) {
      const others = new Set(this.others().map((p) => p.user_id));
      // Gone: close their connection.
      for (const id of this.mesh.ids()) if (!others.has(id)) this.mesh.drop(id);
      // There: the joiner offers. On first sight of the call (answer, join, reload) that is me.
      for (const p of this.others()) {
        const there = this.mesh.has(p.user_id);
        if (!there && (fresh || restart)) this.mesh.ensure(p.user_id);
        else if (there && restart) this.mesh.restart(p.user_id);
      }
      for (const id of this.mesh.ids()) this.tiles.label(id, this.nameOf(id));
    } else if (call.status !== "ringing") {
      this.mesh.closeAll();
    }
    // Over for good: let go of the camera and microphone.
    if (call.status === "ended") {
      for (const t of this.local?.getTracks() ?? []) t.stop();
    }
    this.setStatus(call.status === "active" && !this.joined() ? "idle" : call.status);
  }

  /** @param {CallView} call */
  onCallState(call) {
    if (call.ticket_id !== this.ticketId) return;
    // A ring for this ticket from the other side shows this page's own 接听, unless the page is
    // already busy with a live call of the ticket.
    const busy = this.call && this.call.id !== call.id && ["ringing", "active"].includes(this.call.status);
    if (call.status === "ringing" && call.caller_id !== this.me && busy) return;
    this.adopt(call);
  }

  /** @param {import("../live.js").LiveState} state */
  onSocket(state) {
    if (state === "closed") this.socketLost = true;
    if (state === "open" && this.socketLost) {
      this.socketLost = false;
      this.refetch();
    }
    this.render();
  }

  async cancel() {
    const call = this.call;
    if (!call) return;
    try {
      const c = await api("POST", `/api/v1/calls/${call.id}/cancel`);
      this.adopt(c);
    } catch (err) {
      this.failWith(err);
    }
  }

  async leave() {
    const call = this.call;
    if (!call) return;
    try {
      await api("POST", `/api/v1/calls/${call.id}/leave`);
      this.mesh.closeAll();
      location.href = `/employer/registrations/${this.registrationId}/hall`;
    } catch (err) {
      this.failWith(err);
    }
  }

  /** @param {"suitable" | "unsuitable"} verdict */
  async end(verdict) {
    const call = this.call;
    if (!call) return false;
    const notes = this.notes.value;
    await this.notes.close();
    try {
      const c = await api("POST", `/api/v1/calls/${call.id}/end`, { verdict, notes });
      this.notes.confirmed(notes);
      this.adopt(c && typeof c === "object" && "status" in c ? c : { ...call, status: "ended" });
      return true;
    } catch (err) {
      this.notes.reopen();
      const e = byId("call-end-error");
      if (e) e.textContent = err instanceof ApiError && err.status !== 0 ? err.message : this.msg("network");
      return false;
    }
  }

  async next() {
    const e = byId("call-next-error");
    if (e) e.textContent = "";
    try {
      const call = await api("POST", `/api/v1/employer/registrations/${this.registrationId}/calls/next`);
      const keep = this.relay ? "?relay=1" : "";
      location.href = `/interviews/${call.ticket_id}/call${keep}`;
    } catch (err) {
      if (!e) return;
      if (err instanceof ApiError && err.code === "no_one_online") e.textContent = this.msg("noOneOnline");
      else e.textContent = err instanceof ApiError && err.status !== 0 ? err.message : this.msg("network");
    }
  }

  // ------------------------------------------------------------ what the page shows

  render() {
    const s = this.status;
    const inCall = s === "active";
    const states = this.mesh.states();
    const connected = Array.from(states.values()).filter((st) => st === "connected").length;
    const socketDown = this.live ? this.live.state !== "open" : false;
    const peerTrouble = Array.from(states.values()).some((st) => st === "disconnected" || st === "failed");
    this.tiles.showStates(states);
    this.root.dataset.peersConnected = String(connected);
    this.overlay.classList.toggle("hidden", !(inCall && (socketDown || peerTrouble)));

    /** @type {Record<string, string>} */
    const words = {
      idle: "idle",
      starting: "calling",
      ringing: "calling",
      answering: "connecting",
      joining: "connecting",
      missed: "missed",
      declined: "declined",
      cancelled: "cancelled",
      ended: "ended",
      error: "network",
    };
    const rungHere = s === "ringing" && !!this.call && this.call.caller_id !== this.me && !this.joined();
    this.answerButton.classList.toggle("hidden", !rungHere);
    if (rungHere) {
      this.say(this.msg("ringingIn"));
    } else if (inCall) {
      this.say(connected > 0 ? this.msg("active") : this.others().length ? this.msg("connecting") : this.msg("waitingPeer"));
    } else {
      this.say(this.msg(words[s] ?? "idle"));
    }
    this.banner.classList.toggle("warn", s === "missed" || s === "declined");

    // Only a queued ticket (待面试) can be called; after a miss or a decline it still is.
    const mayStart = ["idle", "missed", "declined", "cancelled"].includes(s) && this.ticketStatus === "queued";
    this.startButton.classList.toggle("hidden", !mayStart);
    this.startButton.disabled = false;
    const iCall = s === "ringing" && this.call?.caller_id === this.me;
    this.cancelButton.classList.toggle("hidden", !iCall);
    this.endButton?.classList.toggle("hidden", !inCall);
    const hostsIn = (this.call?.participants ?? []).filter(
      (p) => p.side === "employer" && p.joined_at != null && p.left_at == null,
    ).length;
    this.leaveButton?.classList.toggle("hidden", !(inCall && hostsIn > 1));
    const hasAudio = (this.local?.getAudioTracks().length ?? 0) > 0;
    const hasVideo = (this.local?.getVideoTracks().length ?? 0) > 0;
    this.muteButton.disabled = !hasAudio;
    this.cameraButton.disabled = !hasVideo;
    this.after.classList.toggle("hidden", s !== "ended");
    if (s === "ended") {
      this.ticketStatus = "done";
      this.startButton.classList.add("hidden");
    }
  }

  wireControls() {
    this.startButton.addEventListener("click", () => {
      this.startButton.disabled = true;
      this.start();
    });
    this.cancelButton.addEventListener("click", () => this.cancel());
    this.answerButton.addEventListener("click", () => {
      const id = this.call?.id;
      if (id) this.answer(id);
    });
    this.leaveButton?.addEventListener("click", () => this.leave());
    this.muteButton.addEventListener("click", () => {
      const tracks = this.local?.getAudioTracks() ?? [];
      const muted = this.muteButton.getAttribute("aria-pressed") !== "true";
      for (const t of tracks) t.enabled = !muted;
      this.muteButton.setAttribute("aria-pressed", String(muted));
      this.muteButton.textContent = muted ? this.msg("unmute") : this.msg("mute");
    });
    this.cameraButton.addEventListener("click", () => {
      const tracks = this.local?.getVideoTracks() ?? [];
      const off = this.cameraButton.getAttribute("aria-pressed") !== "true";
      for (const t of tracks) t.enabled = !off;
      this.cameraButton.setAttribute("aria-pressed", String(off));
      this.cameraButton.textContent = off ? this.msg("cameraOn") : this.msg("cameraOff");
    });
    const next = byId("call-next");
    next?.addEventListener("click", () => this.next());

    const dialog = this.dialog;
    if (!this.endButton || !dialog) return;
    const form = /** @type {HTMLFormElement} */ (byId("call-end-form"));
    const error = /** @type {HTMLElement} */ (byId("call-end-error"));
    this.endButton.addEventListener("click", () => {
      error.textContent = "";
      form.reset();
      dialog.showModal();
    });
    byId("call-end-cancel")?.addEventListener("click", () => dialog.close());
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const picked = form.querySelector('input[name="verdict"]:checked');
      const verdict = picked instanceof HTMLInputElement ? picked.value : "";
      if (verdict !== "suitable" && verdict !== "unsuitable") {
        error.textContent = this.msg("verdictRequired");
        return;
      }
      const confirm = /** @type {HTMLButtonElement} */ (byId("call-end-confirm"));
      confirm.disabled = true;
      const ok = await this.end(verdict);
      confirm.disabled = false;
      if (ok) dialog.close();
    });
  }
}
