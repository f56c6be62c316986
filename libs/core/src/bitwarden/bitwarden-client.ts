/**
 * The Bitwarden public-API client (bitwarden-api.md §2–§5): organization API key login, the
 * directory import, and the read endpoints used to plan against the live organization.
 *
 * Pure: all I/O goes through the injected HttpClient, Clock and Logger, so every retry and wait is
 * deterministic under test. Never logs or throws a secret: the API key is a `Secret` and the
 * access token stays inside this class.
 */
import { DirconnError } from '../errors.js';
import type { ErrorCode } from '../errors.js';
import type { Clock, HttpClient, HttpRequest, HttpResponse, Logger } from '../ports.js';
import type { MemberStatus, MemberType, OrgGroup, OrgMember, OrgSnapshot } from '../model/organization.js';
import type { Secret } from '../secret.js';
import { describeErrorBody } from './error-body.js';

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

/** Default number of parallel group `member-ids` reads in `readOrganization`. */
export const DEFAULT_READ_CONCURRENCY = 8;

/** Default retry policy. */
export const DEFAULT_RETRY: Readonly<RetryOptions> = { maxAttempts: 5, baseDelayMs: 500, maxDelayMs: 30_000, maxRetryAfterMs: 120_000 };

/** The device the token request claims to be (Vaultwarden requires all three). */
export interface BitwardenDevice {
  /** Bitwarden DeviceType number: 25 Linux CLI, 23 Windows CLI, 24 macOS CLI. */
  type: number;
  /** Stable UUID of this installation. */
  identifier: string;
  /** Free text, e.g. `dirconn`. */
  name: string;
}

/** Constructor options of {@link BitwardenClient}. */
export interface BitwardenClientOptions {
  http: HttpClient;
  clock: Clock;
  logger: Logger;
  /** Resolved endpoints (see `resolveServerUrls`). */
  urls: { api: string; identity: string };
  /** Organization API key: `organization.<guid>` and its secret. */
  credentials: { clientId: string; clientSecret: Secret };
  device: BitwardenDevice;
  /** dirconn version, sent as `Bitwarden-Client-Version`. */
  clientVersion: string;
  /** Retry policy overrides (see {@link DEFAULT_RETRY}). */
  retry?: Partial<RetryOptions>;
  /** Jitter source in [0, 1). Default `Math.random`; tests inject a fixed value. */
  random?: () => number;
  /** Timeout of token and read requests in ms. Default 60000. */
  timeoutMs?: number;
  /** Timeout of the import request in ms (large imports take minutes on cloud). Default 600000. */
  importTimeoutMs?: number;
  /** Parallel `member-ids` reads in `readOrganization` (one per group). Default {@link DEFAULT_READ_CONCURRENCY}. */
  readConcurrency?: number;
}

/** Seats of a cloud organization (`GET /public/organization/subscription`). */
export interface OrgSubscription {
  /** Password Manager seats; null = unlimited. */
  seats: number | null;
  /** Autoscale ceiling; null = no limit. */
  maxAutoscaleSeats: number | null;
}

/** Request counters, for benches and run reports. */
export interface BitwardenClientStats {
  /** HTTP requests sent per route (`POST /connect/token`, `GET /public/groups/{id}/member-ids`, …), retries included. */
  requests: Record<string, number>;
  /** Requests repeated after a network error, 429 or 5xx. */
  retries: number;
  /** Time waited between attempts in ms (per the injected clock). */
  waitedMs: number;
}

/** Header `Bitwarden-Client-Name`. The reference sends `connector`; servers may key behaviour on it, so we do too. */
export const BITWARDEN_CLIENT_NAME = 'connector';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const RENEW_MARGIN_MS = 5 * 60_000;

/**
 * Parses the organization id out of an organization API key client id (`organization.<guid>`).
 * @throws DirconnError `config.invalid`
 */
export function parseOrganizationClientId(clientId: string): string {
  const trimmed = clientId.trim();
  const dot = trimmed.indexOf('.');
  const prefix = dot < 0 ? '' : trimmed.slice(0, dot);
  const id = dot < 0 ? '' : trimmed.slice(dot + 1);
  if (prefix !== 'organization' || !GUID.test(id)) {
    const shown = trimmed.length > 60 ? `${trimmed.slice(0, 60)}…` : trimmed;
    throw new DirconnError('config.invalid', `The Bitwarden client id must look like "organization.<organization id>", got "${shown}".`, {
      hint: 'Copy the client_id of the organization API key (Admin Console → Settings → Organization info → API key), not a personal API key.',
    });
  }
  return id.toLowerCase();
}

interface CachedToken {
  value: string;
  /** Epoch ms after which a new token is requested (5 minutes before expiry). */
  renewAt: number;
}

interface SendOptions {
  route: string;
  method: HttpRequest['method'];
  url: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
  signal: AbortSignal | undefined;
  /** What the request is, for messages ("the import"). */
  what: string;
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new DirconnError('cancelled', 'Cancelled.');
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

function systemCodeOf(error: unknown): string | null {
  if (DirconnError.is(error)) {
    const details = error.details;
    if (typeof details === 'object' && details !== null) {
      const code = (details as { systemCode?: unknown }).systemCode;
      if (typeof code === 'string') return code;
    }
    return null;
  }
  if (typeof error === 'object' && error !== null) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return null;
}

/** TLS/certificate failures are configuration problems: retrying cannot fix them. */
function isPermanentNetworkError(error: unknown): boolean {
  if (DirconnError.is(error)) {
    const kind = (error.details as { kind?: unknown } | undefined)?.kind;
    if (kind === 'tls') return true;
  }
  return false;
}

function decodeJwtExp(token: string): number | null {
  const payload = token.split('.')[1];
  if (payload === undefined) return null;
  try {
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(payload.length / 4) * 4, '='));
    const claims = JSON.parse(json) as unknown;
    const exp = typeof claims === 'object' && claims !== null ? (claims as { exp?: unknown }).exp : undefined;
    return typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 : null;
  } catch {
    return null;
  }
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const MEMBER_TYPES: readonly number[] = [0, 1, 2, 4];
const MEMBER_STATUSES: readonly number[] = [-1, 0, 1, 2, 3];

/**
 * Client of one organization on one Bitwarden server (official or Vaultwarden).
 *
 * Retries: network errors, 429 (honouring `Retry-After`) and 5xx are retried with bounded
 * exponential back-off and full jitter, up to `retry.maxAttempts` attempts per request.
 */
export class BitwardenClient {
  /** Organization id (lower-case GUID) from the client id. */
  readonly organizationId: string;
  /** Endpoints in use. */
  readonly urls: Readonly<{ api: string; identity: string }>;

  readonly #http: HttpClient;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #clientId: string;
  readonly #clientSecret: Secret;
  readonly #device: BitwardenDevice;
  readonly #clientVersion: string;
  readonly #retry: RetryOptions;
  readonly #random: () => number;
  readonly #timeoutMs: number;
  readonly #importTimeoutMs: number;
  readonly #readConcurrency: number;
  #token: CachedToken | null = null;
  #pendingToken: Promise<string> | null = null;
  readonly #stats: BitwardenClientStats = { requests: {}, retries: 0, waitedMs: 0 };

  /** @throws DirconnError `config.invalid` when the client id is not an organization API key id */
  constructor(options: BitwardenClientOptions) {
    this.organizationId = parseOrganizationClientId(options.credentials.clientId);
    this.urls = { api: options.urls.api.replace(/\/+$/, ''), identity: options.urls.identity.replace(/\/+$/, '') };
    this.#http = options.http;
    this.#clock = options.clock;
    this.#logger = options.logger;
    this.#clientId = options.credentials.clientId.trim();
    this.#clientSecret = options.credentials.clientSecret;
    this.#device = options.device;
    this.#clientVersion = options.clientVersion;
    this.#retry = { ...DEFAULT_RETRY, ...options.retry };
    if (this.#retry.maxAttempts < 1) this.#retry.maxAttempts = 1;
    this.#random = options.random ?? Math.random;
    this.#timeoutMs = options.timeoutMs ?? 60_000;
    this.#importTimeoutMs = options.importTimeoutMs ?? 600_000;
    this.#readConcurrency = Math.max(1, Math.floor(options.readConcurrency ?? DEFAULT_READ_CONCURRENCY));
  }

  /** A copy of the request counters. */
  stats(): BitwardenClientStats {
    return { requests: { ...this.#stats.requests }, retries: this.#stats.retries, waitedMs: this.#stats.waitedMs };
  }

  /** Forgets the cached access token; the next call logs in again. */
  clearToken(): void {
    this.#token = null;
  }

  /**
   * Returns a valid access token, requesting one with the client credentials when none is cached or
   * the cached one expires within 5 minutes (there is no refresh token). Concurrent callers share
   * one token request.
   *
   * @throws DirconnError `auth.bitwarden` (any 400/401 from the token endpoint), `bitwarden.throttled`,
   *   `bitwarden.unreachable`, `bitwarden.server-error`, `cancelled`
   */
  async getToken(signal?: AbortSignal): Promise<string> {
    throwIfAborted(signal);
    const cached = this.#token;
    if (cached !== null && this.#clock.now().getTime() < cached.renewAt) return cached.value;
    this.#pendingToken ??= this.#requestToken(signal).finally(() => {
      this.#pendingToken = null;
    });
    return this.#pendingToken;
  }

  /**
   * Sends one import request body (`ImportRequest` JSON) to `POST /public/organization/import`.
   * Resolves on HTTP 200. A 401 drops the token and retries once with a new one.
   *
   * The import is not idempotent in general, but it is convergent: posting the same body again
   * after a partial failure produces the same end state (bitwarden-api.md §4: every step is keyed by
   * externalId/email and re-applying it is a no-op). That is why a 5xx, a network error or a
   * timeout is retried here, as the spec asks, even though the server may have committed part of
   * the first attempt.
   *
   * @throws DirconnError `auth.bitwarden`, `bitwarden.rejected` (400/404/413/415/422; `details.errors`
   *   holds the raw validation map), `bitwarden.throttled`, `bitwarden.server-error`,
   *   `bitwarden.unreachable`, `cancelled`
   */
  async importOrganization(json: string, signal?: AbortSignal): Promise<void> {
    const route = 'POST /public/organization/import';
    const response = await this.#authorized(
      {
        route,
        method: 'POST',
        url: `${this.urls.api}/public/organization/import`,
        headers: { 'Content-Type': 'application/json' },
        body: json,
        timeoutMs: this.#importTimeoutMs,
        signal,
        what: 'the import',
      },
      signal,
    );
    if (response.status === 200) return;
    throw this.#importError(response);
  }

  /**
   * Reads the organization's members and groups (with member ids) for planning against the live
   * state. Returns null when the server cannot report it (404 on `/public/members`: Vaultwarden).
   *
   * @throws DirconnError as `importOrganization`, codes `auth.bitwarden`, `bitwarden.*`, `cancelled`
   */
  async readOrganization(signal?: AbortSignal): Promise<OrgSnapshot | null> {
    // Compact as it goes: the raw member list is dropped once mapped, and the member ids of the groups
    // (one read per group, `readConcurrency` at a time) reuse the members' id strings, so 500k
    // memberships cost 500k references rather than 500k new strings.
    const members = await this.#readMembers(signal);
    if (members === null) return null;
    const groupsBody = await this.#getJson('GET /public/groups', '/public/groups', signal);
    if (groupsBody === null) return null;
    const rawGroups = this.#listData(groupsBody, 'groups');
    const memberIds = new Map<string, string>();
    for (const member of members) memberIds.set(member.id, member.id);
    const groups = await this.#mapLimit(rawGroups, signal, async (raw, index, innerSignal): Promise<OrgGroup> => {
      if (!isRecord(raw) || typeof raw['id'] !== 'string' || typeof raw['name'] !== 'string') {
        throw this.#unexpected('groups', `entry ${index} is not a group`);
      }
      const id = raw['id'];
      const ids = await this.#getJson('GET /public/groups/{id}/member-ids', `/public/groups/${encodeURIComponent(id)}/member-ids`, innerSignal);
      if (ids !== null && (!Array.isArray(ids) || ids.some((value) => typeof value !== 'string'))) {
        throw this.#unexpected('group member ids', `group ${id} did not return a list of ids`);
      }
      const externalId = typeof raw['externalId'] === 'string' && raw['externalId'].trim() !== '' ? raw['externalId'] : null;
      // A group deleted between the two reads answers 404: treat it as empty.
      return { id, name: raw['name'], externalId, memberIds: ids === null ? [] : (ids as string[]).map((value) => memberIds.get(value) ?? value) };
    });
    return { members, groups };
  }

  /** `GET /public/members`, mapped to OrgMember (null on 404). */
  async #readMembers(signal: AbortSignal | undefined): Promise<OrgMember[] | null> {
    const body = await this.#getJson('GET /public/members', '/public/members', signal);
    if (body === null) return null;
    return this.#listData(body, 'members').map((raw, index) => this.#toMember(raw, index));
  }

  /**
   * Seats of a cloud organization. Null when the server does not report them (400 on self-hosted,
   * 404 on Vaultwarden).
   */
  async readSubscription(signal?: AbortSignal): Promise<OrgSubscription | null> {
    const route = 'GET /public/organization/subscription';
    const response = await this.#authorized(this.#getOptions(route, '/public/organization/subscription', signal), signal);
    if (response.status === 400 || response.status === 404) return null;
    if (response.status !== 200) throw this.#readError(response, route);
    const body = parseJson(response.body);
    const pm = isRecord(body) ? body['passwordManager'] : undefined;
    if (!isRecord(pm)) throw this.#unexpected('subscription', 'no passwordManager object');
    const num = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);
    return { seats: num(pm['seats']), maxAutoscaleSeats: num(pm['maxAutoScaleSeats']) };
  }

  // ---------------------------------------------------------------------------------------------
  // Token

  async #requestToken(signal: AbortSignal | undefined): Promise<string> {
    const form = new URLSearchParams();
    form.set('grant_type', 'client_credentials');
    form.set('scope', 'api.organization');
    form.set('client_id', this.#clientId);
    form.set('client_secret', this.#clientSecret.reveal());
    form.set('deviceType', String(this.#device.type));
    form.set('deviceIdentifier', this.#device.identifier);
    form.set('deviceName', this.#device.name);
    const response = await this.#send({
      route: 'POST /connect/token',
      method: 'POST',
      url: `${this.urls.identity}/connect/token`,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
      timeoutMs: this.#timeoutMs,
      signal,
      what: 'the login (token request)',
    });
    if (response.status === 400 || response.status === 401) {
      const { text } = describeErrorBody(response.body);
      throw new DirconnError('auth.bitwarden', `Bitwarden refused the organization API key: ${text}`, {
        hint: 'Check the organization API key (client id and secret) with `dirconn login`. The organization must be enabled and its plan must include API access.',
        details: { status: response.status },
      });
    }
    if (response.status !== 200) {
      const { text } = describeErrorBody(response.body);
      throw new DirconnError('bitwarden.server-error', `Unexpected answer from the Bitwarden token endpoint at ${hostOf(this.urls.identity)}: HTTP ${response.status}, ${text}`, {
        hint: 'Check that server.identity (or server) points at the Bitwarden identity service.',
        details: { status: response.status },
      });
    }
    const body = parseJson(response.body);
    const accessToken = isRecord(body) ? body['access_token'] : undefined;
    if (typeof accessToken !== 'string' || accessToken === '') {
      throw new DirconnError('bitwarden.server-error', `The Bitwarden token endpoint at ${hostOf(this.urls.identity)} answered 200 without an access token.`, {
        hint: 'Check that server.identity (or server) points at the Bitwarden identity service.',
      });
    }
    const now = this.#clock.now().getTime();
    const expiresIn = isRecord(body) && typeof body['expires_in'] === 'number' && body['expires_in'] > 0 ? body['expires_in'] * 1000 : null;
    const candidates = [expiresIn === null ? null : now + expiresIn, decodeJwtExp(accessToken)].filter((v): v is number => v !== null);
    const expiresAt = candidates.length > 0 ? Math.min(...candidates) : now + 3600_000;
    const lifetime = Math.max(0, expiresAt - now);
    const renewAt = expiresAt - Math.min(RENEW_MARGIN_MS, lifetime / 2);
    this.#token = { value: accessToken, renewAt };
    this.#logger.debug('bitwarden: new access token', { expiresInSeconds: Math.round(lifetime / 1000) });
    return accessToken;
  }

  // ---------------------------------------------------------------------------------------------
  // Requests

  #commonHeaders(): Record<string, string> {
    return {
      Accept: 'application/json',
      'Device-Type': String(this.#device.type),
      'Bitwarden-Client-Name': BITWARDEN_CLIENT_NAME,
      'Bitwarden-Client-Version': this.#clientVersion,
      'User-Agent': `dirconn/${this.#clientVersion}`,
    };
  }

  #getOptions(route: string, path: string, signal: AbortSignal | undefined): SendOptions {
    return { route, method: 'GET', url: `${this.urls.api}${path}`, headers: {}, timeoutMs: this.#timeoutMs, signal, what: `the read ${route}` };
  }

  /** GET with auth; 404 → null; other non-200 → error. */
  async #getJson(route: string, path: string, signal: AbortSignal | undefined): Promise<unknown> {
    const response = await this.#authorized(this.#getOptions(route, path, signal), signal);
    if (response.status === 404) {
      this.#logger.debug('bitwarden: read endpoint not available', { route });
      return null;
    }
    if (response.status !== 200) throw this.#readError(response, route);
    const body = parseJson(response.body);
    if (body === undefined) throw this.#unexpected(route, 'the body is not JSON');
    return body;
  }

  /** Sends with a bearer token; on 401 drops the token and tries once more with a new one. */
  async #authorized(options: SendOptions, signal: AbortSignal | undefined): Promise<HttpResponse> {
    let token = await this.getToken(signal);
    let response = await this.#send({ ...options, headers: { ...options.headers, Authorization: `Bearer ${token}` } });
    if (response.status === 401) {
      this.#logger.info('bitwarden: access token refused (401), logging in again', { route: options.route });
      if (this.#token?.value === token) this.#token = null;
      token = await this.getToken(signal);
      response = await this.#send({ ...options, headers: { ...options.headers, Authorization: `Bearer ${token}` } });
    }
    if (response.status === 401 || response.status === 403) {
      if (response.status === 401 && this.#token?.value === token) this.#token = null;
      const { text } = describeErrorBody(response.body);
      throw new DirconnError(
        'auth.bitwarden',
        `Bitwarden refused the organization's access token for ${options.route} (HTTP ${response.status}${text === '(empty body)' ? '' : `, ${text}`}).`,
        {
          hint:
            response.status === 403
              ? 'The token lacks the api.organization scope: use the organization API key, not a personal one (`dirconn login`).'
              : 'Log in again with `dirconn login`; if the API key was rotated, use the new one.',
          details: { status: response.status },
        },
      );
    }
    return response;
  }

  /**
   * One logical request: retries network errors, 429 and 5xx. Returns the response for every other
   * status; throws `bitwarden.throttled` / `bitwarden.server-error` / `bitwarden.unreachable` once the
   * attempts are used up.
   */
  async #send(options: SendOptions): Promise<HttpResponse> {
    const { maxAttempts } = this.#retry;
    const host = hostOf(options.url);
    for (let attempt = 1; ; attempt++) {
      throwIfAborted(options.signal);
      this.#stats.requests[options.route] = (this.#stats.requests[options.route] ?? 0) + 1;
      const request: HttpRequest = {
        method: options.method,
        url: options.url,
        headers: { ...this.#commonHeaders(), ...options.headers },
        timeoutMs: options.timeoutMs,
      };
      if (options.body !== undefined) request.body = options.body;
      if (options.signal !== undefined) request.signal = options.signal;
      const started = this.#clock.now().getTime();
      let response: HttpResponse;
      try {
        response = await this.#http.send(request);
      } catch (error) {
        if (options.signal?.aborted || (DirconnError.is(error) && error.code === 'cancelled')) {
          throw new DirconnError('cancelled', 'Cancelled.', { cause: error });
        }
        // The adapter's own errors other than "unreachable" (bad proxy setting, oversized response…)
        // are not network trouble: pass them through unchanged.
        if (DirconnError.is(error) && error.code !== 'bitwarden.unreachable' && error.code !== 'provider.unreachable' && !isPermanentNetworkError(error)) throw error;
        const systemCode = systemCodeOf(error);
        this.#logger.warn('bitwarden: request failed', { route: options.route, host, attempt, error: systemCode ?? 'network error' });
        if (isPermanentNetworkError(error) || attempt >= maxAttempts) throw this.#unreachable(error, host, attempt, systemCode);
        await this.#wait(this.#backoff(attempt), options);
        continue;
      }
      this.#logger.debug('bitwarden: response', { route: options.route, status: response.status, ms: this.#clock.now().getTime() - started });

      if (response.status === 429) {
        const retryAfter = this.#retryAfterMs(response);
        if (attempt >= maxAttempts || (retryAfter !== null && retryAfter > this.#retry.maxRetryAfterMs)) {
          throw this.#throttled(response, options, attempt, retryAfter);
        }
        const delay = retryAfter ?? this.#backoff(attempt);
        this.#logger.warn('bitwarden: rate limited (429), waiting', { route: options.route, attempt, delayMs: delay });
        await this.#wait(delay, options);
        continue;
      }
      if (response.status >= 500) {
        if (attempt >= maxAttempts) throw this.#serverError(response, options, attempt);
        const retryAfter = response.status === 503 ? this.#retryAfterMs(response) : null;
        const delay = retryAfter !== null && retryAfter <= this.#retry.maxRetryAfterMs ? retryAfter : this.#backoff(attempt);
        this.#logger.warn('bitwarden: server error, retrying', { route: options.route, status: response.status, attempt, delayMs: delay });
        await this.#wait(delay, options);
        continue;
      }
      return response;
    }
  }

  async #wait(ms: number, options: SendOptions): Promise<void> {
    this.#stats.retries++;
    this.#stats.waitedMs += ms;
    try {
      await this.#clock.sleep(ms, options.signal);
    } catch (error) {
      throw new DirconnError('cancelled', 'Cancelled.', { cause: error });
    }
    throwIfAborted(options.signal);
  }

  /** Full jitter: uniform in [0, min(maxDelay, base · 2^(attempt−1))). */
  #backoff(attempt: number): number {
    const ceiling = Math.min(this.#retry.maxDelayMs, this.#retry.baseDelayMs * 2 ** (attempt - 1));
    const r = Math.min(Math.max(this.#random(), 0), 1);
    return Math.floor(r * ceiling);
  }

  /** `Retry-After` as ms from now: delta seconds or an HTTP date; null when absent or unreadable. */
  #retryAfterMs(response: HttpResponse): number | null {
    const raw = response.headers['retry-after']?.trim();
    if (raw === undefined || raw === '') return null;
    if (/^\d+(\.\d+)?$/.test(raw)) return Math.round(Number(raw) * 1000);
    const date = Date.parse(raw);
    if (Number.isNaN(date)) return null;
    return Math.max(0, date - this.#clock.now().getTime());
  }

  // ---------------------------------------------------------------------------------------------
  // Errors

  #unreachable(error: unknown, host: string, attempts: number, systemCode: string | null): DirconnError {
    const original = DirconnError.is(error) ? error : null;
    const reason = systemCode ?? (original?.message ?? 'network error');
    return new DirconnError('bitwarden.unreachable', `Cannot reach the Bitwarden server at ${host} (${reason}) after ${attempts} attempt${attempts === 1 ? '' : 's'}.`, {
      hint: original?.hint ?? 'Check the server URL, the network and the proxy settings (HTTPS_PROXY, NO_PROXY).',
      cause: error,
      details: { host, systemCode, attempts },
    });
  }

  #throttled(response: HttpResponse, options: SendOptions, attempts: number, retryAfter: number | null): DirconnError {
    const { text } = describeErrorBody(response.body);
    const wait = retryAfter === null ? '' : ` The server asks to wait ${Math.ceil(retryAfter / 1000)} s.`;
    return new DirconnError('bitwarden.throttled', `Bitwarden rate-limited ${options.what} (HTTP 429 after ${attempts} attempt${attempts === 1 ? '' : 's'}): ${text}${wait}`, {
      hint:
        options.route === 'POST /connect/token'
          ? 'Bitwarden cloud allows 10 token requests per minute per IP address; wait a minute and run again.'
          : 'Wait a few minutes and run again; avoid running several syncs from the same address at once.',
      details: { status: 429, retryAfterMs: retryAfter, attempts },
    });
  }

  #serverError(response: HttpResponse, options: SendOptions, attempts: number): DirconnError {
    const { text } = describeErrorBody(response.body);
    let hint = 'The Bitwarden server (or a proxy in front of it) failed; try again later and check the server logs when self-hosted.';
    if (options.route === 'POST /public/organization/import' && response.status === 500) {
      hint =
        'The server may have applied part of the import before failing. A common cause is duplicate emails or externalIds among the organization\'s existing members or groups (the server answers those with a bare 500): check the organization in the Admin Console. Running the sync again is safe.';
    } else if (response.status === 502 || response.status === 503 || response.status === 504) {
      hint = 'The Bitwarden server or a proxy in front of it is unavailable or timed out; try again later.';
    }
    return new DirconnError('bitwarden.server-error', `Bitwarden answered ${options.what} with HTTP ${response.status} after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${text}`, {
      hint,
      details: { status: response.status, attempts },
    });
  }

  #importError(response: HttpResponse): DirconnError {
    const { text, errors } = describeErrorBody(response.body);
    const details = { status: response.status, errors };
    let code: ErrorCode = 'bitwarden.rejected';
    let message = `Bitwarden rejected the import (HTTP ${response.status}): ${text}`;
    let hint: string | undefined;
    switch (response.status) {
      case 400:
        if (errors !== null) hint = 'Members[i] and Groups[i] are positions in the request sent; see the run report for who they are.';
        break;
      case 404:
        message = `Bitwarden organization ${this.organizationId} was not found at ${hostOf(this.urls.api)} (HTTP 404 on the import).`;
        hint = 'Check the server URL (server.api) and that the organization API key belongs to an existing organization.';
        break;
      case 413:
        message = `The import request is too large for the server (HTTP 413, ${text}).`;
        hint = 'Enable sync.largeImport to send the import in batches of 2000; a self-hosted proxy may also limit the body size.';
        break;
      case 415:
        hint = 'This is a bug in dirconn (wrong Content-Type); please report it.';
        break;
      case 422:
        message = `The server could not process the import (HTTP 422): ${text}`;
        hint = 'Vaultwarden needs every field with its exact type; this is likely a bug in dirconn, please report it.';
        break;
      default:
        code = response.status >= 200 && response.status < 300 ? 'bitwarden.server-error' : 'bitwarden.rejected';
        message = `Unexpected answer to the import: HTTP ${response.status}, ${text}`;
    }
    return new DirconnError(code, message, hint === undefined ? { details } : { hint, details });
  }

  #readError(response: HttpResponse, route: string): DirconnError {
    const { text } = describeErrorBody(response.body);
    return new DirconnError('bitwarden.rejected', `Bitwarden refused ${route} (HTTP ${response.status}): ${text}`, { details: { status: response.status } });
  }

  #unexpected(what: string, why: string): DirconnError {
    return new DirconnError('bitwarden.server-error', `Unexpected ${what} response from the Bitwarden server at ${hostOf(this.urls.api)}: ${why}.`, {
      hint: 'Check that server.api (or server) points at a Bitwarden or Vaultwarden server.',
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Reads

  #listData(body: unknown, what: string): unknown[] {
    const data = isRecord(body) ? body['data'] : undefined;
    if (!Array.isArray(data)) throw this.#unexpected(what, 'no data list');
    return data;
  }

  #toMember(raw: unknown, index: number): OrgMember {
    if (!isRecord(raw) || typeof raw['id'] !== 'string') throw this.#unexpected('members', `entry ${index} is not a member`);
    const type = raw['type'];
    const status = raw['status'];
    if (typeof type !== 'number' || !MEMBER_TYPES.includes(type)) throw this.#unexpected('members', `member ${raw['id']} has an unknown type`);
    if (typeof status !== 'number' || !MEMBER_STATUSES.includes(status)) throw this.#unexpected('members', `member ${raw['id']} has an unknown status`);
    const externalId = typeof raw['externalId'] === 'string' && raw['externalId'].trim() !== '' ? raw['externalId'] : null;
    return {
      id: raw['id'],
      email: typeof raw['email'] === 'string' ? raw['email'] : '',
      externalId,
      type: type as MemberType,
      status: status as MemberStatus,
      name: typeof raw['name'] === 'string' ? raw['name'] : null,
    };
  }

  /** Maps with at most `readConcurrency` calls in flight; the first failure cancels the rest. */
  async #mapLimit<T, R>(
    items: readonly T[],
    signal: AbortSignal | undefined,
    fn: (item: T, index: number, signal: AbortSignal) => Promise<R>,
  ): Promise<R[]> {
    const results = new Array<R>(items.length);
    const inner = new AbortController();
    const onAbort = (): void => inner.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    let next = 0;
    let failure: { error: unknown } | null = null;
    const worker = async (): Promise<void> => {
      while (failure === null && next < items.length) {
        const index = next++;
        try {
          results[index] = await fn(items[index] as T, index, inner.signal);
        } catch (error) {
          failure ??= { error };
          inner.abort();
        }
      }
    };
    try {
      await Promise.all(Array.from({ length: Math.min(this.#readConcurrency, items.length) }, () => worker()));
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
    throwIfAborted(signal);
    if (failure !== null) throw (failure as { error: unknown }).error;
    return results;
  }
}
