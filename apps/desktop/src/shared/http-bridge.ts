/**
 * The browser face's transport (`dirconn ui`): `POST /api/<method>` with a JSON body, the session
 * cookie sent by the browser (same origin). Network failures and non-JSON answers become an
 * {@link ApiError} like any other, so the screens handle one shape.
 */
import { buildBridge, type DirconnApi } from './bridge.js';
import type { ApiResponse } from './api-types.js';

/** The part of `fetch` the bridge uses (injectable for tests). */
export type FetchLike = (url: string, init: { method: 'POST'; headers: Record<string, string>; body: string; credentials: 'same-origin' }) => Promise<{
  status: number;
  json(): Promise<unknown>;
}>;

/** The HTTP transport's base path. */
export const API_BASE_PATH = '/api';

/** Builds the API object over `fetch` against the page's own origin. */
export function createHttpBridge(fetchImpl: FetchLike, basePath: string = API_BASE_PATH): DirconnApi {
  return buildBridge(async (method, input) => {
    let status = 0;
    try {
      const response = await fetchImpl(`${basePath}/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(input),
        credentials: 'same-origin',
      });
      status = response.status;
      const body = (await response.json()) as ApiResponse<unknown>;
      if (typeof body === 'object' && body !== null && typeof body.ok === 'boolean') return body;
    } catch {
      // Falls through to the error below: the body was not the API's JSON.
    }
    if (status === 0) {
      return { ok: false, error: { code: 'ui.unreachable', message: 'The dirconn ui server cannot be reached.', hint: 'Check that "dirconn ui" is still running, then reload the page.' } };
    }
    return { ok: false, error: { code: 'ui.bad-response', message: `The dirconn ui server answered with HTTP ${status}.`, hint: 'Reload the page; if it persists, restart "dirconn ui".' } };
  });
}
