// The camera, microphone and speaker chosen on 测试设备 (devices.js), kept in localStorage
// ("fairhall.devices") for the call page. "" means the browser's default.

/** @typedef {{camera: string, microphone: string, speaker: string}} DeviceChoice */

const STORE_KEY = "fairhall.devices";

/** @returns {DeviceChoice} */
export function loadDeviceChoice() {
  try {
    const raw = localStorage.getItem(STORE_KEY);
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

/** @param {DeviceChoice} choice */
export function saveDeviceChoice(choice) {
  try {
    localStorage.setItem(STORE_KEY, JSON.stringify(choice));
  } catch {
    // Private mode: the choice lasts for this page only.
  }
}
