/**
 * The shared retrying HTTP transport: one logical request over the injected `HttpClient`, retried on
 * network errors, 429 (honouring `Retry-After`) and 5xx with bounded, abortable, jittered back-off.
 * The Bitwarden client and every cloud directory source use it, so the proxy, CA and back-off rules
 * are the same everywhere (issue #7). Pure: waits go through the injected Clock.
 *
 * Sources add their own throttling signals through `classify` (Google's 403 `rateLimitExceeded`,
 * Okta's `X-Rate-Limit-Reset`), and every instance has a budget of total waiting (`maxTotalWaitMs`) so
 * a throttled run ends with a clear error instead of waiting for hours.
 */
import { DirconnError } from '../errors.js';
import type { ErrorCode } from '../errors.js';
import type { Clock, HttpClient, HttpRequest, HttpResponse, Logger } from '../ports.js';
import { describeErrorBody } from '../bitwarden/error-body.js';
import { hostOf, isPermanentNetworkError, retryAfterMs, systemCodeOf, throwIfAborted } from './http-helpers.js';

/** Retry policy for network errors, 429 and 5xx. */
export interface RetryPolicy {
  /** Attempts per request, the first included. Default 5. */
  maxAttempts: number;
  /** First back-off ceiling in ms; doubles per attempt (full jitter). Default 500. */
  baseDelayMs: number;
  /** Largest back-off ceiling in ms. Default 30000. */
  maxDelayMs: number;
  /** Longest single wait (`Retry-After`, reset time) honoured; a longer demand fails at once as throttled. Default 120000. */
  maxRetryAfterMs: number;
  /** Total time this transport may spend waiting over its whole life (one run). Default 900000 (15 min). */
  maxTotalWaitMs: number;
}

/** Default retry policy (the Bitwarden client's historical values plus a 15-minute wait budget). */
export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = {
  maxAttempts: 5,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 120_000,
  maxTotalWaitMs: 900_000,
};

/** What a source-specific rule says about one response. */
export type RetryDecision =
  /** Not a retryable condition: return the response to the caller. */
  | { retry: false }
  /** Retry; `waitMs` when the server said how long (else exponential back-off); `throttled` picks the error kind. */
  | { retry: true; throttled: boolean; waitMs?: number; reason: string };

/** Options of one logical request. */
export interface TransportSendOptions {
  /** Route label for logs and stats, e.g. `GET /v1.0/users` (never a URL with secrets). */
  route: string;
  /** What the request is, for messages: "the user list", "the import". */
  what: string;
  /**
   * False for a request whose outcome is unknown once its body may have reached the server (a
   * non-convergent POST): network errors after sending and 5xx are then not retried. Default true.
   */
  idempotent?: boolean;
  /** Source-specific throttling rules, consulted before the default 429/5xx rules. */
  classify?: (response: HttpResponse) => RetryDecision | undefined;
}

/** Error codes one transport raises once retries are used up. */
export interface TransportErrorCodes {
  unreachable: ErrorCode;
  throttled: ErrorCode;
  serverError: ErrorCode;
}

/** Request counters, for benches and run reports. */
export interface TransportStats {
  /** Requests sent per route, retries included. */
  requests: Record<string, number>;
  /** Requests repeated after a network error, throttling or 5xx. */
  retries: number;
  /** Time waited between attempts in ms (per the injected clock). */
  waitedMs: number;
  /** Of `waitedMs`, the part spent on throttling (429, rate-limit rules). */
  throttledMs: number;
}

/** Constructor options of {@link RetryingTransport}. */
export interface RetryingTransportOptions {
  http: HttpClient;
  clock: Clock;
  logger: Logger;
  /** Who is on the other end, for messages and logs: "Bitwarden", "Microsoft Graph". */
  service: string;
  /** Prefix of log lines (`<logName>: response`). Default `service`. */
  logName?: string;
  errorCodes: TransportErrorCodes;
  /** Headers sent with every request (caller's headers win). */
  headers?: Record<string, string>;
  policy?: Partial<RetryPolicy>;
  /** Jitter source in [0, 1). Default `Math.random`; tests inject a fixed value. */
  random?: () => number;
  /** Default per-request timeout in ms when the request has none. Default 60000. */
  timeoutMs?: number;
  /** Hint for a throttled error; default: wait and run again. */
  throttledHint?: (route: string) => string;
  /** Hint for a server error; default: try later. */
  serverErrorHint?: (route: string, status: number) => string;
  /** Message of an unreachable error; default `Cannot reach <service> at <host> (<reason>) after <n> attempts.` */
  unreachableMessage?: (host: string, reason: string, attempts: number) => string;
}

/** The port cloud sources receive in `ProviderDeps.transport`. */
export interface Transport {
  /**
   * Sends one logical request. Resolves with the response for every status that is not retried;
   * rejects with the configured `unreachable` / `throttled` / `serverError` code once attempts or
   * the wait budget are used up, or `cancelled` when the signal aborts.
   */
  send(request: HttpRequest, options: TransportSendOptions): Promise<HttpResponse>;
  /** A copy of the counters. */
  stats(): TransportStats;
}

/** See the module comment. */
export class RetryingTransport implements Transport {
  readonly #http: HttpClient;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #service: string;
  readonly #logName: string;
  readonly #codes: TransportErrorCodes;
  readonly #headers: Record<string, string>;
  readonly #policy: RetryPolicy;
  readonly #random: () => number;
  readonly #timeoutMs: number;
  readonly #throttledHint: (route: string) => string;
  readonly #serverErrorHint: (route: string, status: number) => string;
  readonly #unreachableMessage: (host: string, reason: string, attempts: number) => string;
  readonly #stats: TransportStats = { requests: {}, retries: 0, waitedMs: 0, throttledMs: 0 };

  constructor(options: RetryingTransportOptions) {
    this.#http = options.http;
    this.#clock = options.clock;
    this.#logger = options.logger;
    this.#service = options.service;
    this.#logName = options.logName ?? options.service;
    this.#codes = options.errorCodes;
    this.#headers = options.headers ?? {};
    this.#policy = { ...DEFAULT_RETRY_POLICY, ...options.policy };
    if (this.#policy.maxAttempts < 1) this.#policy.maxAttempts = 1;
    this.#random = options.random ?? Math.random;
    this.#timeoutMs = options.timeoutMs ?? 60_000;
    this.#throttledHint = options.throttledHint ?? (() => 'Wait a few minutes and run again; avoid running several syncs against the same service at once.');
    this.#serverErrorHint = options.serverErrorHint ?? (() => `${options.service} (or a proxy in front of it) failed; try again later.`);
    this.#unreachableMessage =
      options.unreachableMessage ?? ((host, reason, attempts) => `Cannot reach ${options.service} at ${host} (${reason}) after ${attempts} attempt${attempts === 1 ? '' : 's'}.`);
  }

  stats(): TransportStats {
    return { requests: { ...this.#stats.requests }, retries: this.#stats.retries, waitedMs: this.#stats.waitedMs, throttledMs: this.#stats.throttledMs };
  }

  async send(request: HttpRequest, options: TransportSendOptions): Promise<HttpResponse> {
    const { maxAttempts } = this.#policy;
    const idempotent = options.idempotent !== false;
    const host = hostOf(request.url);
    for (let attempt = 1; ; attempt++) {
      throwIfAborted(request.signal);
      this.#stats.requests[options.route] = (this.#stats.requests[options.route] ?? 0) + 1;
      const outgoing: HttpRequest = { ...request, headers: { ...this.#headers, ...request.headers }, timeoutMs: request.timeoutMs ?? this.#timeoutMs };
      const started = this.#clock.now().getTime();
      let response: HttpResponse;
      try {
        response = await this.#http.send(outgoing);
      } catch (error) {
        if (request.signal?.aborted || (DirconnError.is(error) && error.code === 'cancelled')) {
          throw new DirconnError('cancelled', 'Cancelled.', { cause: error });
        }
        // The adapter's own errors other than "unreachable" (bad proxy setting, oversized response…)
        // are not network trouble: pass them through unchanged.
        if (DirconnError.is(error) && !isUnreachableCode(error.code) && !isPermanentNetworkError(error)) throw error;
        const systemCode = systemCodeOf(error);
        this.#logger.warn(`${this.#logName}: request failed`, { route: options.route, host, attempt, error: systemCode ?? 'network error' });
        const sentMaybe = !idempotent && systemCode !== 'ECONNREFUSED' && systemCode !== 'ENOTFOUND' && systemCode !== 'EAI_AGAIN';
        if (isPermanentNetworkError(error) || attempt >= maxAttempts || sentMaybe) throw this.#unreachable(error, host, attempt, systemCode);
        await this.#wait(this.#backoff(attempt), request.signal, false, options, attempt);
        continue;
      }
      this.#logger.debug(`${this.#logName}: response`, { route: options.route, status: response.status, ms: this.#clock.now().getTime() - started });

      const decision = options.classify?.(response) ?? this.#defaultDecision(response, idempotent);
      if (!decision.retry) return response;
      const wait = decision.waitMs ?? this.#backoff(attempt);
      // Only a wait the server demands is capped here; the back-off itself is bounded by maxDelayMs.
      if (attempt >= maxAttempts || (decision.waitMs !== undefined && decision.waitMs > this.#policy.maxRetryAfterMs)) {
        if (decision.throttled) throw this.#throttled(response, options, attempt, decision.waitMs ?? null, 'attempts');
        throw this.#serverError(response, options, attempt);
      }
      this.#logger.warn(`${this.#logName}: ${decision.reason}, waiting`, { route: options.route, status: response.status, attempt, delayMs: wait });
      await this.#wait(wait, request.signal, decision.throttled, options, attempt, response);
    }
  }

  /** 429 → throttled (Retry-After); 5xx → retry unless the request is not idempotent (503 Retry-After honoured). */
  #defaultDecision(response: HttpResponse, idempotent: boolean): RetryDecision {
    if (response.status === 429) {
      const after = retryAfterMs(response, this.#clock);
      return after === null ? { retry: true, throttled: true, reason: 'rate limited (429)' } : { retry: true, throttled: true, waitMs: after, reason: 'rate limited (429)' };
    }
    if (response.status >= 500 && idempotent) {
      const after = response.status === 503 ? retryAfterMs(response, this.#clock) : null;
      const usable = after !== null && after <= this.#policy.maxRetryAfterMs ? after : null;
      return usable === null ? { retry: true, throttled: false, reason: 'server error' } : { retry: true, throttled: false, waitMs: usable, reason: 'server error' };
    }
    if (response.status >= 500) return { retry: false };
    return { retry: false };
  }

  async #wait(ms: number, signal: AbortSignal | undefined, throttled: boolean, options: TransportSendOptions, attempt: number, response?: HttpResponse): Promise<void> {
    if (this.#stats.waitedMs + ms > this.#policy.maxTotalWaitMs) {
      if (throttled && response) throw this.#throttled(response, options, attempt, ms, 'budget');
      if (response) throw this.#serverError(response, options, attempt);
      throw new DirconnError(this.#codes.unreachable, `Gave up on ${this.#service} for ${options.what}: the run's retry budget of ${Math.round(this.#policy.maxTotalWaitMs / 1000)} s is used up.`, {
        hint: 'Check the network and the service status, then run again.',
        details: { attempts: attempt, waitedMs: this.#stats.waitedMs },
      });
    }
    this.#stats.retries++;
    this.#stats.waitedMs += ms;
    if (throttled) this.#stats.throttledMs += ms;
    try {
      await this.#clock.sleep(ms, signal);
    } catch (error) {
      throw new DirconnError('cancelled', 'Cancelled.', { cause: error });
    }
    throwIfAborted(signal);
  }

  /** Full jitter: uniform in [0, min(maxDelay, base · 2^(attempt−1))). */
  #backoff(attempt: number): number {
    const ceiling = Math.min(this.#policy.maxDelayMs, this.#policy.baseDelayMs * 2 ** (attempt - 1));
    const r = Math.min(Math.max(this.#random(), 0), 1);
    return Math.floor(r * ceiling);
  }

  #unreachable(error: unknown, host: string, attempts: number, systemCode: string | null): DirconnError {
    const original = DirconnError.is(error) ? error : null;
    const reason = systemCode ?? original?.message ?? 'network error';
    return new DirconnError(this.#codes.unreachable, this.#unreachableMessage(host, reason, attempts), {
      hint: original?.hint ?? 'Check the server URL, the network and the proxy settings (HTTPS_PROXY, NO_PROXY).',
      cause: error,
      details: { host, systemCode, attempts },
    });
  }

  #throttled(response: HttpResponse, options: TransportSendOptions, attempts: number, retryAfter: number | null, why: 'attempts' | 'budget'): DirconnError {
    const { text } = describeErrorBody(response.body);
    const wait = retryAfter === null ? '' : ` The server asks to wait ${Math.ceil(retryAfter / 1000)} s.`;
    const budget = why === 'budget' ? ` The run already waited ${Math.round(this.#stats.waitedMs / 1000)} s for it (budget ${Math.round(this.#policy.maxTotalWaitMs / 1000)} s).` : '';
    return new DirconnError(
      this.#codes.throttled,
      `${this.#service} rate-limited ${options.what} (HTTP ${response.status} after ${attempts} attempt${attempts === 1 ? '' : 's'}): ${text}${wait}${budget}`,
      { hint: this.#throttledHint(options.route), details: { status: response.status, retryAfterMs: retryAfter, attempts, waitedMs: this.#stats.waitedMs } },
    );
  }

  #serverError(response: HttpResponse, options: TransportSendOptions, attempts: number): DirconnError {
    const { text } = describeErrorBody(response.body);
    return new DirconnError(
      this.#codes.serverError,
      `${this.#service} answered ${options.what} with HTTP ${response.status} after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${text}`,
      { hint: this.#serverErrorHint(options.route, response.status), details: { status: response.status, attempts } },
    );
  }
}

function isUnreachableCode(code: ErrorCode): boolean {
  return code === 'bitwarden.unreachable' || code === 'provider.unreachable';
}
