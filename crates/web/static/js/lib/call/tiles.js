// The call page's remote video tiles in `#call-videos`: one `<figure data-peer="{user id}">` per
// other participant, made from `#call-remote-tpl`, captioned with their name, playing through
// the speaker chosen on 测试设备. Knows nothing of the connections: the page tells it which peer
// got a track and what state each peer's connection is in.

import { loadDeviceChoice } from "../device-choice.js";

export class Tiles {
  /** When the first remote video frame was shown (Unix ms), 0 before; for the setup figure. */
  firstFrameAt = 0;

  /**
   * @param {HTMLElement} videos `#call-videos`, which holds the local tile too.
   * @param {HTMLTemplateElement} template `#call-remote-tpl`.
   * @param {HTMLElement | null} soundButton `#call-sound`, offered when sound needs a click.
   * @param {string} waitingLabel What a tile says while its peer reconnects (`data-reconnecting`).
   */
  constructor(videos, template, soundButton, waitingLabel) {
    this.videos = videos;
    this.template = template;
    this.soundButton = soundButton;
    this.waitingLabel = waitingLabel;
  }

  /**
   * @param {number} id
   * @returns {HTMLElement | null}
   */
  find(id) {
    return /** @type {HTMLElement | null} */ (this.videos.querySelector(`[data-peer="${id}"]`));
  }

  /**
   * The tile of a participant, made from the template if there is none.
   * @param {number} id
   * @param {string | undefined} name Their name for the caption, when known.
   */
  ensure(id, name) {
    let tile = this.find(id);
    if (!tile) {
      const frag = /** @type {DocumentFragment} */ (this.template.content.cloneNode(true));
      tile = /** @type {HTMLElement} */ (frag.firstElementChild);
      tile.dataset.peer = String(id);
      tile.dataset.reconnecting = this.waitingLabel;
      this.videos.append(tile);
    }
    const video = /** @type {HTMLVideoElement} */ (tile.querySelector("video"));
    const speaker = loadDeviceChoice().speaker;
    if (speaker && "setSinkId" in video) {
      /** @type {HTMLVideoElement & {setSinkId: (id: string) => Promise<void>}} */ (video)
        .setSinkId(speaker)
        .catch(() => {});
    }
    this.label(id, name);
    return { tile, video };
  }

  /**
   * @param {number} id
   * @param {string | undefined} name
   */
  label(id, name) {
    const caption = this.find(id)?.querySelector("figcaption");
    if (caption && name !== undefined) caption.textContent = name;
  }

  /** @param {number} id */
  remove(id) {
    this.find(id)?.remove();
  }

  /**
   * A remote track arrived on this participant's connection: show it on their tile.
   * @param {number} id
   * @param {MediaStreamTrack} track
   * @param {readonly MediaStream[]} streams
   */
  addTrack(id, track, streams) {
    const video = this.find(id)?.querySelector("video");
    if (!(video instanceof HTMLVideoElement)) return;
    const stream = streams[0] ?? (video.srcObject instanceof MediaStream ? video.srcObject : new MediaStream());
    if (!streams[0] && !stream.getTracks().includes(track)) stream.addTrack(track);
    if (video.srcObject !== stream) video.srcObject = stream;
    this.play(video);
    if (track.kind === "video" && !this.firstFrameAt && "requestVideoFrameCallback" in video) {
      video.requestVideoFrameCallback(() => {
        if (!this.firstFrameAt) this.firstFrameAt = Date.now();
      });
    }
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
      const button = this.soundButton;
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

  /**
   * Show each peer's connection state on its tile (`data-peer-state`: the state, or
   * "reconnecting" while disconnected or failed) and the number of tiles (`data-count`, mine
   * included) on `#call-videos`.
   * @param {Map<number, RTCPeerConnectionState>} states
   */
  showStates(states) {
    for (const [id, st] of states) {
      const tile = this.find(id);
      if (!tile) continue;
      const trouble = st === "disconnected" || st === "failed";
      tile.dataset.peerState = trouble ? "reconnecting" : st;
      tile.dataset.reconnecting = this.waitingLabel;
    }
    this.videos.dataset.count = String(1 + states.size);
  }
}
