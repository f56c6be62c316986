/**
 * The sandboxed renderer's only bridge (STYLE.md §8): `window.dirconn`, one function per method of
 * the contract, each invoking that method's own IPC channel. No generic send, no ipcRenderer, no
 * Node object reaches the page. Bundled into one CommonJS file (a sandboxed preload cannot load
 * other modules): see scripts/bundle-preload.mjs.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { ipcChannel } from '../shared/api-methods.js';
import { buildBridge } from '../shared/bridge.js';
import type { ApiResponse } from '../shared/api-types.js';

/** The object exposed as `window.dirconn`. */
export const api = buildBridge((method, input) => ipcRenderer.invoke(ipcChannel(method), input) as Promise<ApiResponse<unknown>>);

contextBridge.exposeInMainWorld('dirconn', api);
