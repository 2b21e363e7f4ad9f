// The base layout's page entry, on every page: opens the realtime connection on pages for
// signed-in users and keeps the top bar's badges and the incoming-call ring going over it.

import { chatBadges, notificationBadge } from "./lib/badges.js";
import { connectPage } from "./lib/live.js";
import { startRing } from "./lib/ring.js";

const live = connectPage();
notificationBadge(live);
chatBadges(live);
startRing(live);
