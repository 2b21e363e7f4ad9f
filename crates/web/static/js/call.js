// Page entry of the call page (`#call`, calls/call.html): the controller is lib/call/controller.js.

import { CallPage } from "./lib/call/controller.js";
import { connectPage } from "./lib/live.js";

const root = document.getElementById("call");
if (root) {
  const page = new CallPage(root, window.fairhallLive ?? connectPage());
  page.init().catch((err) => {
    console.error("call: init", err);
    page.setStatus("error");
  });
}
