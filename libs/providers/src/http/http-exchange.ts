/**
 * One request/response of the Node HTTP client over `node:http`/`node:https`: direct, through an
 * http:// proxy (absolute URI), or through a CONNECT tunnel with TLS on top; with its timer, abort
 * listener and cleanup.
 */
import http from 'node:http';
import https from 'node:https';
import tls from 'node:tls';
import type { Duplex } from 'node:stream';
import { DirconnError } from '@dirconn/core';
import type { HttpRequest, HttpResponse } from '@dirconn/core';
import type { NetworkErrorFactory } from './network-errors.js';
import type { ProxyTarget } from './proxy-settings.js';

/** What one exchange needs from its client. */
export interface ExchangeContext {
  tlsOptions: tls.ConnectionOptions;
  httpAgent: http.Agent;
  httpsAgent: https.Agent;
  timeoutMs: number;
  maxResponseBytes: number;
  errors: NetworkErrorFactory;
}

/** One request/response, with its timer, abort listener and cleanup. */
export class HttpExchange {
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

  /** Starts the exchange; settles once, with the response or a DirconnError. */
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
