// The call's peer mesh: one RTCPeerConnection per other joined participant (at most three),
// signalled over the page's live connection (`signal` out, `call_signal` in) with MDN's
// "perfect negotiation": the polite peer is the one with the larger user id.
//
// - `ensure(id)` makes the connection to a participant (with my tracks), and the negotiation
//   that follows makes the first offer; a participant whose first signal arrives gets one too.
// - ICE restarts when a connection fails or stays disconnected for more than 3 s, when an offer
//   stays unanswered (`unstick()`, lost while a socket was down), and when the page asks
//   (`restart(id)`, after the live connection comes back). Each restart first fetches fresh TURN
//   credentials for the call when it has none or they are about to run out.
//
// No DOM here: the page hears of connections added and removed, remote tracks and state changes
// through the `events` it passes in.

import { api } from "../api.js";

/** @typedef {import("../live.js").LiveConnection} LiveConnection */
/** @typedef {import("../live.js").CallSignalFrame} CallSignalFrame */
/** @typedef {import("../live.js").IceCandidateJson} IceCandidateJson */
/** @typedef {{kind: "offer" | "answer" | "candidate", sdp?: string, candidate?: IceCandidateJson}} SignalBody */

/**
 * What the mesh tells the page.
 * @typedef {object} MeshEvents
 * @property {(id: number) => void} added A connection to this participant was made.
 * @property {(id: number, track: MediaStreamTrack, streams: readonly MediaStream[]) => void} track
 *   A remote track arrived from them.
 * @property {(id: number, replaced: boolean) => void} removed Their connection was closed;
 *   `replaced` when a new one to them follows at once (they came back in a fresh session).
 * @property {() => void} changed A connection was added, removed, or changed state.
 */

/**
 * @typedef {object} MeshOptions
 * @property {number} me My user id.
 * @property {boolean} relay TURN only (`iceTransportPolicy: "relay"`).
 * @property {LiveConnection | null} live Where signals go.
 * @property {() => number} callId The page's call (0: none yet); signals carry it.
 * @property {() => MediaStream | null} local My camera and microphone, if any.
 * @property {MeshEvents} events
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
 */

const DISCONNECTED_RESTART_MS = 3000;
/** An offer unanswered this long (lost while a socket was down) is taken back and retried. */
const OFFER_STUCK_MS = 6000;
const MAX_REMOTE = 3;

export class Mesh {
  /** @type {Map<number, Peer>} */
  #peers = new Map();
  /** @type {RTCIceServer[]} */
  #iceServers = [];
  #iceExpiresAt = 0;
  /** The call the TURN credentials were minted for (0: the user alone, before a call). */
  #iceCallId = 0;

  /** @param {MeshOptions} options */
  constructor(options) {
    this.me = options.me;
    this.relay = options.relay;
    this.live = options.live;
    this.callId = options.callId;
    this.local = options.local;
    this.events = options.events;
  }

  /** How many connections there are. */
  get size() {
    return this.#peers.size;
  }

  /** The call the current TURN credentials were minted for (0: none). */
  get iceCallId() {
    return this.#iceCallId;
  }

  /** @param {number} id */
  has(id) {
    return this.#peers.has(id);
  }

  /** The participants with a connection. */
  ids() {
    return Array.from(this.#peers.keys());
  }

  /**
   * Each connection, for statistics.
   * @returns {{id: number, pc: RTCPeerConnection}[]}
   */
  connections() {
    return Array.from(this.#peers.values(), (p) => ({ id: p.id, pc: p.pc }));
  }

  /** @returns {Map<number, RTCPeerConnectionState>} */
  states() {
    return new Map(Array.from(this.#peers.values(), (p) => [p.id, p.pc.connectionState]));
  }

  // ------------------------------------------------------------ ICE servers

  /**
   * ICE servers with TURN credentials minted for this user, in `callId` when there is a call.
   * @param {number} [callId]
   */
  async loadIceServers(callId = 0) {
    try {
      const q = callId ? `?call_id=${encodeURIComponent(callId)}` : "";
      const r = await api("GET", `/api/v1/calls/ice-servers${q}`);
      this.#iceCallId = callId;
      this.#iceServers = Array.isArray(r?.ice_servers) ? r.ice_servers : [];
      this.#iceExpiresAt = typeof r?.expires_at === "number" ? r.expires_at : 0;
    } catch (err) {
      console.warn("call: ice servers", err);
      this.#iceServers = [];
    }
  }

  /**
   * Fresh credentials for the call (or when the old ones run out), handed to every connection;
   * used before an ICE restart so a relayed call can restart through TURN.
   */
  async #refreshIce() {
    const callId = this.callId();
    const stale = this.#iceExpiresAt && this.#iceExpiresAt < Date.now() + 60_000;
    if (callId === this.#iceCallId && !stale) return;
    await this.loadIceServers(callId);
    for (const peer of this.#peers.values()) {
      try {
        peer.pc.setConfiguration(this.#rtcConfig());
      } catch (err) {
        console.warn("call: setConfiguration", err);
      }
    }
  }

  /** @returns {RTCConfiguration} */
  #rtcConfig() {
    /** @type {RTCConfiguration} */
    const config = { iceServers: this.#iceServers };
    if (this.relay) config.iceTransportPolicy = "relay";
    return config;
  }

  // ------------------------------------------------------------ connections

  /**
   * The connection to one participant, made (with my tracks) if there is none yet.
   * @param {number} id
   */
  ensure(id) {
    this.#peerFor(id);
  }

  /**
   * @param {number} id
   * @returns {Peer}
   */
  #peerFor(id) {
    const existing = this.#peers.get(id);
    if (existing) return existing;
    const pc = new RTCPeerConnection(this.#rtcConfig());
    this.events.added(id);
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
    };
    this.#peers.set(id, peer);

    const local = this.local();
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
          this.#signal(id, { kind: "offer", sdp: desc.sdp });
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
      /** @type {IceCandidateJson} */
      const json = { candidate: c.candidate ?? "", sdpMid: c.sdpMid ?? null, sdpMLineIndex: c.sdpMLineIndex ?? null };
      if (c.usernameFragment) json.usernameFragment = c.usernameFragment;
      this.#signal(id, { kind: "candidate", candidate: json });
    };
    pc.ontrack = ({ track, streams }) => this.events.track(id, track, streams);
    pc.onconnectionstatechange = () => this.#onConnectionState(peer);
    pc.oniceconnectionstatechange = () => {
      if (pc.iceConnectionState === "failed") this.#restartIce(peer);
    };
    this.events.changed();
    return peer;
  }

  /** @param {Peer} peer */
  #onConnectionState(peer) {
    const state = peer.pc.connectionState;
    clearTimeout(peer.disconnectTimer);
    peer.disconnectTimer = undefined;
    if (state === "failed") this.#restartIce(peer);
    if (state === "disconnected") {
      peer.disconnectTimer = setTimeout(() => {
        if (peer.pc.connectionState === "disconnected") this.#restartIce(peer);
      }, DISCONNECTED_RESTART_MS);
    }
    this.events.changed();
  }

  /**
   * Renegotiate with this participant (ICE restart), if there is a connection to them.
   * @param {number} id
   */
  restart(id) {
    const peer = this.#peers.get(id);
    if (peer) this.#restartIce(peer);
  }

  /** @param {Peer} peer */
  async #restartIce(peer) {
    const pc = peer.pc;
    if (this.#peers.get(peer.id) !== peer || pc.signalingState === "closed") return;
    try {
      // An offer the other side never got (its socket or mine was down) would block every later
      // negotiation: take it back first, then restart from stable.
      await this.#refreshIce();
      if (pc.signalingState === "have-local-offer") {
        await pc.setLocalDescription({ type: "rollback" });
      }
      pc.restartIce();
    } catch (err) {
      console.warn("call: restartIce", err);
    }
  }

  /** An offer left unanswered for long is retried with an ICE restart (run every few seconds). */
  unstick() {
    for (const peer of this.#peers.values()) {
      if (peer.pc.signalingState === "have-local-offer" && Date.now() - peer.offeredAt > OFFER_STUCK_MS) {
        peer.offeredAt = Date.now();
        this.#restartIce(peer);
      }
    }
  }

  /**
   * Close the connection to this participant, if any.
   * @param {number} id
   */
  drop(id) {
    const peer = this.#peers.get(id);
    if (peer) this.#dropPeer(peer);
  }

  /** Close every connection. */
  closeAll() {
    for (const peer of Array.from(this.#peers.values())) this.#dropPeer(peer);
  }

  /**
   * @param {Peer} peer
   * @param {boolean} [replaced]
   */
  #dropPeer(peer, replaced = false) {
    clearTimeout(peer.disconnectTimer);
    peer.pc.onnegotiationneeded = null;
    peer.pc.onicecandidate = null;
    peer.pc.ontrack = null;
    peer.pc.onconnectionstatechange = null;
    peer.pc.oniceconnectionstatechange = null;
    peer.pc.close();
    if (this.#peers.get(peer.id) === peer) this.#peers.delete(peer.id);
    this.events.removed(peer.id, replaced);
    this.events.changed();
  }

  // ------------------------------------------------------------ signalling

  /**
   * @param {number} to
   * @param {SignalBody} body
   */
  #signal(to, body) {
    const callId = this.callId();
    if (!callId || !this.live) return;
    this.live.send({ type: "signal", call_id: callId, to, ...body });
  }

  /**
   * A `call_signal` pushed over the live connection: for this call, from another participant.
   * @param {CallSignalFrame} frame
   */
  receive(frame) {
    const callId = this.callId();
    if (!callId || frame.call_id !== callId || frame.from === this.me) return;
    if (this.#peers.size >= MAX_REMOTE && !this.#peers.has(frame.from)) return;
    const peer = this.#peerFor(frame.from);
    peer.queue = peer.queue.then(() => this.#handleSignal(peer, frame)).catch((err) => {
      console.warn("call: signal", frame.kind, err);
    });
  }

  /**
   * Perfect negotiation (MDN), one signal at a time per peer.
   * @param {Peer} peer
   * @param {CallSignalFrame} frame
   */
  async #handleSignal(peer, frame) {
    // The peer may have been replaced meanwhile (a reload on their side).
    const current = this.#peers.get(peer.id);
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
        this.#dropPeer(peer, true);
        const again = this.#peerFor(peer.id);
        await again.pc.setRemoteDescription(description);
        await again.pc.setLocalDescription();
        const sdp = again.pc.localDescription?.sdp;
        if (sdp) this.#signal(again.id, { kind: "answer", sdp });
        return;
      }
      peer.settingRemoteAnswer = false;
      if (description.type === "offer") {
        await pc.setLocalDescription();
        const sdp = pc.localDescription?.sdp;
        if (sdp) this.#signal(peer.id, { kind: "answer", sdp });
      }
    } else if (frame.kind === "candidate" && frame.candidate) {
      try {
        await pc.addIceCandidate(frame.candidate);
      } catch (err) {
        if (!peer.ignoreOffer) console.warn("call: candidate", err);
      }
    }
  }
}
