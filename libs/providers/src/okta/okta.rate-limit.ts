/**
 * Okta rate limits (directory-apis.md §4.7). Every response carries `X-Rate-Limit-Limit`,
 * `X-Rate-Limit-Remaining` and `X-Rate-Limit-Reset` (UTC epoch seconds) for the bucket of its endpoint
 * family; the limits are org-wide, so other integrations share them. The pacer:
 *
 * - remembers each bucket's last known state and, before a request, waits until the bucket resets
 *   when sending would eat into the part kept for others (`okta.rateLimitShare`, default 50 %): it
 *   paces before the bucket reaches zero instead of running into 429s;
 * - counts requests in flight per bucket, so parallel member reads cannot overshoot together;
 * - turns a 429 (E0000047, including the concurrency limit's) into a wait until the bucket's reset,
 *   through the shared transport's `classify` rule (whose wait budget bounds the run).
 *
 * Reset times are taken relative to the response's `Date` header (the server's clock), plus one
 * second of margin, so a skewed local clock neither waits too long nor retries too early.
 */
import { DirconnError } from '@dirconn/core';
import type { Clock, HttpResponse, RetryDecision } from '@dirconn/core';

/** One bucket as last seen. */
interface BucketState {
  limit: number;
  remaining: number;
  /** When the bucket resets, on the local clock (ms). */
  resetAtMs: number;
  inFlight: number;
}

/** Counters of the pacer, for stats and the bench. */
export interface RateLimitStats {
  /** Waits the pacer made before sending (bucket share used up). */
  paceWaits: number;
  /** Time spent in those waits, ms. */
  paceWaitedMs: number;
  /** 429 answers seen. */
  throttled: number;
}

const MARGIN_MS = 1000;

/** The bucket of a request path: the endpoint family Okta counts together. */
export function bucketOf(path: string): string {
  if (/^\/api\/v1\/groups\/[^/]+\/users/.test(path)) return 'GET /api/v1/groups/{id}/users';
  if (path.startsWith('/api/v1/groups')) return 'GET /api/v1/groups';
  if (path.startsWith('/api/v1/users')) return 'GET /api/v1/users';
  if (path.startsWith('/oauth2/')) return 'POST /oauth2/v1/token';
  return path;
}

function intHeader(response: HttpResponse, name: string): number | null {
  const raw = response.headers[name];
  if (raw === undefined) return null;
  // Duplicate headers arrive joined by ", "; several different values make the header unusable.
  const values = [...new Set(raw.split(',').map((v) => v.trim()))];
  if (values.length !== 1) return null;
  const n = Number(values[0]);
  return Number.isFinite(n) && n >= 0 ? n : null;
}

/** See the module comment. */
export class OktaRateLimiter {
  readonly stats: RateLimitStats = { paceWaits: 0, paceWaitedMs: 0, throttled: 0 };
  readonly #buckets = new Map<string, BucketState>();

  /**
   * @param share percent of each bucket this run may use (1–100)
   * @param maxWaitMs total time the pacer may wait over the run before failing as throttled
   */
  constructor(
    private readonly clock: Clock,
    private readonly share: number,
    private readonly maxWaitMs = 900_000,
  ) {}

  /** Requests of a bucket kept for others (at least one: never spend the bucket down to zero). */
  reserveOf(limit: number): number {
    const share = Math.min(100, Math.max(1, this.share));
    return Math.max(1, limit - Math.floor((limit * share) / 100));
  }

  /** Waits until a request to `bucket` fits in this run's share, then counts it in flight. */
  async acquire(bucket: string, signal?: AbortSignal): Promise<void> {
    for (;;) {
      const state = this.#buckets.get(bucket);
      const now = this.clock.now().getTime();
      if (state === undefined || now >= state.resetAtMs || state.remaining - state.inFlight > this.reserveOf(state.limit)) break;
      const wait = state.resetAtMs - now;
      if (this.stats.paceWaitedMs + wait > this.maxWaitMs) {
        throw new DirconnError('provider.throttled', `Okta's rate limit for ${bucket} stayed used up: dirconn waited ${Math.round(this.stats.paceWaitedMs / 1000)} s in this run and gave up.`, {
          hint: 'Other integrations use most of this rate limit: run the sync at a quieter time, or raise okta.rateLimitShare (percent of each bucket dirconn may use).',
          details: { bucket, waitedMs: this.stats.paceWaitedMs },
        });
      }
      this.stats.paceWaits++;
      this.stats.paceWaitedMs += wait;
      try {
        await this.clock.sleep(wait, signal);
      } catch (error) {
        throw new DirconnError('cancelled', 'The directory read was cancelled.', { cause: error });
      }
      // The bucket reset: forget it until the next response tells its new state.
      if (this.#buckets.get(bucket) === state) this.#buckets.delete(bucket);
    }
    const state = this.#buckets.get(bucket);
    if (state) state.inFlight++;
  }

  /** Ends a request started with {@link acquire}, learning the bucket's state from the response (if any). */
  release(bucket: string, response: HttpResponse | null): void {
    const state = this.#buckets.get(bucket);
    if (state && state.inFlight > 0) state.inFlight--;
    if (response !== null) this.observe(bucket, response);
  }

  /** Records a response's `X-Rate-Limit-*` headers for its bucket. */
  observe(bucket: string, response: HttpResponse): void {
    const limit = intHeader(response, 'x-rate-limit-limit');
    const remaining = intHeader(response, 'x-rate-limit-remaining');
    const resetAtMs = this.resetAtMs(response);
    if (limit === null || remaining === null || resetAtMs === null) return;
    const inFlight = this.#buckets.get(bucket)?.inFlight ?? 0;
    const previous = this.#buckets.get(bucket);
    // Responses of parallel requests arrive out of order: within one window keep the lowest count.
    const sameWindow = previous !== undefined && Math.abs(previous.resetAtMs - resetAtMs) < MARGIN_MS;
    this.#buckets.set(bucket, { limit, remaining: sameWindow ? Math.min(previous.remaining, remaining) : remaining, resetAtMs, inFlight });
  }

  /** The local time the response's bucket resets (server reset − server Date + margin), or null. */
  resetAtMs(response: HttpResponse): number | null {
    const reset = intHeader(response, 'x-rate-limit-reset');
    if (reset === null) return null;
    const now = this.clock.now().getTime();
    const date = response.headers['date'] === undefined ? Number.NaN : Date.parse(response.headers['date']);
    const serverNow = Number.isFinite(date) ? date : now;
    return now + Math.max(0, reset * 1000 - serverNow) + MARGIN_MS;
  }

  /**
   * The transport rule for Okta: a 429 waits until the bucket's reset (back-off when the reset is
   * missing or ambiguous). Everything else falls through to the default rules.
   */
  classify(bucket: string): (response: HttpResponse) => RetryDecision | undefined {
    return (response) => {
      if (response.status !== 429) return undefined;
      this.stats.throttled++;
      this.observe(bucket, response);
      const resetAt = this.resetAtMs(response);
      const reason = 'rate limited by Okta (429 E0000047)';
      if (resetAt === null) return { retry: true, throttled: true, reason };
      return { retry: true, throttled: true, waitMs: Math.max(0, resetAt - this.clock.now().getTime()), reason };
    };
  }
}
