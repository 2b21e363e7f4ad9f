// 测试设备 (`#devices`): camera preview, camera and microphone pickers, a live microphone level
// meter (AnalyserNode), and a speaker test tone (OscillatorNode, played through an <audio> element
// so that `setSinkId` can pick the output where the browser has it).
//
// A camera or microphone that is missing, refused or busy gets a message saying what to do,
// never a blank screen. The chosen devices are kept in localStorage ("fairhall.devices") for the
// call page.

import { loadDeviceChoice, saveDeviceChoice } from "./device-choice.js";

/**
 * @param {string} id
 * @returns {HTMLElement}
 */
function el(id) {
  const e = document.getElementById(id);
  if (!e) throw new Error(`devices: #${id} missing`);
  return e;
}

export class DeviceTest {
  /** @param {HTMLElement} root */
  constructor(root) {
    this.root = root;
    this.video = /** @type {HTMLVideoElement} */ (el("devices-video"));
    this.noVideo = el("devices-no-video");
    this.problem = el("devices-problem");
    this.status = el("devices-status");
    this.camera = /** @type {HTMLSelectElement} */ (el("devices-camera"));
    this.microphone = /** @type {HTMLSelectElement} */ (el("devices-microphone"));
    this.speaker = /** @type {HTMLSelectElement} */ (el("devices-speaker"));
    this.speakerLabel = el("devices-speaker-label");
    this.speakerHint = el("devices-speaker-hint");
    this.meter = /** @type {HTMLMeterElement} */ (el("devices-meter"));
    this.toneButton = /** @type {HTMLButtonElement} */ (el("devices-tone"));
    this.retry = /** @type {HTMLButtonElement} */ (el("devices-retry"));
    this.choice = loadDeviceChoice();
    /** @type {MediaStream | null} */
    this.stream = null;
    /** @type {AudioContext | null} */
    this.audio = null;
    /** @type {MediaStreamAudioSourceNode | null} */
    this.source = null;
    /** @type {number} */
    this.meterFrame = 0;
    /** @type {{osc: OscillatorNode, el: HTMLAudioElement} | null} */
    this.tone = null;
  }

  /** @param {string} key camelCase after "msg" */
  msg(key) {
    return this.root.dataset[`msg${key[0].toUpperCase()}${key.slice(1)}`] ?? "";
  }

  /**
   * @param {string} state "ok" | "partial" | "denied" | "missing" | "busy" | "insecure" | "unsupported" | "other"
   * @param {string} text
   */
  show(state, text) {
    this.root.dataset.status = state;
    const trouble = state !== "ok";
    this.problem.textContent = trouble ? text : "";
    this.problem.classList.toggle("hidden", !trouble);
    this.status.textContent = trouble ? "" : text;
  }

  init() {
    this.camera.addEventListener("change", () => {
      this.choice.camera = this.camera.value;
      saveDeviceChoice(this.choice);
      this.open();
    });
    this.microphone.addEventListener("change", () => {
      this.choice.microphone = this.microphone.value;
      saveDeviceChoice(this.choice);
      this.open();
    });
    this.speaker.addEventListener("change", () => {
      this.choice.speaker = this.speaker.value;
      saveDeviceChoice(this.choice);
      if (this.tone) this.sink(this.tone.el);
    });
    this.toneButton.addEventListener("click", () => (this.tone ? this.stopTone() : this.playTone()));
    this.retry.addEventListener("click", () => this.open());
    navigator.mediaDevices?.addEventListener?.("devicechange", () => this.listDevices());
    window.addEventListener("pagehide", () => this.stopAll());
    this.open();
  }

  /** Open the chosen camera and microphone, falling back to whichever works. */
  async open() {
    this.stopStream();
    if (!window.isSecureContext) {
      this.show("insecure", this.msg("insecure"));
      this.noPreview();
      return;
    }
    if (!navigator.mediaDevices?.getUserMedia) {
      this.show("unsupported", this.msg("unsupported"));
      this.noPreview();
      return;
    }
    /** @type {MediaTrackConstraints} */
    const video = { width: { ideal: 640 }, height: { ideal: 480 } };
    if (this.choice.camera) video.deviceId = { exact: this.choice.camera };
    /** @type {MediaTrackConstraints | boolean} */
    const audio = this.choice.microphone ? { deviceId: { exact: this.choice.microphone } } : true;
    /** @type {unknown} */
    let firstError = null;
    /** @type {MediaStream | null} */
    let stream = null;
    for (const c of [{ video, audio }, { video: true, audio: true }, { audio: true }, { video: true }]) {
      try {
        stream = await navigator.mediaDevices.getUserMedia(c);
        break;
      } catch (err) {
        firstError ??= err;
        // A refusal is the same for every combination: stop asking.
        if (err instanceof DOMException && (err.name === "NotAllowedError" || err.name === "SecurityError")) break;
      }
    }
    this.stream = stream;
    await this.listDevices();
    if (!stream) {
      this.noPreview();
      this.explain(firstError);
      return;
    }
    const hasVideo = stream.getVideoTracks().length > 0;
    const hasAudio = stream.getAudioTracks().length > 0;
    if (hasVideo) {
      this.video.srcObject = stream;
      this.video.classList.remove("hidden");
      this.noVideo.classList.add("hidden");
      this.video.play().catch(() => {});
    } else {
      this.noPreview();
    }
    if (hasAudio) this.startMeter(stream);
    else this.meter.value = 0;
    if (hasVideo && hasAudio) this.show("ok", this.msg("ok"));
    else if (!hasVideo) this.show("partial", this.msg("noCamera"));
    else this.show("partial", this.msg("noMicrophone"));
  }

  /** @param {unknown} err */
  explain(err) {
    const name = err instanceof DOMException || err instanceof Error ? err.name : "";
    switch (name) {
      case "NotAllowedError":
      case "PermissionDeniedError":
      case "SecurityError":
        this.show("denied", this.msg("denied"));
        break;
      case "NotFoundError":
      case "DevicesNotFoundError":
      case "OverconstrainedError":
        this.show("missing", this.msg("missing"));
        break;
      case "NotReadableError":
      case "TrackStartError":
      case "AbortError":
        this.show("busy", this.msg("busy"));
        break;
      default:
        this.show("other", this.msg("other"));
    }
  }

  noPreview() {
    this.video.srcObject = null;
    this.video.classList.add("hidden");
    this.noVideo.classList.remove("hidden");
  }

  /** Fill the three pickers; labels are known only once the user allowed a device. */
  async listDevices() {
    /** @type {MediaDeviceInfo[]} */
    let all = [];
    try {
      all = (await navigator.mediaDevices?.enumerateDevices?.()) ?? [];
    } catch {
      all = [];
    }
    const current = {
      camera: this.stream?.getVideoTracks()[0]?.getSettings().deviceId ?? this.choice.camera,
      microphone: this.stream?.getAudioTracks()[0]?.getSettings().deviceId ?? this.choice.microphone,
      speaker: this.choice.speaker,
    };
    this.fill(this.camera, all.filter((d) => d.kind === "videoinput"), current.camera, false);
    this.fill(this.microphone, all.filter((d) => d.kind === "audioinput"), current.microphone, false);
    const canPick = "setSinkId" in HTMLMediaElement.prototype;
    const outputs = all.filter((d) => d.kind === "audiooutput");
    this.fill(this.speaker, canPick ? outputs : [], current.speaker, true);
    this.speaker.disabled = !canPick;
    this.speakerHint.classList.toggle("hidden", canPick);
  }

  /**
   * @param {HTMLSelectElement} select
   * @param {MediaDeviceInfo[]} devices
   * @param {string} selected
   * @param {boolean} withDefault
   */
  fill(select, devices, selected, withDefault) {
    select.replaceChildren();
    if (withDefault || devices.length === 0) {
      select.append(new Option(this.msg("default"), ""));
    }
    devices.forEach((d, i) => {
      if (!d.deviceId) return;
      const label = d.label || `${this.msg("unnamed")} ${i + 1}`;
      select.append(new Option(label, d.deviceId, false, d.deviceId === selected));
    });
    select.disabled = devices.length === 0;
  }

  /** @param {MediaStream} stream */
  startMeter(stream) {
    const ctx = this.context();
    if (!ctx) return;
    this.source = ctx.createMediaStreamSource(stream);
    const analyser = ctx.createAnalyser();
    analyser.fftSize = 512;
    this.source.connect(analyser);
    const data = new Uint8Array(analyser.fftSize);
    const tick = () => {
      analyser.getByteTimeDomainData(data);
      let sum = 0;
      for (const v of data) {
        const x = (v - 128) / 128;
        sum += x * x;
      }
      const rms = Math.sqrt(sum / data.length);
      // Speech sits around 0.05–0.3 RMS; show it on a 0–100 scale with some headroom.
      this.meter.value = Math.min(100, Math.round(rms * 300));
      this.meterFrame = requestAnimationFrame(tick);
    };
    cancelAnimationFrame(this.meterFrame);
    tick();
  }

  /** @returns {AudioContext | null} */
  context() {
    if (!this.audio) {
      try {
        this.audio = new AudioContext();
      } catch {
        return null;
      }
    }
    if (this.audio.state === "suspended") this.audio.resume().catch(() => {});
    return this.audio;
  }

  /** @param {HTMLAudioElement} audio */
  sink(audio) {
    const id = this.choice.speaker;
    const withSink = /** @type {HTMLAudioElement & {setSinkId?: (id: string) => Promise<void>}} */ (audio);
    if (typeof withSink.setSinkId === "function") withSink.setSinkId(id).catch(() => {});
  }

  /** A 440 Hz tone, beeping, until stopped. */
  playTone() {
    const ctx = this.context();
    if (!ctx) return;
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.frequency.value = 440;
    gain.gain.value = 0;
    const now = ctx.currentTime;
    for (let i = 0; i < 30; i += 1) {
      gain.gain.setValueAtTime(0.2, now + i);
      gain.gain.setValueAtTime(0, now + i + 0.5);
    }
    const dest = ctx.createMediaStreamDestination();
    osc.connect(gain).connect(dest);
    const audioEl = new Audio();
    audioEl.srcObject = dest.stream;
    this.sink(audioEl);
    audioEl.play().catch(() => {});
    osc.start();
    osc.stop(now + 30);
    osc.onended = () => {
      if (this.tone?.osc === osc) this.stopTone();
    };
    this.tone = { osc, el: audioEl };
    this.toneButton.textContent = this.msg("toneStop");
  }

  stopTone() {
    const t = this.tone;
    this.tone = null;
    if (t) {
      try {
        t.osc.stop();
      } catch {
        // Already stopped.
      }
      t.el.pause();
      t.el.srcObject = null;
    }
    this.toneButton.textContent = this.msg("tonePlay");
  }

  stopStream() {
    cancelAnimationFrame(this.meterFrame);
    this.source?.disconnect();
    this.source = null;
    for (const t of this.stream?.getTracks() ?? []) t.stop();
    this.stream = null;
  }

  stopAll() {
    this.stopStream();
    this.stopTone();
  }
}
