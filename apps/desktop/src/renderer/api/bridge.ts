/**
 * The one way the renderer reaches the Node side: the preload's `window.dirconn` in the desktop app,
 * or the same interface over `POST /api/<method>` when `dirconn ui` serves the page to a browser.
 * Both are built from the contract in src/shared/, so the screens cannot tell them apart. The type
 * of `window.dirconn` comes from src/shared/renderer-global.d.ts (in this tsconfig).
 */
import type { DirconnApi } from '../../shared/bridge.js';
import { createHttpBridge } from '../../shared/http-bridge.js';

/** The bridge for this page. */
export function connectBridge(): DirconnApi {
  return window.dirconn ?? createHttpBridge((url, init) => window.fetch(url, init));
}
