// Page entry of the sign-in page (login.html).

import { enhanceCodeRequest, enhanceTabs } from "./lib/login.js";

const form = document.getElementById("phone-form");
const button = document.getElementById("send-code");
const status = document.getElementById("code-status");
if (form instanceof HTMLFormElement && button instanceof HTMLButtonElement && status) {
  enhanceCodeRequest(form, button, status);
}
enhanceTabs();
