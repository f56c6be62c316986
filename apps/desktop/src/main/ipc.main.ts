/**
 * IPC registration (STYLE.md §8): one `ipcMain.handle` channel per contract method, registered from
 * the method list on an injectable ipcMain-like object. Each call is checked to come from the app's
 * own main frame (sender check), then validated and run by the dispatcher; anything else is refused.
 */
import { API_METHOD_NAMES, ipcChannel, type ApiMethod } from '../shared/api-methods.js';
import type { ApiResponse } from '../shared/api-types.js';
import { isAppUrl } from './window.main.js';

/** The event fields the sender check reads (a slice of Electron's IpcMainInvokeEvent). */
export interface InvokeEventLike {
  sender: { id: number };
  senderFrame: { url: string; parent: unknown } | null;
}

/** The `ipcMain` slice used here. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

/** Options of {@link registerIpcHandlers}. */
export interface IpcRegistration {
  /** Runs one call (the dispatcher with face `desktop`). */
  call: (method: ApiMethod, payload: unknown) => Promise<ApiResponse<unknown>>;
  /** The WebContents ids allowed to call (the main window's). */
  trustedSenderIds: () => readonly number[];
}

/** True when the call comes from a trusted window's top frame showing the app. */
export function isTrustedSender(event: InvokeEventLike, trustedIds: readonly number[]): boolean {
  const frame = event.senderFrame;
  return trustedIds.includes(event.sender.id) && frame !== null && frame.parent === null && isAppUrl(frame.url);
}

/** Registers every method's channel; returns a function that removes them. */
export function registerIpcHandlers(ipcMain: IpcMainLike, registration: IpcRegistration): () => void {
  for (const method of API_METHOD_NAMES) {
    ipcMain.handle(ipcChannel(method), async (event, ...args) => {
      if (!isTrustedSender(event, registration.trustedSenderIds())) {
        return { ok: false, error: { code: 'desktop.forbidden', message: 'This call did not come from the dirconn window.' } } satisfies ApiResponse<never>;
      }
      if (args.length > 1) return { ok: false, error: { code: 'usage', message: `${method} takes one argument.` } } satisfies ApiResponse<never>;
      return registration.call(method, args[0]);
    });
  }
  return () => {
    for (const method of API_METHOD_NAMES) ipcMain.removeHandler(ipcChannel(method));
  };
}
