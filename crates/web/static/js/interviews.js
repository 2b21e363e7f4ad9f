// Page entry of the student's 面试 page (`[data-interviews]`, interviews/student.html) and of
// the venue pages with 申请面试 buttons (venue/employers.html, employer.html, position.html).

import { startApplyButtons, startInterviews } from "./lib/interviews.js";
import { connectPage } from "./lib/live.js";

const page = document.querySelector("[data-interviews]");
if (page instanceof HTMLElement) startInterviews(page, connectPage());
if (document.querySelector("button[data-video-button]")) startApplyButtons(document, connectPage());
