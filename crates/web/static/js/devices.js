// Page entry of 测试设备 (`#devices`, calls/devices.html).

import { DeviceTest } from "./lib/devices.js";

const root = document.getElementById("devices");
if (root) {
  try {
    new DeviceTest(root).init();
  } catch (err) {
    console.error("devices:", err);
  }
}
