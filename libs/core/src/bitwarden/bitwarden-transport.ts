/**
 * The Bitwarden client's view of the shared retrying transport (issue #7): its retry options, its
 * error codes and its hints. The retry loop itself lives in `http/retrying-transport.ts`.
 */
import type { Clock, HttpClient, Logger } from '../ports.js';
import { RetryingTransport } from '../http/retrying-transport.js';

/** Retry policy for network errors, 429 and 5xx. */
export interface RetryOptions {
  /** Attempts per request, the first included. Default 5. */
  maxAttempts: number;
  /** First back-off ceiling in ms; doubles per attempt (full jitter). Default 500. */
  baseDelayMs: number;
  /** Largest back-off ceiling in ms. Default 30000. */
  maxDelayMs: number;
  /** Longest `Retry-After` (ms) the client waits; a longer demand fails at once with `bitwarden.throttled`. Default 120000. */
  maxRetryAfterMs: number;
}

/** Default retry policy. */
export const DEFAULT_RETRY: Readonly<RetryOptions> = { maxAttempts: 5, baseDelayMs: 500, maxDelayMs: 30_000, maxRetryAfterMs: 120_000 };

/** Header `Bitwarden-Client-Name`. The reference sends `connector`; servers may key behaviour on it, so we do too. */
export const BITWARDEN_CLIENT_NAME = 'connector';

/** Route label of the token request, for stats and the throttling hint. */
export const TOKEN_ROUTE = 'POST /connect/token';
/** Route label of the import request, for stats and the server-error hint. */
export const IMPORT_ROUTE = 'POST /public/organization/import';

/** What {@link createBitwardenTransport} needs. */
export interface BitwardenTransportOptions {
  http: HttpClient;
  clock: Clock;
  logger: Logger;
  /** Device type number, sent as `Device-Type`. */
  deviceType: number;
  /** dirconn version, sent as `Bitwarden-Client-Version` and in `User-Agent`. */
  clientVersion: string;
  retry: RetryOptions;
  random: () => number;
  /** Default request timeout in ms. */
  timeoutMs: number;
}

/**
 * The retrying transport for one Bitwarden client. Attempts and the single-wait cap bound each
 * request; there is no run-wide wait budget (the client never had one, and a sync must not give up
 * half-way through an import for that reason).
 */
export function createBitwardenTransport(options: BitwardenTransportOptions): RetryingTransport {
  return new RetryingTransport({
    http: options.http,
    clock: options.clock,
    logger: options.logger,
    service: 'Bitwarden',
    logName: 'bitwarden',
    errorCodes: { unreachable: 'bitwarden.unreachable', throttled: 'bitwarden.throttled', serverError: 'bitwarden.server-error' },
    headers: {
      Accept: 'application/json',
      'Device-Type': String(options.deviceType),
      'Bitwarden-Client-Name': BITWARDEN_CLIENT_NAME,
      'Bitwarden-Client-Version': options.clientVersion,
      'User-Agent': `dirconn/${options.clientVersion}`,
    },
    policy: { ...options.retry, maxTotalWaitMs: Number.POSITIVE_INFINITY },
    random: options.random,
    timeoutMs: options.timeoutMs,
    throttledHint,
    serverErrorHint,
    unreachableMessage: (host, reason, attempts) => `Cannot reach the Bitwarden server at ${host} (${reason}) after ${attempts} attempt${attempts === 1 ? '' : 's'}.`,
  });
}

function throttledHint(route: string): string {
  return route === TOKEN_ROUTE
    ? 'Bitwarden cloud allows 10 token requests per minute per IP address; wait a minute and run again.'
    : 'Wait a few minutes and run again; avoid running several syncs from the same address at once.';
}

function serverErrorHint(route: string, status: number): string {
  if (route === IMPORT_ROUTE && status === 500) {
    return "The server may have applied part of the import before failing. A common cause is duplicate emails or externalIds among the organization's existing members or groups (the server answers those with a bare 500): check the organization in the Admin Console. Running the sync again is safe.";
  }
  if (status === 502 || status === 503 || status === 504) return 'The Bitwarden server or a proxy in front of it is unavailable or timed out; try again later.';
  return 'The Bitwarden server (or a proxy in front of it) failed; try again later and check the server logs when self-hosted.';
}
