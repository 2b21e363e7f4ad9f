// Page entry of 现场公告: the banner on a fair's venue and hall pages (`#fair-announcement`,
// venue/employers.html, hall/room.html) and the publishing form on the staff fair page
// (`#announce`, organizers/fair_detail.html).

import { startBanner, startPublisher } from "./lib/announcements.js";
import { connectPage } from "./lib/live.js";

const banner = document.getElementById("fair-announcement");
if (banner) startBanner(banner, connectPage());
const card = document.getElementById("announce");
if (card) startPublisher(card);
