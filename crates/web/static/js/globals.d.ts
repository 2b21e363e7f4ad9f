// Types for the type checker only (`npm run check-js`); browsers never load this file.
import type { LiveConnection } from "./live.js";

declare global {
  interface Window {
    /** The page's realtime connection, set by `connectPage()` on pages for signed-in users. */
    fairhallLive?: LiveConnection;
  }
}

export {};
