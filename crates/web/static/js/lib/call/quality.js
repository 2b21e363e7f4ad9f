// What the call's connections report through `getStats()`: the 通话质量 indicator
// (`#call-quality`: 好 / 一般 / 差 from round-trip time, packet loss and frame rate, the worst
// peer's) and the figures tests read through `window.fairhallCall.stats()`.

/** @typedef {{id: number, pc: RTCPeerConnection}} Connection */

/**
 * Frames decoded and sent (video, all peers), and the candidate types of the selected pair of
 * the first connected peer.
 * @param {Connection[]} connections
 */
export async function callStats(connections) {
  let framesDecoded = 0;
  let framesSent = 0;
  /** @type {string} */
  let candidateType = "";
  let remoteCandidateType = "";
  for (const peer of connections) {
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
  return { framesDecoded, framesSent, candidateType, remoteCandidateType, peers: connections.length };
}

export class QualityMeter {
  /** Packet counts at the last measurement, per peer, to measure loss since then. */
  /** @type {Map<number, {lost: number, received: number}>} */
  #lastCounts = new Map();

  /**
   * @param {HTMLElement} indicator `#call-quality` (`data-quality`: good, fair, poor or unknown).
   * @param {HTMLElement} text `#call-quality-text`.
   * @param {(key: string) => string} msg The page's messages (`qualityGood`, …).
   */
  constructor(indicator, text, msg) {
    this.indicator = indicator;
    this.text = text;
    this.msg = msg;
  }

  /**
   * Measure again: "unknown" outside an active call or without connections.
   * @param {boolean} active
   * @param {Connection[]} connections
   */
  async update(active, connections) {
    if (!active || connections.length === 0) {
      this.show("unknown");
      return;
    }
    let worst = 0; // 0 good, 1 fair, 2 poor
    let measured = false;
    for (const peer of connections) {
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
      const last = this.#lastCounts.get(peer.id) ?? { lost: 0, received: 0 };
      this.#lastCounts.set(peer.id, { lost, received });
      const dLost = Math.max(0, lost - last.lost);
      const dRecv = Math.max(0, received - last.received);
      const loss = dLost + dRecv > 0 ? dLost / (dLost + dRecv) : 0;
      let level = 0;
      if (rtt > 0.3 || loss > 0.02 || (fps >= 0 && fps < 15)) level = 1;
      if (rtt > 0.8 || loss > 0.1 || (fps >= 0 && fps < 8)) level = 2;
      worst = Math.max(worst, level);
      measured = true;
    }
    this.show(measured ? (["good", "fair", "poor"][worst] ?? "unknown") : "unknown");
  }

  /** @param {string} q */
  show(q) {
    this.indicator.dataset.quality = q;
    this.text.textContent = this.msg(`quality${q[0].toUpperCase()}${q.slice(1)}`);
  }
}
