/**
 * The renderer is loaded from `dirconn://app/`, a custom secure scheme served from the built renderer
 * folder (the same file rules as `dirconn ui`), not from `file://`: the page gets a real origin for
 * the Content-Security-Policy's `'self'`, and navigation checks compare one origin.
 */
import type { CustomScheme } from 'electron';
import { CONTENT_SECURITY_POLICY } from '../shared/content-security-policy.js';
import { readStaticFile } from '../node/static-files.js';

/** The app's scheme and origin. */
export const APP_SCHEME = 'dirconn';
export const APP_ORIGIN = `${APP_SCHEME}://app`;
/** The first page. */
export const APP_START_URL = `${APP_ORIGIN}/`;

/**
 * True for a URL inside the app (`dirconn://app/…`). Compares scheme and host: WHATWG URL gives a
 * non-special scheme an opaque origin outside Chromium, so `origin` cannot be used here.
 */
export function isAppUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === 'app' && parsed.username === '' && parsed.password === '';
  } catch {
    return false;
  }
}

/** Registered before `app.ready`: standard (real origin) and secure (like https). */
export const APP_SCHEME_PRIVILEGES: CustomScheme = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: false, corsEnabled: false, stream: false, bypassCSP: false },
};

/** The `protocol` slice used here. */
export interface ProtocolLike {
  handle(scheme: string, handler: (request: Request) => Response | Promise<Response>): void;
}

/** Serves `dirconn://app/<path>` from `rendererDir`, with the CSP on every response. */
export function registerAppProtocol(protocol: ProtocolLike, rendererDir: string | null): void {
  protocol.handle(APP_SCHEME, (request) => serveAppRequest(request, rendererDir));
}

/** One request to the app scheme (exported for the specs). */
export async function serveAppRequest(request: Request, rendererDir: string | null): Promise<Response> {
  const headers = { 'content-security-policy': CONTENT_SECURITY_POLICY, 'x-content-type-options': 'nosniff' };
  const url = new URL(request.url);
  if (!isAppUrl(request.url) || request.method !== 'GET') return new Response('Not found.', { status: 404, headers });
  const file = await readStaticFile(rendererDir, url.pathname);
  if (file === null) return new Response('Not found.', { status: 404, headers });
  return new Response(new Uint8Array(file.body), { status: 200, headers: { ...headers, 'content-type': file.contentType } });
}
