/**
 * Organization API key login (bitwarden-api.md §2): the client-credentials token request, the
 * cached access token and when to renew it. There is no refresh token: a new token is requested
 * with the client credentials. The secret is revealed only into the form body.
 */
import { DirconnError } from '../errors.js';
import type { Clock, Logger } from '../ports.js';
import type { Secret } from '../secret.js';
import type { Transport } from '../http/retrying-transport.js';
import { hostOf, parseJsonOrUndefined, throwIfAborted } from '../http/http-helpers.js';
import { describeErrorBody, isRecord } from './error-body.js';
import { TOKEN_ROUTE } from './bitwarden-transport.js';

/** The device the token request claims to be (Vaultwarden requires all three). */
export interface BitwardenDevice {
  /** Bitwarden DeviceType number: 25 Linux CLI, 23 Windows CLI, 24 macOS CLI. */
  type: number;
  /** Stable UUID of this installation. */
  identifier: string;
  /** Free text, e.g. `dirconn`. */
  name: string;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Renew this long before expiry (at most half the token's lifetime). */
const RENEW_MARGIN_MS = 5 * 60_000;
/** Assumed lifetime when the server states none. */
const DEFAULT_LIFETIME_MS = 3600_000;

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

/** The `exp` claim of a JWT in epoch ms, or null when the token is not a readable JWT. */
export function decodeJwtExp(token: string): number | null {
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

/** Constructor options of {@link BitwardenTokenSource}. */
export interface BitwardenTokenSourceOptions {
  transport: Transport;
  clock: Clock;
  logger: Logger;
  /** Identity base URL, without a trailing slash. */
  identityUrl: string;
  /** Organization API key: `organization.<guid>` and its secret. */
  credentials: { clientId: string; clientSecret: Secret };
  device: BitwardenDevice;
  /** Timeout of the token request in ms. */
  timeoutMs: number;
}

interface CachedToken {
  value: string;
  /** Epoch ms after which a new token is requested (5 minutes before expiry). */
  renewAt: number;
}

/** Hands out a valid access token, logging in with the client credentials when needed. */
export class BitwardenTokenSource {
  readonly #transport: Transport;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #identityUrl: string;
  readonly #clientId: string;
  readonly #clientSecret: Secret;
  readonly #device: BitwardenDevice;
  readonly #timeoutMs: number;
  #token: CachedToken | null = null;
  #pending: Promise<string> | null = null;

  constructor(options: BitwardenTokenSourceOptions) {
    this.#transport = options.transport;
    this.#clock = options.clock;
    this.#logger = options.logger;
    this.#identityUrl = options.identityUrl;
    this.#clientId = options.credentials.clientId.trim();
    this.#clientSecret = options.credentials.clientSecret;
    this.#device = options.device;
    this.#timeoutMs = options.timeoutMs;
  }

  /** Forgets the cached token; the next call logs in again. */
  clear(): void {
    this.#token = null;
  }

  /** Forgets the cached token if it is `token` (the server refused it); a newer one is kept. */
  discard(token: string): void {
    if (this.#token?.value === token) this.#token = null;
  }

  /**
   * A valid access token: the cached one unless it expires within the renew margin; concurrent
   * callers share one token request.
   */
  async get(signal?: AbortSignal): Promise<string> {
    throwIfAborted(signal);
    const cached = this.#token;
    if (cached !== null && this.#clock.now().getTime() < cached.renewAt) return cached.value;
    this.#pending ??= this.#request(signal).finally(() => {
      this.#pending = null;
    });
    return this.#pending;
  }

  async #request(signal: AbortSignal | undefined): Promise<string> {
    const form = new URLSearchParams();
    form.set('grant_type', 'client_credentials');
    form.set('scope', 'api.organization');
    form.set('client_id', this.#clientId);
    form.set('client_secret', this.#clientSecret.reveal());
    form.set('deviceType', String(this.#device.type));
    form.set('deviceIdentifier', this.#device.identifier);
    form.set('deviceName', this.#device.name);
    const response = await this.#transport.send(
      {
        method: 'POST',
        url: `${this.#identityUrl}/connect/token`,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: form.toString(),
        timeoutMs: this.#timeoutMs,
        ...(signal === undefined ? {} : { signal }),
      },
      { route: TOKEN_ROUTE, what: 'the login (token request)' },
    );
    if (response.status === 400 || response.status === 401) {
      const { text } = describeErrorBody(response.body);
      throw new DirconnError('auth.bitwarden', `Bitwarden refused the organization API key: ${text}`, {
        hint: 'Check the organization API key (client id and secret) with `dirconn login`. The organization must be enabled and its plan must include API access.',
        details: { status: response.status },
      });
    }
    if (response.status !== 200) {
      const { text } = describeErrorBody(response.body);
      throw new DirconnError('bitwarden.server-error', `Unexpected answer from the Bitwarden token endpoint at ${hostOf(this.#identityUrl)}: HTTP ${response.status}, ${text}`, {
        hint: 'Check that server.identity (or server) points at the Bitwarden identity service.',
        details: { status: response.status },
      });
    }
    const body = parseJsonOrUndefined(response.body);
    const accessToken = isRecord(body) ? body['access_token'] : undefined;
    if (typeof accessToken !== 'string' || accessToken === '') {
      throw new DirconnError('bitwarden.server-error', `The Bitwarden token endpoint at ${hostOf(this.#identityUrl)} answered 200 without an access token.`, {
        hint: 'Check that server.identity (or server) points at the Bitwarden identity service.',
      });
    }
    const now = this.#clock.now().getTime();
    const expiresIn = isRecord(body) && typeof body['expires_in'] === 'number' && body['expires_in'] > 0 ? body['expires_in'] * 1000 : null;
    const candidates = [expiresIn === null ? null : now + expiresIn, decodeJwtExp(accessToken)].filter((v): v is number => v !== null);
    const expiresAt = candidates.length > 0 ? Math.min(...candidates) : now + DEFAULT_LIFETIME_MS;
    const lifetime = Math.max(0, expiresAt - now);
    const renewAt = expiresAt - Math.min(RENEW_MARGIN_MS, lifetime / 2);
    this.#token = { value: accessToken, renewAt };
    this.#logger.debug('bitwarden: new access token', { expiresInSeconds: Math.round(lifetime / 1000) });
    return accessToken;
  }
}
