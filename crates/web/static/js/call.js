// The call page (`#call`): a WebRTC mesh between the joined participants of one interview call,
// signalled over the page's live connection.
//
// - `?start=1` starts the call on load (`POST /api/v1/tickets/{id}/call`), `?answer={call_id}`
//   answers it (`POST /api/v1/calls/{id}/answer`), `?join={call_id}` joins a running call as a
//   second interviewer; otherwise `GET /api/v1/calls/current` resumes a call of this ticket.
//   `?relay=1` sets `iceTransportPolicy: "relay"` (TURN only).
// - Negotiation is MDN's "perfect negotiation" between every pair of joined participants; the
//   polite peer is the one with the larger user id. The participant who joins (or resumes after
//   a reload or a reconnect) makes the first offer to every other joined participant; the others
//   make a connection for a peer when its first signal arrives.
// - ICE restarts when a connection fails, or stays disconnected for more than 3 s, and after the
//   live connection comes back (signals sent while it was down are lost).
// - Hosts write 面试备注: kept in localStorage at once, saved to the server after a pause, and
//   dropped from localStorage only once the server confirmed the same text.
//
// For tests: `window.fairhallCall.stats()` and `.state()`, and `data-call-status` on `#call`.

import { api, ApiError } from "./lib/api.js";
import { connectPage } from "./lib/live.js";

/** @typedef {import("./lib/live.js").CallView} CallView */
/** @typedef {import("./lib/live.js").CallSignalFrame} CallSignalFrame */
/** @typedef {import("./lib/live.js").CallParticipant} CallParticipant */

/**
 * The page's call status (`data-call-status`): "idle" before a call or when there is none,
 * "starting" / "answering" / "joining" while the request runs, then the call's own status.
 * @typedef {"idle" | "starting" | "answering" | "joining" | "ringing" | "active" | "ended" | "missed" | "declined" | "cancelled" | "error"} CallStatus
 */

/**
 * @typedef {object} Peer
 * @property {number} id The other participant's user id.
 * @property {RTCPeerConnection} pc
 * @property {boolean} polite
 * @property {boolean} makingOffer
 * @property {boolean} ignoreOffer
 * @property {boolean} settingRemoteAnswer
 * @property {Promise<void>} queue Signals are handled one after another.
 * @property {ReturnType<typeof setTimeout> | undefined} disconnectTimer
 * @property {number} offeredAt When the last offer was sent (Unix ms), 0 before.
 * @property {HTMLElement} tile
 * @property {HTMLVideoElement} video
 */

const DISCONNECTED_RESTART_MS = 3000;
const NOTES_DEBOUNCE_MS = 800;
const NOTES_RETRY_MS = 5000;
const QUALITY_EVERY_MS = 2000;
/** An offer unanswered this long (lost while a socket was down) is taken back and retried. */
const OFFER_STUCK_MS = 6000;
const MAX_REMOTE = 3;

/**
 * @param {string} id
 * @returns {HTMLElement | null}
 */
function byId(id) {
  return document.getElementById(id);
}

/** Devices chosen on the device test page, if any. */
function chosenDevices() {
  try {
    const raw = localStorage.getItem("fairhall.devices");
    const v = raw ? JSON.parse(raw) : null;
    return {
      camera: typeof v?.camera === "string" ? v.camera : "",
      microphone: typeof v?.microphone === "string" ? v.microphone : "",
      speaker: typeof v?.speaker === "string" ? v.speaker : "",
    };
  } catch {
    return { camera: "", microphone: "", speaker: "" };
  }
}

class CallPage {
  /** @type {CallStatus} */
  status = "idle";
  /** @type {CallView | null} */
  call = null;
  /** @type {MediaStream | null} */
  local = null;
  /** @type {Map<number, Peer>} */
  peers = new Map();
  /** @type {RTCIceServer[]} */
  iceServers = [];
  iceExpiresAt = 0;
  /** The call the TURN credentials were minted for (0: the user alone, before a call). */
  iceCallId = 0;

  /**
   * Fresh credentials for the call (or when the old ones run out), handed to every connection;
   * used before an ICE restart so a relayed call can restart through TURN.
   */
  async refreshIce() {
    const callId = this.call?.id ?? 0;
    const stale = this.iceExpiresAt && this.iceExpiresAt < Date.now() + 60_000;
    if (callId === this.iceCallId && !stale) return;
    await this.loadIceServers(callId);
    for (const peer of this.peers.values()) {
      try {
        peer.pc.setConfiguration(this.rtcConfig());
      } catch (err) {
        console.warn("call: setConfiguration", err);
      }
    }
  }
  relay = false;
  /** Whether the live connection was lost since it was last open. */
  socketLost = false;
  /** @type {ReturnType<typeof setInterval> | undefined} */
  qualityTimer;

  /**
   * @param {HTMLElement} root
   * @param {import("./lib/live.js").LiveConnection | null} live
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
    /** When the first remote video frame was shown (Unix ms), 0 before; for the setup figure. */
    this.firstFrameAt = 0;
    this.banner = /** @type {HTMLElement} */ (byId("call-banner"));
    this.error = /** @type {HTMLElement} */ (byId("call-error"));
    this.videos = /** @type {HTMLElement} */ (byId("call-videos"));
    this.localVideo = /** @type {HTMLVideoElement} */ (byId("call-local"));
    this.overlay = /** @type {HTMLElement} */ (byId("call-reconnecting"));
    this.tileTemplate = /** @type {HTMLTemplateElement} */ (byId("call-remote-tpl"));
    this.startButton = /** @type {HTMLButtonElement} */ (byId("call-start"));
    this.cancelButton = /** @type {HTMLButtonElement} */ (byId("call-cancel"));
    this.answerButton = /** @type {HTMLButtonElement} */ (byId("call-answer"));
    this.muteButton = /** @type {HTMLButtonElement} */ (byId("call-mute"));
    this.cameraButton = /** @type {HTMLButtonElement} */ (byId("call-camera"));
    this.endButton = /** @type {HTMLButtonElement | null} */ (byId("call-end"));
    this.leaveButton = /** @type {HTMLButtonElement | null} */ (byId("call-leave"));
    this.after = /** @type {HTMLElement} */ (byId("call-after"));
    this.quality = /** @type {HTMLElement} */ (byId("call-quality"));
    this.qualityText = /** @type {HTMLElement} */ (byId("call-quality-text"));
    this.notes = /** @type {HTMLTextAreaElement | null} */ (byId("call-notes"));
    this.notesStatus = byId("call-notes-status");
    this.dialog = /** @type {HTMLDialogElement | null} */ (byId("call-end-dialog"));
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

  // ------------------------------------------------------------ start-up

  async init() {
    this.wireControls();
    this.wireNotes();
    const live = this.live;
    if (live) {
      live.on("call_state", ({ call }) => this.onCallState(call));
      live.on("call_signal", (frame) => this.onSignal(frame));
      live.on("error", (frame) => {
        if (frame.code === "not_in_call") this.refetch();
      });
      live.on("statechange", (state) => this.onSocket(state));
    }
    window.fairhallCall = {
      stats: () => this.stats(),
      state: () => this.status,
      firstFrameAt: () => this.firstFrameAt,
    };
    this.setStatus("idle");

    const answer = Number(this.params.get("answer")) || 0;
    // `join=live` (加入面试 in the hall): the ticket's running call, as the page was rendered.
    const joinParam = this.params.get("join");
    const join = joinParam === "live" ? Number(this.root.dataset.liveCallId) || 0 : Number(joinParam) || 0;
    const media = this.openMedia();
    // Credentials for the call being answered or joined; a new or resumed call gets its own
    // before any restart (`refreshIce`).
    const ice = this.loadIceServers(answer || join);
    await Promise.all([media, ice]);

    const start = this.params.get("start") === "1";
    this.cleanUrl();
    if (answer) await this.answer(answer);
    else if (join) await this.join(join);
    else if (start) await this.start();
    else await this.resume();
    this.qualityTimer = setInterval(() => {
      this.updateQuality();
      this.unstick();
    }, QUALITY_EVERY_MS);
  }

  /** Drop `start`/`answer`/`join` from the address so a reload resumes instead of redoing. */
  cleanUrl() {
    const keep = this.relay ? "?relay=1" : "";
    history.replaceState(history.state, "", `${location.pathname}${keep}`);
  }

  async openMedia() {
    const chosen = chosenDevices();
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

  /**
   * ICE servers with TURN credentials minted for this user, in `callId` when there is a call.
   * @param {number} [callId]
   */
  async loadIceServers(callId = 0) {
    try {
      const q = callId ? `?call_id=${encodeURIComponent(callId)}` : "";
      const r = await api("GET", `/api/v1/calls/ice-servers${q}`);
      this.iceCallId = callId;
      this.iceServers = Array.isArray(r?.ice_servers) ? r.ice_servers : [];
      this.iceExpiresAt = typeof r?.expires_at === "number" ? r.expires_at : 0;
    } catch (err) {
      console.warn("call: ice servers", err);
      this.iceServers = [];
    }
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
      this.loadIceServers(call.id);
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
        if (this.iceCallId !== call.id) await this.loadIceServers(call.id);
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
      for (const [id, peer] of this.peers) if (!others.has(id)) this.dropPeer(peer);
      // There: the joiner offers. On first sight of the call (answer, join, reload) that is me.
      for (const p of this.others()) {
        const peer = this.peers.get(p.user_id);
        if (!peer && (fresh || restart)) this.peerFor(p.user_id);
        else if (peer && restart) this.restartIce(peer);
      }
      this.labelTiles();
    } else if (call.status !== "ringing") {
      this.closeAll();
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

  /** @param {import("./lib/live.js").LiveState} state */
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
      this.closeAll();
      location.href = `/employer/registrations/${this.registrationId}/hall`;
    } catch (err) {
      this.failWith(err);
    }
  }

  /** @param {"suitable" | "unsuitable"} verdict */
  async end(verdict) {
    const call = this.call;
    if (!call) return false;
    const notes = this.notes?.value ?? "";
    this.notesClosed = true;
    this.stopNotesTimer();
    await this.notesInFlight;
    try {
      const c = await api("POST", `/api/v1/calls/${call.id}/end`, { verdict, notes });
      this.notesConfirmed(notes);
      this.adopt(c && typeof c === "object" && "status" in c ? c : { ...call, status: "ended" });
      return true;
    } catch (err) {
      this.notesClosed = false;
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

  // ------------------------------------------------------------ the mesh

  /** @returns {RTCConfiguration} */
  rtcConfig() {
    /** @type {RTCConfiguration} */
    const config = { iceServers: this.iceServers };
    if (this.relay) config.iceTransportPolicy = "relay";
    return config;
  }

  /**
   * The connection to one participant, made (with my tracks) if there is none yet.
   * @param {number} id
   * @returns {Peer}
   */
  peerFor(id) {
    const existing = this.peers.get(id);
    if (existing) return existing;
    const pc = new RTCPeerConnection(this.rtcConfig());
    const { tile, video } = this.tileFor(id);
    /** @type {Peer} */
    const peer = {
      id,
      pc,
      polite: this.me > id,
      makingOffer: false,
      ignoreOffer: false,
      settingRemoteAnswer: false,
      queue: Promise.resolve(),
      disconnectTimer: undefined,
      offeredAt: 0,
      tile,
      video,
    };
    this.peers.set(id, peer);

    const local = this.local;
    const kinds = new Set(local?.getTracks().map((t) => t.kind) ?? []);
    if (local) for (const track of local.getTracks()) pc.addTrack(track, local);
    // Without a camera or microphone of my own, still receive theirs.
    for (const kind of ["audio", "video"]) {
      if (!kinds.has(kind)) pc.addTransceiver(kind, { direction: "recvonly" });
    }

    pc.onnegotiationneeded = async () => {
      // Only from stable: otherwise the implicit description would be an answer.
      if (pc.signalingState !== "stable") return;
      try {
        peer.makingOffer = true;
        await pc.setLocalDescription();
        const desc = pc.localDescription;
        if (desc?.sdp && desc.type === "offer") {
          peer.offeredAt = Date.now();
          this.signal(id, { kind: "offer", sdp: desc.sdp });
        }
      } catch (err) {
        console.warn("call: offer", err);
      } finally {
        peer.makingOffer = false;
      }
    };
    pc.onicecandidate = ({ candidate }) => {
      // Null, or "" in some browsers: the end of candidates, nothing to relay.
      if (!candidate || !candidate.candidate) return;
      const c = candidate.toJSON();
      /** @type {import("./lib/live.js").IceCandidateJson} */
      const json = { candidate: c.candidate ?? "", sdpMid: c.sdpMid ?? null, sdpMLineIndex: c.sdpMLineIndex ?? null };
      if (c.usernameFragment) json.usernameFragment = c.usernameFragment;
      this.signal(id, { kind: "candidate", candidate: json });
    };
    pc.ontrack = ({ track, streams }) => {
      const stream = streams[0] ?? (video.srcObject instanceof MediaStream ? video.srcObject : new MediaStream());
      if (!streams[0] && !stream.getTracks().includes(track)) stream.addTrack(track);
      if (video.srcObject !== stream) video.srcObject = stream;
      this.play(video);
      if (track.kind === "video" && !this.firstFrameAt && "requestVideoFrameCallback" in video) {
        video.requestVideoFrameCallback(() => {
          if (!this.firstFrameAt) this.firstFrameAt = Date.now();
        });
      }
    };
    pc.onconnectionstatechange = () => this.onConnectionState(peer);
    pc.oniceconnectionstatechange = () => {
      if (pc.iceConnectionState === "failed") this.restartIce(peer);
    };
    this.render();
    return peer;
  }

  /**
   * Play a remote tile. Where the browser refuses sound before a click on this page, play it
   * muted and offer a button that turns the sound on.
   * @param {HTMLVideoElement} video
   */
  play(video) {
    video.play().catch(() => {
      video.muted = true;
      video.play().catch(() => {});
      const button = byId("call-sound");
      if (!button) return;
      button.classList.remove("hidden");
      button.onclick = () => {
        for (const v of this.videos.querySelectorAll(".call-remote video")) {
          if (v instanceof HTMLVideoElement) {
            v.muted = false;
            v.play().catch(() => {});
          }
        }
        button.classList.add("hidden");
      };
    });
  }

  /** @param {Peer} peer */
  onConnectionState(peer) {
    const state = peer.pc.connectionState;
    clearTimeout(peer.disconnectTimer);
    peer.disconnectTimer = undefined;
    if (state === "failed") this.restartIce(peer);
    if (state === "disconnected") {
      peer.disconnectTimer = setTimeout(() => {
        if (peer.pc.connectionState === "disconnected") this.restartIce(peer);
      }, DISCONNECTED_RESTART_MS);
    }
    this.render();
  }

  /** @param {Peer} peer */
  async restartIce(peer) {
    const pc = peer.pc;
    if (this.peers.get(peer.id) !== peer || pc.signalingState === "closed") return;
    try {
      // An offer the other side never got (its socket or mine was down) would block every later
      // negotiation: take it back first, then restart from stable.
      await this.refreshIce();
      if (pc.signalingState === "have-local-offer") {
        await pc.setLocalDescription({ type: "rollback" });
      }
      pc.restartIce();
    } catch (err) {
      console.warn("call: restartIce", err);
    }
  }

  /** An offer left unanswered for long is retried with an ICE restart (run with the quality timer). */
  unstick() {
    for (const peer of this.peers.values()) {
      if (peer.pc.signalingState === "have-local-offer" && Date.now() - (peer.offeredAt) > OFFER_STUCK_MS) {
        peer.offeredAt = Date.now();
        this.restartIce(peer);
      }
    }
  }

  /**
   * @param {number} to
   * @param {{kind: "offer" | "answer" | "candidate", sdp?: string, candidate?: import("./lib/live.js").IceCandidateJson}} body
   */
  signal(to, body) {
    const call = this.call;
    if (!call || !this.live) return;
    this.live.send({ type: "signal", call_id: call.id, to, ...body });
  }

  /** @param {CallSignalFrame} frame */
  onSignal(frame) {
    const call = this.call;
    if (!call || frame.call_id !== call.id || frame.from === this.me) return;
    if (this.peers.size >= MAX_REMOTE && !this.peers.has(frame.from)) return;
    const peer = this.peerFor(frame.from);
    peer.queue = peer.queue.then(() => this.handleSignal(peer, frame)).catch((err) => {
      console.warn("call: signal", frame.kind, err);
    });
  }

  /**
   * Perfect negotiation (MDN), one signal at a time per peer.
   * @param {Peer} peer
   * @param {CallSignalFrame} frame
   */
  async handleSignal(peer, frame) {
    // The peer may have been replaced meanwhile (a reload on their side).
    const current = this.peers.get(peer.id);
    if (current && current !== peer) peer = current;
    if (!current) return;
    const pc = peer.pc;
    if (frame.kind === "offer" || frame.kind === "answer") {
      if (!frame.sdp) return;
      /** @type {RTCSessionDescriptionInit} */
      const description = { type: frame.kind, sdp: frame.sdp };
      const readyForOffer =
        !peer.makingOffer && (pc.signalingState === "stable" || peer.settingRemoteAnswer);
      const collision = description.type === "offer" && !readyForOffer;
      peer.ignoreOffer = !peer.polite && collision;
      if (peer.ignoreOffer) return;
      peer.settingRemoteAnswer = description.type === "answer";
      try {
        await pc.setRemoteDescription(description);
      } catch (err) {
        peer.settingRemoteAnswer = false;
        if (description.type !== "offer") throw err;
        // An offer from a fresh session of theirs (they reloaded): start over with them.
        console.warn("call: offer refused, reconnecting afresh", err);
        this.dropPeer(peer, true);
        const again = this.peerFor(peer.id);
        await again.pc.setRemoteDescription(description);
        await again.pc.setLocalDescription();
        const sdp = again.pc.localDescription?.sdp;
        if (sdp) this.signal(again.id, { kind: "answer", sdp });
        return;
      }
      peer.settingRemoteAnswer = false;
      if (description.type === "offer") {
        await pc.setLocalDescription();
        const sdp = pc.localDescription?.sdp;
        if (sdp) this.signal(peer.id, { kind: "answer", sdp });
      }
    } else if (frame.kind === "candidate" && frame.candidate) {
      try {
        await pc.addIceCandidate(frame.candidate);
      } catch (err) {
        if (!peer.ignoreOffer) console.warn("call: candidate", err);
      }
    }
  }

  /**
   * @param {Peer} peer
   * @param {boolean} [keepTile]
   */
  dropPeer(peer, keepTile = false) {
    clearTimeout(peer.disconnectTimer);
    peer.pc.onnegotiationneeded = null;
    peer.pc.onicecandidate = null;
    peer.pc.ontrack = null;
    peer.pc.onconnectionstatechange = null;
    peer.pc.oniceconnectionstatechange = null;
    peer.pc.close();
    if (this.peers.get(peer.id) === peer) this.peers.delete(peer.id);
    if (!keepTile) peer.tile.remove();
    this.render();
  }

  closeAll() {
    for (const peer of Array.from(this.peers.values())) this.dropPeer(peer);
  }

  /**
   * The video tile of a participant, made from `#call-remote-tpl` if there is none.
   * @param {number} id
   */
  tileFor(id) {
    let tile = /** @type {HTMLElement | null} */ (this.videos.querySelector(`[data-peer="${id}"]`));
    if (!tile) {
      const frag = /** @type {DocumentFragment} */ (this.tileTemplate.content.cloneNode(true));
      tile = /** @type {HTMLElement} */ (frag.firstElementChild);
      tile.dataset.peer = String(id);
      tile.dataset.reconnecting = this.msg("waitingPeer");
      this.videos.append(tile);
    }
    const video = /** @type {HTMLVideoElement} */ (tile.querySelector("video"));
    const speaker = chosenDevices().speaker;
    if (speaker && "setSinkId" in video) {
      /** @type {HTMLVideoElement & {setSinkId: (id: string) => Promise<void>}} */ (video)
        .setSinkId(speaker)
        .catch(() => {});
    }
    const p = this.call?.participants.find((x) => x.user_id === id);
    const caption = tile.querySelector("figcaption");
    if (caption && p) caption.textContent = p.name;
    return { tile, video };
  }

  labelTiles() {
    for (const peer of this.peers.values()) {
      const p = this.call?.participants.find((x) => x.user_id === peer.id);
      const caption = peer.tile.querySelector("figcaption");
      if (caption && p) caption.textContent = p.name;
    }
  }

  // ------------------------------------------------------------ what the page shows

  render() {
    const s = this.status;
    const inCall = s === "active";
    const connected = Array.from(this.peers.values()).filter((p) => p.pc.connectionState === "connected").length;
    const socketDown = this.live ? this.live.state !== "open" : false;
    let peerTrouble = false;
    for (const peer of this.peers.values()) {
      const st = peer.pc.connectionState;
      const trouble = st === "disconnected" || st === "failed";
      peerTrouble ||= trouble;
      peer.tile.dataset.peerState = trouble ? "reconnecting" : st;
      peer.tile.dataset.reconnecting = this.msg("waitingPeer");
    }
    this.root.dataset.peersConnected = String(connected);
    this.videos.dataset.count = String(1 + this.peers.size);
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

  // ------------------------------------------------------------ notes (hosts)

  get notesKey() {
    return `fairhall.notes.${this.ticketId}`;
  }

  wireNotes() {
    const notes = this.notes;
    if (!notes) return;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    let timer;
    let saving = false;
    let dirty = false;
    const save = async () => {
      // After 结束面试 the verdict's request carries the notes; a late autosave must not
      // overwrite them.
      if (this.notesClosed) return;
      if (saving) {
        dirty = true;
        return;
      }
      saving = true;
      dirty = false;
      const text = notes.value;
      this.notesSay("notesSaving");
      try {
        const put = api("PUT", `/api/v1/tickets/${this.ticketId}/notes`, { notes: text });
        this.notesInFlight = put.then(() => {}, () => {});
        await put;
        this.notesConfirmed(text);
      } catch (err) {
        this.notesSay("notesUnsaved");
        if (err instanceof ApiError && err.status === 422 && this.notesStatus) {
          this.notesStatus.textContent = err.message;
        } else {
          clearTimeout(timer);
          timer = setTimeout(save, NOTES_RETRY_MS);
        }
      } finally {
        saving = false;
      }
      if (dirty) save();
    };
    this.saveNotes = save;
    this.stopNotesTimer = () => clearTimeout(timer);

    // A draft the server never confirmed (a reload, a crash, no network) wins over the server's.
    const draft = this.loadDraft();
    if (draft !== null && draft !== notes.value) {
      notes.value = draft;
      save();
    }
    notes.addEventListener("input", () => {
      try {
        localStorage.setItem(this.notesKey, JSON.stringify({ text: notes.value, at: Date.now() }));
      } catch {
        // Private mode or full storage: the server save still runs.
      }
      this.notesSay("notesUnsaved");
      clearTimeout(timer);
      timer = setTimeout(save, NOTES_DEBOUNCE_MS);
    });
    notes.addEventListener("blur", () => {
      if (this.loadDraft() !== null) {
        clearTimeout(timer);
        save();
      }
    });
  }

  /** @type {() => Promise<void>} */
  saveNotes = async () => {};

  /** @type {() => void} */
  stopNotesTimer = () => {};

  /** The notes save in flight, if any (settles either way). */
  notesInFlight = Promise.resolve();

  /** Set while 结束面试 is sending the notes with the verdict, and after: no more autosaves. */
  notesClosed = false;

  /** @returns {string | null} */
  loadDraft() {
    try {
      const raw = localStorage.getItem(this.notesKey);
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
  notesConfirmed(text) {
    if ((this.loadDraft() ?? text) === text) {
      try {
        localStorage.removeItem(this.notesKey);
      } catch {
        // Nothing stored.
      }
    }
    if (this.notes && this.notes.value === text) this.notesSay("notesSaved");
  }

  /** @param {string} key */
  notesSay(key) {
    if (this.notesStatus) this.notesStatus.textContent = this.msg(key);
  }

  // ------------------------------------------------------------ stats

  /**
   * Frames decoded and sent (video, all peers), and the local candidate type of the selected
   * pair of the first connected peer.
   */
  async stats() {
    let framesDecoded = 0;
    let framesSent = 0;
    /** @type {string} */
    let candidateType = "";
    let remoteCandidateType = "";
    for (const peer of this.peers.values()) {
      const report = await peer.pc.getStats();
      /** @type {Map<string, any>} */
      const byIdMap = new Map();
      report.forEach((s) => byIdMap.set(s.id, s));
      /** @type {any} */
      let pair = null;
      report.forEach((s) => {
        if (s.type === "inbound-rtp" && s.kind === "video") framesDecoded += s.framesDecoded ?? 0;
        if (s.type === "outbound-rtp" && s.kind === "video") framesSent += s.framesSent ?? 0;
        if (s.type === "transport" && s.selectedCandidatePairId) pair = byIdMap.get(s.selectedCandidatePairId) ?? pair;
      });
      if (!pair) {
        report.forEach((s) => {
          if (s.type === "candidate-pair" && s.state === "succeeded" && (s.nominated || s.selected)) pair = s;
        });
      }
      if (pair && !candidateType) {
        candidateType = byIdMap.get(pair.localCandidateId)?.candidateType ?? "";
        remoteCandidateType = byIdMap.get(pair.remoteCandidateId)?.candidateType ?? "";
      }
    }
    return { framesDecoded, framesSent, candidateType, remoteCandidateType, peers: this.peers.size };
  }

  /** @type {Map<number, {lost: number, received: number}>} */
  lastCounts = new Map();

  /** 好 / 一般 / 差 from round-trip time, packet loss and frame rate, the worst peer's. */
  async updateQuality() {
    if (this.status !== "active" || this.peers.size === 0) {
      this.showQuality("unknown");
      return;
    }
    let worst = 0; // 0 good, 1 fair, 2 poor
    let measured = false;
    for (const peer of this.peers.values()) {
      if (peer.pc.connectionState !== "connected") {
        worst = 2;
        measured = true;
        continue;
      }
      const report = await peer.pc.getStats();
      let rtt = -1;
      let lost = 0;
      let received = 0;
      let fps = -1;
      report.forEach((s) => {
        if (s.type === "candidate-pair" && s.state === "succeeded" && typeof s.currentRoundTripTime === "number") {
          if (s.nominated || rtt < 0) rtt = s.currentRoundTripTime;
        }
        if (s.type === "inbound-rtp") {
          lost += s.packetsLost ?? 0;
          received += s.packetsReceived ?? 0;
          if (s.kind === "video" && typeof s.framesPerSecond === "number") fps = s.framesPerSecond;
        }
      });
      const last = this.lastCounts.get(peer.id) ?? { lost: 0, received: 0 };
      this.lastCounts.set(peer.id, { lost, received });
      const dLost = Math.max(0, lost - last.lost);
      const dRecv = Math.max(0, received - last.received);
      const loss = dLost + dRecv > 0 ? dLost / (dLost + dRecv) : 0;
      let level = 0;
      if (rtt > 0.3 || loss > 0.02 || (fps >= 0 && fps < 15)) level = 1;
      if (rtt > 0.8 || loss > 0.1 || (fps >= 0 && fps < 8)) level = 2;
      worst = Math.max(worst, level);
      measured = true;
    }
    this.showQuality(measured ? (["good", "fair", "poor"][worst] ?? "unknown") : "unknown");
  }

  /** @param {string} q */
  showQuality(q) {
    this.quality.dataset.quality = q;
    this.qualityText.textContent = this.msg(`quality${q[0].toUpperCase()}${q.slice(1)}`);
  }
}

const root = document.getElementById("call");
if (root) {
  const page = new CallPage(root, window.fairhallLive ?? connectPage());
  page.init().catch((err) => {
    console.error("call: init", err);
    page.setStatus("error");
  });
}
