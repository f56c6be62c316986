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
import type { Duplex } from 'node:stream';
import { DirconnError } from '@dirconn/core';
import type { ErrorCode, HttpClient, HttpRequest, HttpResponse } from '@dirconn/core';

/** Proxy settings (URLs like `http://user:pass@proxy:3128`); null = none. */
export interface ProxySettings {
  /** Proxy for https:// targets (`HTTPS_PROXY`). */
  httpsProxy: string | null;
  /** Proxy for http:// targets (`HTTP_PROXY`). */
  httpProxy: string | null;
  /** Comma/space separated hosts, domains (`.example.com` or `example.com`), `host:port`, or `*` (`NO_PROXY`). */
  noProxy: string | null;
}

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

/** Reads `HTTPS_PROXY`/`HTTP_PROXY`/`NO_PROXY` (lower-case spellings win, as in curl). */
export function proxySettingsFromEnv(env: Record<string, string | undefined> = process.env): ProxySettings {
  const pick = (name: string): string | null => {
    const value = env[name.toLowerCase()] ?? env[name.toUpperCase()];
    return value !== undefined && value.trim() !== '' ? value.trim() : null;
  };
  return { httpsProxy: pick('https_proxy'), httpProxy: pick('http_proxy'), noProxy: pick('no_proxy') };
}

/** True when `NO_PROXY` says `hostname[:port]` is reached directly. */
export function bypassesProxy(hostname: string, port: number, noProxy: string | null): boolean {
  if (noProxy === null) return false;
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  for (const rawEntry of noProxy.split(/[\s,]+/)) {
    let entry = rawEntry.trim().toLowerCase();
    if (entry === '') continue;
    if (entry === '*') return true;
    let entryPort: number | null = null;
    const portMatch = /^(.*[^:]):(\d+)$/.exec(entry);
    if (portMatch !== null && !entry.startsWith('[')) {
      entry = portMatch[1] as string;
      entryPort = Number(portMatch[2]);
    }
    entry = entry.replace(/^\[|\]$/g, '').replace(/^\*?\./, '.');
    if (entryPort !== null && entryPort !== port) continue;
    if (entry.startsWith('.') ? host.endsWith(entry) || host === entry.slice(1) : host === entry || host.endsWith(`.${entry}`)) return true;
  }
  return false;
}

const SYSTEM_REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host name not found',
  EAI_AGAIN: 'DNS lookup failed',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EPIPE: 'connection closed',
  ECONNABORTED: 'connection aborted',
};

const TLS_REASONS: Record<string, string> = {
  SELF_SIGNED_CERT_IN_CHAIN: 'certificate chain ends in an untrusted CA',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed certificate',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'certificate issuer not trusted',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'certificate issuer not trusted',
  UNABLE_TO_GET_ISSUER_CERT: 'certificate issuer not trusted',
  CERT_HAS_EXPIRED: 'certificate expired',
  CERT_NOT_YET_VALID: 'certificate not yet valid',
  ERR_TLS_CERT_ALTNAME_INVALID: 'certificate does not match the host name',
  ERR_SSL_WRONG_VERSION_NUMBER: 'the server does not speak TLS on this port',
  EPROTO: 'TLS protocol error',
};

function isTlsCode(code: string): boolean {
  return code in TLS_REASONS || /^(ERR_TLS_|ERR_SSL_|ERR_OSSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|INVALID_CA|HOSTNAME_MISMATCH)/.test(code);
}

interface ProxyTarget {
  hostname: string;
  port: number;
  /** `Proxy-Authorization` value when the proxy URL carries credentials. */
  authorization: string | null;
  /** `host:port` of the proxy, for messages (never the credentials). */
  label: string;
}

function parseProxy(value: string): ProxyTarget {
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`);
  } catch {
    throw new DirconnError('config.invalid', 'The proxy setting (HTTPS_PROXY/HTTP_PROXY) is not a valid URL.');
  }
  if (url.protocol !== 'http:') {
    throw new DirconnError('config.invalid', `Only http:// proxies are supported (HTTPS_PROXY/HTTP_PROXY uses ${url.protocol}).`);
  }
  const port = url.port === '' ? 80 : Number(url.port);
  const authorization =
    url.username !== '' ? `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}` : null;
  return { hostname: url.hostname.replace(/^\[|\]$/g, ''), port, authorization, label: `${url.hostname}:${port}` };
}

/** What one exchange needs from its client. */
interface ExchangeContext {
  tlsOptions: tls.ConnectionOptions;
  httpAgent: http.Agent;
  httpsAgent: https.Agent;
  timeoutMs: number;
  maxResponseBytes: number;
  errors: ErrorFactory;
}

/** Builds the errors of one client (codes and hints are per client). */
class ErrorFactory {
  constructor(
    private readonly errorCode: ErrorCode,
    private readonly tlsErrorCode: ErrorCode,
    private readonly responseErrorCode: ErrorCode,
    private readonly tlsHint: string,
    private readonly serviceName: string,
  ) {}

  /** Maps a Node error to a DirconnError naming the host and the system code. */
  network(error: unknown, host: string): DirconnError {
    if (DirconnError.is(error)) return error;
    const code = typeof (error as { code?: unknown } | null)?.code === 'string' ? (error as { code: string }).code : 'ECONNRESET';
    if (isTlsCode(code)) {
      const reason = TLS_REASONS[code] ?? 'TLS handshake failed';
      return new DirconnError(this.tlsErrorCode, `TLS connection to ${this.serviceName} at ${host} failed: ${reason} (${code}).`, {
        hint: this.tlsHint,
        cause: error,
        details: { host, systemCode: code, kind: 'tls' },
      });
    }
    const reason = SYSTEM_REASONS[code] ?? 'network error';
    return new DirconnError(this.errorCode, `Cannot connect to ${this.serviceName} at ${host}: ${reason} (${code}).`, {
      hint: 'Check the URL, the network, firewalls and the proxy settings (HTTPS_PROXY, NO_PROXY).',
      cause: error,
      details: { host, systemCode: code, kind: 'network' },
    });
  }

  timeout(host: string, ms: number): DirconnError {
    return new DirconnError(this.errorCode, `No answer from ${this.serviceName} at ${host} within ${Math.round(ms / 100) / 10} s.`, {
      hint: 'The server or the network is slow or down; try again later.',
      details: { host, systemCode: 'ETIMEDOUT', kind: 'timeout' },
    });
  }

  proxy(proxy: ProxyTarget, host: string, detail: string, cause?: unknown): DirconnError {
    const systemCode = typeof (cause as { code?: unknown } | undefined)?.code === 'string' ? (cause as { code: string }).code : null;
    return new DirconnError(this.errorCode, `The proxy ${proxy.label} could not open a tunnel to ${host}: ${detail}.`, {
      hint: 'Check HTTPS_PROXY/HTTP_PROXY (and its credentials) or add the host to NO_PROXY.',
      cause,
      details: { host, proxy: proxy.label, kind: 'proxy', systemCode },
    });
  }

  tooLarge(host: string, limit: number): DirconnError {
    return new DirconnError(this.responseErrorCode, `The response from ${this.serviceName} at ${host} exceeds ${limit} bytes.`);
  }
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
    const errors = new ErrorFactory(
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
    return await new Exchange(this.#context, request, url, port, proxy).run();
  }
}

/** One request/response, with its timer, abort listener and cleanup. */
class Exchange {
  readonly #context: ExchangeContext;
  readonly #request: HttpRequest;
  readonly #url: URL;
  readonly #port: number;
  readonly #proxy: ProxyTarget | null;
  readonly #host: string;
  #settled = false;
  #current: { destroy(error?: Error): void } | null = null;
  #resolve!: (response: HttpResponse) => void;
  #reject!: (error: unknown) => void;
  #timer: NodeJS.Timeout | null = null;
  #onAbort: (() => void) | null = null;

  constructor(context: ExchangeContext, request: HttpRequest, url: URL, port: number, proxy: ProxyTarget | null) {
    this.#context = context;
    this.#request = request;
    this.#url = url;
    this.#port = port;
    this.#proxy = proxy;
    this.#host = url.host;
  }

  run(): Promise<HttpResponse> {
    return new Promise<HttpResponse>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
      const timeoutMs = this.#request.timeoutMs ?? this.#context.timeoutMs;
      this.#timer = setTimeout(() => this.#fail(this.#context.errors.timeout(this.#host, timeoutMs)), timeoutMs);
      const signal = this.#request.signal;
      if (signal !== undefined) {
        this.#onAbort = () => this.#fail(new DirconnError('cancelled', 'Cancelled.'));
        signal.addEventListener('abort', this.#onAbort, { once: true });
      }
      try {
        if (this.#proxy !== null && this.#url.protocol === 'https:') this.#tunnel(this.#proxy);
        else this.#direct();
      } catch (error) {
        this.#fail(this.#context.errors.network(error, this.#host));
      }
    });
  }

  #headers(extra: Record<string, string> = {}): http.OutgoingHttpHeaders {
    const headers: http.OutgoingHttpHeaders = { ...this.#request.headers, ...extra };
    const hasLength = Object.keys(headers).some((name) => name.toLowerCase() === 'content-length');
    if (this.#request.body !== undefined && !hasLength) headers['Content-Length'] = Buffer.byteLength(this.#request.body);
    return headers;
  }

  #path(): string {
    return `${this.#url.pathname}${this.#url.search}`;
  }

  /** Straight to the server, or an http:// target through the proxy (absolute URI). */
  #direct(): void {
    const secure = this.#url.protocol === 'https:';
    let options: https.RequestOptions;
    if (this.#proxy !== null) {
      const extra: Record<string, string> = { Host: this.#url.host };
      if (this.#proxy.authorization !== null) extra['Proxy-Authorization'] = this.#proxy.authorization;
      options = { hostname: this.#proxy.hostname, port: this.#proxy.port, path: this.#url.href, method: this.#request.method, headers: this.#headers(extra), agent: this.#context.httpAgent };
      this.#send(http.request(options));
      return;
    }
    options = {
      hostname: this.#url.hostname.replace(/^\[|\]$/g, ''),
      port: this.#port,
      path: this.#path(),
      method: this.#request.method,
      headers: this.#headers(),
      agent: secure ? this.#context.httpsAgent : this.#context.httpAgent,
    };
    this.#send(secure ? https.request(options) : http.request(options));
  }

  /** https:// target through the proxy: CONNECT, then TLS over the tunnel (one tunnel per request). */
  #tunnel(proxy: ProxyTarget): void {
    const hostname = this.#url.hostname.replace(/^\[|\]$/g, '');
    const authority = `${hostname.includes(':') ? `[${hostname}]` : hostname}:${this.#port}`;
    const headers: http.OutgoingHttpHeaders = { Host: authority };
    if (proxy.authorization !== null) headers['Proxy-Authorization'] = proxy.authorization;
    const connect = http.request({ hostname: proxy.hostname, port: proxy.port, method: 'CONNECT', path: authority, headers, agent: false });
    this.#current = connect;
    connect.once('connect', (response: http.IncomingMessage, socket: Duplex) => {
      if (response.statusCode !== 200) {
        socket.destroy();
        this.#fail(this.#context.errors.proxy(proxy, this.#host, `HTTP ${response.statusCode ?? 0} ${response.statusMessage ?? ''}`.trim()));
        return;
      }
      const tlsOptions: tls.ConnectionOptions = { ...this.#context.tlsOptions, socket };
      if (!/^[\d.]+$/.test(hostname) && !hostname.includes(':')) tlsOptions.servername = hostname;
      else tlsOptions.host = hostname;
      socket.on('error', (error) => this.#fail(this.#context.errors.network(error, this.#host)));
      const secureSocket = tls.connect(tlsOptions);
      secureSocket.on('error', (error) => this.#fail(this.#context.errors.network(error, this.#host)));
      const request = http.request({
        path: this.#path(),
        method: this.#request.method,
        headers: this.#headers({ Host: this.#url.host }),
        createConnection: () => secureSocket,
      });
      this.#send(request);
    });
    connect.on('error', (error) => this.#fail(this.#context.errors.proxy(proxy, this.#host, (error as { code?: string }).code ?? 'connection failed', error)));
    connect.end();
  }

  #send(request: http.ClientRequest): void {
    this.#current = request;
    request.on('error', (error) => this.#fail(this.#context.errors.network(error, this.#host)));
    request.once('response', (response) => this.#receive(response));
    if (this.#request.body !== undefined) request.end(this.#request.body);
    else request.end();
  }

  #receive(response: http.IncomingMessage): void {
    const chunks: Buffer[] = [];
    let size = 0;
    const limit = this.#context.maxResponseBytes;
    response.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        this.#fail(this.#context.errors.tooLarge(this.#host, limit));
        return;
      }
      chunks.push(chunk);
    });
    response.on('error', (error) => this.#fail(this.#context.errors.network(error, this.#host)));
    response.on('aborted', () => this.#fail(this.#context.errors.network(Object.assign(new Error('response aborted'), { code: 'ECONNRESET' }), this.#host)));
    response.once('end', () => {
      if (this.#settled) return;
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(response.headers)) {
        if (value === undefined) continue;
        headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
      }
      this.#finish();
      this.#resolve({ status: response.statusCode ?? 0, headers, body: Buffer.concat(chunks).toString('utf8') });
    });
  }

  #fail(error: unknown): void {
    if (this.#settled) return;
    this.#finish();
    const current = this.#current;
    this.#current = null;
    current?.destroy();
    this.#reject(error);
  }

  #finish(): void {
    this.#settled = true;
    if (this.#timer !== null) clearTimeout(this.#timer);
    if (this.#onAbort !== null) this.#request.signal?.removeEventListener('abort', this.#onAbort);
  }
}
