/**
 * `dirconn ui`'s HTTP server: the built renderer and the desktop API (`POST /api/<method>`, JSON in,
 * the `{ok, value}` / `{ok, error}` envelope out) for a browser on a machine without a desktop. Every
 * request passes the `Host` check, then the `Origin` check, then (except the token exchange) the
 * session check; see ui-security.ts. Neither the token nor the session cookie is ever logged.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Logger } from '@dirconn/core';
import { CONTENT_SECURITY_POLICY } from '../shared/content-security-policy.js';
import type { ApiResponse } from '../shared/api-types.js';
import { readStaticFile } from './static-files.js';
import { allowedHostNames, allowedOrigins, assertListenAllowed, hostAllowed, readCookie, UiSessions } from './ui-security.js';

/** Options of {@link startUiServer}. */
export interface UiServerOptions {
  /** Runs one API call (the dispatcher over the handler table, face `browser`). */
  call: (method: string, payload: unknown) => Promise<ApiResponse<unknown>>;
  /** The built renderer; null or a folder without index.html serves the placeholder page. */
  rendererDir: string | null;
  /** Address to listen on (default 127.0.0.1). Non-loopback only with `tls`. */
  listen?: string;
  /** Port (default 0: a free port). */
  port?: number;
  /** PEM certificate chain and key: serve HTTPS. */
  tls?: { cert: string; key: string };
  /** More host names the browser may use to reach a non-loopback listener (e.g. the server's DNS name). */
  hostNames?: readonly string[];
  logger: Logger;
  /** Random bytes for the token and sessions (tests). */
  random?: (bytes: number) => Buffer;
}

/** A running server. */
export interface RunningUiServer {
  /** `http://127.0.0.1:<port>` (the origin). */
  readonly origin: string;
  /** The URL to open once: trades its one-time token for a session. Print it; never log it. */
  readonly loginUrl: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Largest accepted API request body. */
export const MAX_BODY_BYTES = 1024 * 1024;

const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'cache-control': 'no-store',
};

/** Starts the server; refuses a non-loopback address without TLS before opening anything. */
export async function startUiServer(options: UiServerOptions): Promise<RunningUiServer> {
  const listen = options.listen ?? '127.0.0.1';
  const tls = options.tls !== undefined;
  assertListenAllowed(listen, tls);
  const sessions = new UiSessions(options.random);
  const state = { port: 0, names: allowedHostNames(listen, options.hostNames ?? []), origins: new Set<string>() };
  const cookieName = (): string => `dirconn_session_${state.port}`;

  const handler = (request: IncomingMessage, response: ServerResponse): void => {
    handle(request, response).catch((error: unknown) => {
      options.logger.error('dirconn ui: request failed', { error: error instanceof Error ? error.message : String(error) });
      if (!response.headersSent) send(response, 500, 'text/plain; charset=utf-8', 'Internal error.');
      else response.destroy();
    });
  };

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (!hostAllowed(request.headers.host, state.names, state.port, tls)) {
      send(response, 403, 'text/plain; charset=utf-8', 'Forbidden: this server answers only to its own address.');
      return;
    }
    const origin = request.headers.origin;
    const method = request.method ?? 'GET';
    if ((origin !== undefined && !state.origins.has(origin)) || (method === 'POST' && origin === undefined)) {
      send(response, 403, 'text/plain; charset=utf-8', 'Forbidden: cross-origin request.');
      return;
    }
    const url = new URL(request.url ?? '/', 'http://placeholder');
    if (url.pathname === '/auth' && method === 'GET') {
      const session = sessions.exchange(url.searchParams.get('token'));
      if (session === null) {
        send(response, 401, 'text/plain; charset=utf-8', 'This sign-in link is not valid or was already used. Restart "dirconn ui" for a new one.');
        return;
      }
      const secure = tls ? '; Secure' : '';
      response.writeHead(303, { ...SECURITY_HEADERS, location: '/', 'set-cookie': `${cookieName()}=${session}; HttpOnly; SameSite=Strict; Path=/${secure}` });
      response.end();
      return;
    }
    if (!sessions.valid(readCookie(request.headers.cookie, cookieName()))) {
      if (url.pathname.startsWith('/api/')) sendJson(response, 401, { ok: false, error: { code: 'ui.unauthorized', message: 'No valid session.', hint: 'Open the link printed by "dirconn ui".' } });
      else send(response, 401, 'text/plain; charset=utf-8', 'Not signed in: open the link printed by "dirconn ui".');
      return;
    }
    if (url.pathname.startsWith('/api/')) {
      await handleApi(request, response, url.pathname.slice('/api/'.length));
      return;
    }
    if (method !== 'GET' && method !== 'HEAD') {
      send(response, 405, 'text/plain; charset=utf-8', 'Method not allowed.');
      return;
    }
    const file = await readStaticFile(options.rendererDir, url.pathname);
    if (file === null) send(response, 404, 'text/plain; charset=utf-8', 'Not found.');
    else send(response, 200, file.contentType, method === 'HEAD' ? '' : file.body);
  }

  async function handleApi(request: IncomingMessage, response: ServerResponse, method: string): Promise<void> {
    if (request.method !== 'POST') {
      sendJson(response, 405, { ok: false, error: { code: 'usage', message: 'Use POST.' } });
      return;
    }
    const contentType = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    if (contentType !== 'application/json') {
      sendJson(response, 415, { ok: false, error: { code: 'usage', message: 'Send the input as application/json.' } });
      return;
    }
    const body = await readBody(request);
    if (body === null) {
      sendJson(response, 413, { ok: false, error: { code: 'usage', message: `The request is larger than ${MAX_BODY_BYTES} bytes.` } });
      return;
    }
    let payload: unknown;
    try {
      payload = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
    } catch {
      sendJson(response, 400, { ok: false, error: { code: 'usage', message: 'The request body is not valid JSON.' } });
      return;
    }
    sendJson(response, 200, await options.call(method, payload));
  }

  const server: Server = tls ? createHttpsServer({ cert: options.tls?.cert, key: options.tls?.key }, handler) : createHttpServer(handler);
  server.headersTimeout = 30_000;
  // Time to receive a whole request (not to answer it: a sync may take long).
  server.requestTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, listen, () => {
      server.off('error', reject);
      resolve();
    });
  });
  state.port = (server.address() as AddressInfo).port;
  state.origins = allowedOrigins(state.names, state.port, tls);
  const hostInUrl = listen.includes(':') ? `[${listen}]` : listen;
  const origin = `${tls ? 'https' : 'http'}://${hostInUrl}:${state.port}`;
  const token = sessions.oneTimeToken ?? '';
  return {
    origin,
    loginUrl: `${origin}/auth?token=${token}`,
    port: state.port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function send(response: ServerResponse, status: number, contentType: string, body: string | Buffer): void {
  response.writeHead(status, { ...SECURITY_HEADERS, 'content-type': contentType });
  response.end(body);
}

function sendJson(response: ServerResponse, status: number, value: unknown): void {
  send(response, status, 'application/json; charset=utf-8', JSON.stringify(value));
}

/** The request body, or null when it exceeds {@link MAX_BODY_BYTES}. */
async function readBody(request: IncomingMessage): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}
