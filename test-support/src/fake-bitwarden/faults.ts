// Fault injection and the optional rate limiter of the fake (bitwarden-api.md §8.2, §2.7).

import type { FakeServerClock } from './state.js';
import { throttledBody } from './responses.js';
import type { FakeResponse } from './responses.js';

/** Route names used by the request log and fault rules. */
export type FakeRoute =
  | 'token'
  | 'import'
  | 'members'
  | 'member'
  | 'member-group-ids'
  | 'groups'
  | 'group'
  | 'group-member-ids'
  | 'events'
  | 'subscription'
  | 'unknown';

/** Import steps (§8.6): a fault at `Sn` answers before step n runs, after steps < n committed. */
export type ImportStep = 'S0' | 'S1' | 'S2' | 'S3' | 'S4' | 'S5' | 'S6';

/** What an injected fault does. */
export type FaultAction =
  /** Answer with this status (and optional body/headers) instead of handling the request. */
  | { kind: 'status'; status: number; body?: string | object; headers?: Record<string, string> }
  /** Destroy the connection without answering (client sees ECONNRESET / socket hang up). */
  | { kind: 'reset' }
  /** Wait `ms` real milliseconds, then handle the request normally. */
  | { kind: 'delay'; ms: number }
  /** 429 with `Retry-After` (seconds or HTTP date) and the cloud throttle body. */
  | { kind: 'throttle'; retryAfter: number | string }
  /**
   * Answer `status` at once (a proxy giving up, e.g. 504) while the server keeps the request and
   * handles it `afterMs` real milliseconds later (issue #9 item 5: the client must not send it again).
   */
  | { kind: 'answer-then-apply'; status: number; afterMs: number }
  /** Import only: stop inside the import before `step`, answering `status` (default 500, unhandled body). */
  | { kind: 'import-step'; step: ImportStep; status?: number; body?: string | object };

/** A fault rule. Counting starts when the rule is added. */
export interface FaultRule {
  /** Route to affect, or `*` for every route. */
  route: FakeRoute | '*';
  /** Only this HTTP method. */
  method?: string;
  /** Fire first on the k-th matching call (1-based). Default 1 (the next call). */
  onCall?: number;
  /** How many calls to affect from then on. Default 1; `Infinity` for all. */
  times?: number;
  action: FaultAction;
}

/** A rule added to the injector; `fired` counts how often it acted. */
export interface ActiveFault extends Required<Omit<FaultRule, 'method'>> {
  method: string | undefined;
  seen: number;
  fired: number;
}

/** Holds the fault rules and picks the one for a call. */
export class FaultInjector {
  readonly rules: ActiveFault[] = [];

  /** Adds a rule; returns it (inspect `fired`). */
  add(rule: FaultRule): ActiveFault {
    const active: ActiveFault = { route: rule.route, method: rule.method?.toUpperCase(), onCall: rule.onCall ?? 1, times: rule.times ?? 1, action: rule.action, seen: 0, fired: 0 };
    this.rules.push(active);
    return active;
  }

  /** Removes every rule. */
  clear(): void {
    this.rules.length = 0;
  }

  /**
   * The action for this call of `route` (request-level faults, not import steps), or null. Every
   * matching rule counts the call; the first one that is due fires.
   */
  take(route: FakeRoute, method: string): FaultAction | null {
    return this.#take((rule) => rule.action.kind !== 'import-step' && this.#matches(rule, route, method));
  }

  /** The import-step fault due for `step` of this import call, or null. */
  takeImportStep(step: ImportStep): (FaultAction & { kind: 'import-step' }) | null {
    const action = this.#take((rule) => rule.action.kind === 'import-step' && rule.action.step === step && (rule.route === 'import' || rule.route === '*'));
    return action?.kind === 'import-step' ? action : null;
  }

  #matches(rule: ActiveFault, route: FakeRoute, method: string): boolean {
    return (rule.route === '*' || rule.route === route) && (rule.method === undefined || rule.method === method.toUpperCase());
  }

  #take(matches: (rule: ActiveFault) => boolean): FaultAction | null {
    let chosen: ActiveFault | null = null;
    for (const rule of this.rules) {
      if (!matches(rule)) continue;
      rule.seen++;
      const due = rule.seen >= rule.onCall && rule.fired < rule.times;
      if (due && chosen === null) chosen = rule;
    }
    if (chosen === null) return null;
    chosen.fired++;
    return chosen.action;
  }
}

/** Turns a `status`/`throttle` action into a response. */
export function faultResponse(action: FaultAction & { kind: 'status' | 'throttle' }): FakeResponse {
  if (action.kind === 'throttle') {
    return { status: 429, headers: { 'Retry-After': String(action.retryAfter) }, body: throttledBody('1m') };
  }
  const response: FakeResponse = { status: action.status };
  if (action.body !== undefined) response.body = action.body;
  if (action.headers !== undefined) response.headers = action.headers;
  return response;
}

interface Window {
  start: number;
  count: number;
}

interface Limit {
  /** Window in ms. */
  periodMs: number;
  /** Label for the body: `1s`, `1m`. */
  label: string;
  max: number;
}

const SECOND: Omit<Limit, 'max'> = { periodMs: 1000, label: '1s' };
const MINUTE: Omit<Limit, 'max'> = { periodMs: 60_000, label: '1m' };

/**
 * The official cloud's per-IP limits (§2.7), fixed windows from the first request, on the fake
 * clock. Every caller of the fake is 127.0.0.1, so the whole test shares one set of counters.
 *
 * - identity (the token endpoint): 5/s and 60/min; `POST /connect/token` 10/min;
 * - API POST/PUT/DELETE: 5/s and 60/min per verb + path; API GET: 200/min per verb + path.
 */
export class OfficialRateLimiter {
  readonly #windows = new Map<string, Window>();

  constructor(private readonly clock: FakeServerClock) {}

  /** Counts the call; a 429 response when a limit is exceeded, else null. */
  check(route: FakeRoute, method: string, path: string): FakeResponse | null {
    const limits: [string, Limit][] = [];
    if (route === 'token') {
      limits.push(['identity:1s', { ...SECOND, max: 5 }], ['identity:1m', { ...MINUTE, max: 60 }]);
      if (method === 'POST') limits.push(['token:1m', { ...MINUTE, max: 10 }]);
    } else if (method === 'GET') {
      limits.push([`GET ${path}:1m`, { ...MINUTE, max: 200 }]);
    } else {
      limits.push([`${method} ${path}:1s`, { ...SECOND, max: 5 }], [`${method} ${path}:1m`, { ...MINUTE, max: 60 }]);
    }
    const now = this.clock.now().getTime();
    let blocked: { retryAfter: number; label: string } | null = null;
    for (const [key, limit] of limits) {
      let window = this.#windows.get(key);
      if (window === undefined || now >= window.start + limit.periodMs) {
        window = { start: now, count: 0 };
        this.#windows.set(key, window);
      }
      window.count++;
      if (window.count > limit.max) {
        const retryAfter = Math.max(1, Math.ceil((window.start + limit.periodMs - now) / 1000));
        if (blocked === null || retryAfter > blocked.retryAfter) blocked = { retryAfter, label: limit.label };
      }
    }
    if (blocked === null) return null;
    return { status: 429, headers: { 'Retry-After': String(blocked.retryAfter) }, body: throttledBody(blocked.label) };
  }

  /** Forgets all counters. */
  reset(): void {
    this.#windows.clear();
  }
}

/** Vaultwarden's login limiter: burst 10, then 1 per 60 s (token bucket on the fake clock). */
export class VaultwardenLoginLimiter {
  #tokens: number;
  #updated: number;

  constructor(
    private readonly clock: FakeServerClock,
    private readonly burst = 10,
    private readonly perMs = 60_000,
  ) {
    this.#tokens = burst;
    this.#updated = clock.now().getTime();
  }

  /** True when this login attempt is refused. */
  limited(): boolean {
    const now = this.clock.now().getTime();
    this.#tokens = Math.min(this.burst, this.#tokens + (now - this.#updated) / this.perMs);
    this.#updated = now;
    if (this.#tokens < 1) return true;
    this.#tokens -= 1;
    return false;
  }
}
