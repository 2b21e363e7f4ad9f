// Page entry of the employer's 视频面试大厅 (`[data-hall]`, hall/room.html) and 求职者大厅
// (`[data-talents]`, hall/talents.html).

import { startHall, startTalents } from "./lib/hall.js";
import { connectPage } from "./lib/live.js";

const hall = document.querySelector("[data-hall]");
if (hall instanceof HTMLElement) startHall(hall, connectPage());
const talents = document.querySelector("[data-talents]");
if (talents instanceof HTMLElement) {
  connectPage();
  startTalents(talents);
}
