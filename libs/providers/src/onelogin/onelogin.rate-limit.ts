/**
 * OneLogin rate limits (directory-apis.md §5.6): the API allows a number of calls per hour for the
 * whole account, however many credentials call it, and every response carries `X-RateLimit-Limit`,
 * `X-RateLimit-Remaining` and `X-RateLimit-Reset` — the SECONDS REMAINING until the window resets
 * (not an epoch, unlike Okta's). The pacer:
 *
 * - remembers the last state and, when nothing remains, waits until the reset before the next call
 *   instead of running into 429s (counting calls in flight, so parallel role reads cannot overshoot);
 * - turns a 429 into a wait until the reset (or `Retry-After`), through the shared transport's
 *   `classify` rule, whose single-wait cap and run budget bound the run;
 * - gives up with `provider.throttled` — naming when the limit resets — when the wait would exceed
 *   its budget (an hourly window can be most of an hour away).
 */
import { DirconnError } from '@dirconn/core';
import type { Clock, HttpResponse, RetryDecision } from '@dirconn/core';

/** Counters of the pacer, for stats and the bench. */
export interface OneLoginRateLimitStats {
  /** Waits the pacer made before sending (nothing remaining). */
  paceWaits: number;
  /** Time spent in those waits, ms. */
  paceWaitedMs: number;
  /** 429 answers seen. */
  throttled: number;
  /** The last `X-RateLimit-Remaining` seen, or -1. */
  lastRemaining: number;
}

const MARGIN_MS = 1000;

function intHeader(response: HttpResponse, name: string): number | null {
  const raw = response.headers[name];
  if (raw === undefined) return null;
  const values = [...new Set(raw.split(',').map((v) => v.trim()))];
  if (values.length !== 1) return null;
  const n = Number(values[0]);
  return Number.isFinite(n) && n >= 0 ? n : null;
}

/** See the module comment. */
export class OneLoginRateLimiter {
  readonly stats: OneLoginRateLimitStats = { paceWaits: 0, paceWaitedMs: 0, throttled: 0, lastRemaining: -1 };
  #state: { remaining: number; resetAtMs: number } | null = null;
  #inFlight = 0;

  /** @param maxWaitMs total time the pacer may wait over the run before failing as throttled (default 15 min) */
  constructor(
    private readonly clock: Clock,
    private readonly maxWaitMs = 900_000,
  ) {}

  /** Waits until a call fits in what remains of the window, then counts it in flight. */
  async acquire(signal?: AbortSignal): Promise<void> {
    for (;;) {
      const state = this.#state;
      const now = this.clock.now().getTime();
      if (state === null || now >= state.resetAtMs || state.remaining - this.#inFlight > 0) break;
      const wait = state.resetAtMs - now;
      if (this.stats.paceWaitedMs + wait > this.maxWaitMs) {
        throw new DirconnError(
          'provider.throttled',
          `OneLogin's hourly API limit for this account is used up and resets in ${Math.ceil(wait / 1000)} s; dirconn does not wait that long, so nothing was synced.`,
          {
            hint: 'Other integrations (or earlier runs) used the account-wide limit: run the sync after the reset, or ask OneLogin support for a higher limit.',
            details: { waitMs: wait, waitedMs: this.stats.paceWaitedMs },
          },
        );
      }
      this.stats.paceWaits++;
      this.stats.paceWaitedMs += wait;
      try {
        await this.clock.sleep(wait, signal);
      } catch (error) {
        throw new DirconnError('cancelled', 'The directory read was cancelled.', { cause: error });
      }
      // The window reset: forget it until the next response tells its new state.
      if (this.#state === state) this.#state = null;
    }
    this.#inFlight++;
  }

  /** Ends a call started with {@link acquire}, learning the window's state from the response (if any). */
  release(response: HttpResponse | null): void {
    if (this.#inFlight > 0) this.#inFlight--;
    if (response !== null) this.observe(response);
  }

  /** Records a response's `X-RateLimit-*` headers. */
  observe(response: HttpResponse): void {
    const remaining = intHeader(response, 'x-ratelimit-remaining');
    const resetAtMs = this.resetAtMs(response);
    if (remaining === null || resetAtMs === null) return;
    this.stats.lastRemaining = remaining;
    const previous = this.#state;
    // Responses of parallel calls arrive out of order: within one window keep the lowest count.
    const sameWindow = previous !== null && Math.abs(previous.resetAtMs - resetAtMs) < 2 * MARGIN_MS;
    this.#state = { remaining: sameWindow ? Math.min(previous.remaining, remaining) : remaining, resetAtMs };
  }

  /** The local time the window resets (now + X-RateLimit-Reset seconds + margin), or null. */
  resetAtMs(response: HttpResponse): number | null {
    const reset = intHeader(response, 'x-ratelimit-reset');
    return reset === null ? null : this.clock.now().getTime() + reset * 1000 + MARGIN_MS;
  }

  /**
   * The transport rule for OneLogin: a 429 waits until the window's reset (`X-RateLimit-Reset`;
   * without it the default rule: `Retry-After`, else back-off). Everything else falls through to the default rules.
   */
  classify(): (response: HttpResponse) => RetryDecision | undefined {
    return (response) => {
      if (response.status !== 429) return undefined;
      this.stats.throttled++;
      this.observe(response);
      const resetAt = this.resetAtMs(response);
      const reason = 'rate limited by OneLogin (429)';
      // Without the header, the transport's default 429 rule (Retry-After, else back-off) decides.
      if (resetAt === null) return undefined;
      return { retry: true, throttled: true, waitMs: Math.max(0, resetAt - this.clock.now().getTime()), reason };
    };
  }
}
