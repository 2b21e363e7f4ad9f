// Types for the type checker only (`npm run check-js`); browsers never load this file.
import type { LiveConnection } from "./lib/live.js";

declare global {
  interface Window {
    /** The page's realtime connection, set by `connectPage()` on pages for signed-in users. */
    fairhallLive?: LiveConnection;
    /** The call page's hooks for tests (`static/js/lib/call/controller.js`). */
    fairhallCall?: {
      /** Video frames decoded and sent over all peers, and the selected pair's candidate types. */
      stats: () => Promise<{
        framesDecoded: number;
        framesSent: number;
        /** The local candidate of the selected pair: "relay" | "host" | "srflx" | "prflx", or "". */
        candidateType: string;
        remoteCandidateType: string;
        peers: number;
      }>;
      /** The page's call status, as in `data-call-status`. */
      state: () => string;
      /** When the first remote video frame of this page's call was shown (Unix ms), or 0. */
      firstFrameAt: () => number;
    };
  }
}

export {};
