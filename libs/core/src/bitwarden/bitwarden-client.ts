/**
 * The Bitwarden public-API client (bitwarden-api.md §2–§5): organization API key login, the
 * directory import, and the read endpoints used to plan against the live organization.
 *
 * A thin facade over its parts: the shared retrying transport (`bitwarden-transport.ts`), the token
 * source (`bitwarden-token.ts`), authorized requests (`bitwarden-api.ts`), the organization reader
 * and the import. Pure: all I/O goes through the injected HttpClient, Clock and Logger, so every
 * retry and wait is deterministic under test. Never logs or throws a secret: the API key is a
 * `Secret` and the access token stays inside the token source.
 */
import type { Clock, HttpClient, Logger } from '../ports.js';
import type { OrgSnapshot } from '../model/organization.js';
import type { Secret } from '../secret.js';
import type { RetryingTransport } from '../http/retrying-transport.js';
import { BitwardenApi } from './bitwarden-api.js';
import { BitwardenTokenSource, parseOrganizationClientId } from './bitwarden-token.js';
import type { BitwardenDevice } from './bitwarden-token.js';
import { DEFAULT_RETRY, createBitwardenTransport } from './bitwarden-transport.js';
import type { RetryOptions } from './bitwarden-transport.js';
import { postImport } from './organization-import.js';
import { DEFAULT_READ_CONCURRENCY, OrganizationReader } from './organization-reader.js';
import type { OrgSubscription } from './organization-reader.js';

export { BITWARDEN_CLIENT_NAME, DEFAULT_RETRY } from './bitwarden-transport.js';
export type { RetryOptions } from './bitwarden-transport.js';
export { parseOrganizationClientId } from './bitwarden-token.js';
export type { BitwardenDevice } from './bitwarden-token.js';
export { DEFAULT_READ_CONCURRENCY } from './organization-reader.js';
export type { OrgSubscription } from './organization-reader.js';

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

/** Request counters, for benches and run reports. */
export interface BitwardenClientStats {
  /** HTTP requests sent per route (`POST /connect/token`, `GET /public/groups/{id}/member-ids`, …), retries included. */
  requests: Record<string, number>;
  /** Requests repeated after a network error, 429 or 5xx. */
  retries: number;
  /** Time waited between attempts in ms (per the injected clock). */
  waitedMs: number;
}

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

  readonly #transport: RetryingTransport;
  readonly #tokens: BitwardenTokenSource;
  readonly #api: BitwardenApi;
  readonly #reader: OrganizationReader;
  readonly #importTimeoutMs: number;

  /** @throws DirconnError `config.invalid` when the client id is not an organization API key id */
  constructor(options: BitwardenClientOptions) {
    this.organizationId = parseOrganizationClientId(options.credentials.clientId);
    this.urls = { api: options.urls.api.replace(/\/+$/, ''), identity: options.urls.identity.replace(/\/+$/, '') };
    const timeoutMs = options.timeoutMs ?? 60_000;
    this.#importTimeoutMs = options.importTimeoutMs ?? 600_000;
    this.#transport = createBitwardenTransport({
      http: options.http,
      clock: options.clock,
      logger: options.logger,
      deviceType: options.device.type,
      clientVersion: options.clientVersion,
      retry: { ...DEFAULT_RETRY, ...options.retry },
      random: options.random ?? Math.random,
      timeoutMs,
    });
    this.#tokens = new BitwardenTokenSource({
      transport: this.#transport,
      clock: options.clock,
      logger: options.logger,
      identityUrl: this.urls.identity,
      credentials: options.credentials,
      device: options.device,
      timeoutMs,
    });
    this.#api = new BitwardenApi({ transport: this.#transport, tokens: this.#tokens, logger: options.logger, apiUrl: this.urls.api, timeoutMs });
    this.#reader = new OrganizationReader(this.#api, options.readConcurrency ?? DEFAULT_READ_CONCURRENCY);
  }

  /** A copy of the request counters. */
  stats(): BitwardenClientStats {
    const { requests, retries, waitedMs } = this.#transport.stats();
    return { requests, retries, waitedMs };
  }

  /** Forgets the cached access token; the next call logs in again. */
  clearToken(): void {
    this.#tokens.clear();
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
    return this.#tokens.get(signal);
  }

  /**
   * Sends one import request body (`ImportRequest` JSON) to `POST /public/organization/import`.
   * Resolves on HTTP 200. A 401 drops the token and retries once with a new one. Retried on 5xx,
   * network errors and timeouts because the import is convergent (see `postImport`).
   *
   * @throws DirconnError `auth.bitwarden`, `bitwarden.rejected` (400/404/413/415/422; `details.errors`
   *   holds the raw validation map), `bitwarden.throttled`, `bitwarden.server-error`,
   *   `bitwarden.unreachable`, `cancelled`
   */
  async importOrganization(json: string, signal?: AbortSignal): Promise<void> {
    await postImport(this.#api, this.organizationId, json, this.#importTimeoutMs, signal);
  }

  /**
   * Reads the organization's members and groups (with member ids) for planning against the live
   * state. Returns null when the server cannot report it (404 on `/public/members`: Vaultwarden).
   *
   * @throws DirconnError as `importOrganization`, codes `auth.bitwarden`, `bitwarden.*`, `cancelled`
   */
  async readOrganization(signal?: AbortSignal, options: { groupMembers?: 'all' | 'none' } = {}): Promise<OrgSnapshot | null> {
    return this.#reader.readOrganization(signal, options);
  }

  /** `org` with the member ids of the groups `groupIds` read (see OrganizationReader.readGroupMembers). */
  async readGroupMembers(org: OrgSnapshot, groupIds: readonly string[], signal?: AbortSignal): Promise<OrgSnapshot> {
    return this.#reader.readGroupMembers(org, groupIds, signal);
  }

  /**
   * Seats of a cloud organization. Null when the server does not report them (400 on self-hosted,
   * 404 on Vaultwarden).
   */
  async readSubscription(signal?: AbortSignal): Promise<OrgSubscription | null> {
    return this.#reader.readSubscription(signal);
  }
}
