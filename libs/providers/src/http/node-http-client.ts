/**
 * The Node implementation of core's `HttpClient` port, on `node:http`/`node:https` directly (Node's
 * global fetch cannot take a custom CA or proxy without the undici package).
 *
 * - keep-alive agents; total per-request timeout; AbortSignal;
 * - extra CA certificates added to Node's bundled roots; certificate checks off only when asked;
 * - `HTTPS_PROXY`/`HTTP_PROXY`/`NO_PROXY`: https targets through a CONNECT tunnel, http targets
 *   through an absolute-URI request (http:// proxies only);
 * - network failures reject with a DirconnError carrying the host and the system error code, never
 *   a URL path, query or credential.
 */
import http from 'node:http';
import https from 'node:https';
import tls from 'node:tls';
import { DirconnError } from '@dirconn/core';
import type { ErrorCode, HttpClient, HttpRequest, HttpResponse } from '@dirconn/core';
import { HttpExchange } from './http-exchange.js';
import type { ExchangeContext } from './http-exchange.js';
import { NetworkErrorFactory } from './network-errors.js';
import { bypassesProxy, parseProxy, proxySettingsFromEnv } from './proxy-settings.js';
import type { ProxySettings, ProxyTarget } from './proxy-settings.js';

export { bypassesProxy, proxySettingsFromEnv } from './proxy-settings.js';
export type { ProxySettings } from './proxy-settings.js';

/** Constructor options of {@link NodeHttpClient}. */
export interface NodeHttpClientOptions {
  /** Code of network failures. Default `bitwarden.unreachable`. */
  errorCode?: Extract<ErrorCode, 'bitwarden.unreachable' | 'provider.unreachable'>;
  /** Code of TLS failures. Default `provider.tls` for providers, else `bitwarden.unreachable`. */
  tlsErrorCode?: ErrorCode;
  /** Hint attached to TLS failures. Default: a pointer to `server.caFile`. */
  tlsHint?: string;
  /** What is being reached, for messages. Default `the Bitwarden server` / `the directory`. */
  serviceName?: string;
  /** Default per-request timeout in ms (a request's own `timeoutMs` wins). Default 60000. */
  timeoutMs?: number;
  /** Extra trusted CA certificates (PEM text), added to Node's bundled root certificates. */
  ca?: string | readonly string[] | null;
  /** Verify server certificates. Default true; false only when the admin asked for it. */
  rejectUnauthorized?: boolean;
  /** Proxy settings; null = no proxy. Default: read from `env` ({@link proxySettingsFromEnv}). */
  proxy?: ProxySettings | null;
  /** Environment holding HTTPS_PROXY/HTTP_PROXY/NO_PROXY, used when `proxy` is not given. Default `process.env`. */
  env?: Record<string, string | undefined>;
  /** Reuse connections. Default true. */
  keepAlive?: boolean;
  /** Connections per host. Default 16. */
  maxSockets?: number;
  /** Largest response body in bytes before the request fails. Default 512 MiB. */
  maxResponseBytes?: number;
}

/** Node's HttpClient; see the module comment. Call `close()` when done to free idle sockets. */
export class NodeHttpClient implements HttpClient {
  readonly #proxy: ProxySettings | null;
  readonly #context: ExchangeContext;

  constructor(options: NodeHttpClientOptions = {}) {
    const errorCode = options.errorCode ?? 'bitwarden.unreachable';
    const forProvider = errorCode === 'provider.unreachable';
    const tlsHint =
      options.tlsHint ??
      (forProvider
        ? "If the server uses a private CA, configure the directory's CA certificate file."
        : 'If the server uses a private CA, set server.caFile to its PEM bundle (or fix the server certificate).');
    const errors = new NetworkErrorFactory(
      errorCode,
      options.tlsErrorCode ?? (forProvider ? 'provider.tls' : 'bitwarden.unreachable'),
      forProvider ? 'provider.error' : 'bitwarden.server-error',
      tlsHint,
      options.serviceName ?? (forProvider ? 'the directory' : 'the Bitwarden server'),
    );
    this.#proxy = options.proxy === undefined ? proxySettingsFromEnv(options.env ?? process.env) : options.proxy;
    const extraCa = options.ca === undefined || options.ca === null ? [] : typeof options.ca === 'string' ? [options.ca] : [...options.ca];
    const tlsOptions: tls.ConnectionOptions = { rejectUnauthorized: options.rejectUnauthorized ?? true };
    // Setting `ca` replaces Node's default roots, so the bundled roots are passed along.
    if (extraCa.length > 0) tlsOptions.ca = [...tls.rootCertificates, ...extraCa];
    const keepAlive = options.keepAlive ?? true;
    const maxSockets = options.maxSockets ?? 16;
    this.#context = {
      tlsOptions,
      httpAgent: new http.Agent({ keepAlive, maxSockets }),
      httpsAgent: new https.Agent({ keepAlive, maxSockets, ...tlsOptions }),
      timeoutMs: options.timeoutMs ?? 60_000,
      maxResponseBytes: options.maxResponseBytes ?? 512 * 1024 * 1024,
      errors,
    };
  }

  /** Closes idle keep-alive connections. The client stays usable. */
  close(): void {
    this.#context.httpAgent.destroy();
    this.#context.httpsAgent.destroy();
  }

  /** Sends one request; resolves for every HTTP status, rejects with a DirconnError on network/TLS failure, timeout or abort. */
  async send(request: HttpRequest): Promise<HttpResponse> {
    if (request.signal?.aborted) throw new DirconnError('cancelled', 'Cancelled.');
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      throw new DirconnError('config.invalid', 'Invalid request URL.');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new DirconnError('config.invalid', `Unsupported URL scheme ${url.protocol}.`);
    }
    const secure = url.protocol === 'https:';
    const port = url.port === '' ? (secure ? 443 : 80) : Number(url.port);
    const proxyUrl = this.#proxy === null ? null : secure ? this.#proxy.httpsProxy : this.#proxy.httpProxy;
    let proxy: ProxyTarget | null = null;
    if (proxyUrl !== null && !bypassesProxy(url.hostname, port, this.#proxy?.noProxy ?? null)) {
      proxy = parseProxy(proxyUrl);
    }
    return await new HttpExchange(this.#context, request, url, port, proxy).run();
  }
}
