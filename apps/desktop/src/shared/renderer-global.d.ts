/**
 * The renderer's global type: `window.dirconn` is the preload's bridge (the type of `buildBridge`'s
 * result). In the browser (`dirconn ui`) it is absent and the renderer builds the same object with
 * `createHttpBridge(fetch)`.
 */
import type { DirconnApi } from './bridge.js';

declare global {
  interface Window {
    /** Present in the desktop app (set by the preload); absent in the browser. */
    readonly dirconn?: DirconnApi;
  }
}

export {};
