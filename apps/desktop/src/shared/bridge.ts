/**
 * The renderer's API object, built from the method list over one transport: Electron's
 * `ipcRenderer.invoke` in the preload, `fetch('/api/<method>')` in the browser (`dirconn ui`). The
 * renderer's global type is {@link DirconnApi}, the return type of {@link buildBridge}. No zod here:
 * the sandboxed preload cannot load it, and validation happens on the Node side anyway.
 */
import { API_METHOD_NAMES, type ApiMethod } from './api-methods.js';
import type { ApiInput, ApiResult } from './api-contract.js';
import type { ApiResponse } from './api-types.js';

/** Sends one call and resolves to the handler's response envelope. */
export type ApiTransport = (method: ApiMethod, input: unknown) => Promise<ApiResponse<unknown>>;

/** One function per method: `await api.status({})` → `{ok: true, value}` or `{ok: false, error}`. */
export type DirconnApi = { readonly [M in ApiMethod]: (input: ApiInput<M>) => Promise<ApiResponse<ApiResult<M>>> };

/** Builds the API object from the method list; each function forwards to `transport` and nothing else. */
export function buildBridge(transport: ApiTransport): DirconnApi {
  const api: Record<string, (input: unknown) => Promise<ApiResponse<unknown>>> = {};
  for (const method of API_METHOD_NAMES) {
    api[method] = (input: unknown) => transport(method, input ?? {});
  }
  return Object.freeze(api) as unknown as DirconnApi;
}
