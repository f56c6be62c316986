/**
 * Service-account authentication with domain-wide delegation (directory-apis.md §3.1): a JWT signed
 * RS256 with the service account's private key (`iss` = client email, `sub` = the delegated admin,
 * `scope` = the three read-only scopes, `aud` = the token URL, one hour), exchanged at the token
 * endpoint for an access token (the JWT-bearer grant, RFC 7523) through the shared retrying
 * transport, and reused until shortly before it expires.
 *
 * Why not google-auth-library's JWT client: it posts to, and signs `aud` for, a fixed
 * `https://oauth2.googleapis.com/token` (so `google.tokenUrl` and a key file's `token_uri` could not
 * be honoured), and its HTTP layer (gaxios) retries on its own timers, outside the injected clock, the
 * proxy/CA-aware HttpClient and the run's wait budget. The grant itself is a dozen lines.
 */
import { createPrivateKey, createSign, type KeyObject } from 'node:crypto';
import { DirconnError } from '@dirconn/core';
import type { Clock, Transport } from '@dirconn/core';
import { clientEmailInSecret, GOOGLE_TOKEN_URL, normalizePrivateKey, readServiceAccountKey, type GoogleConfig, type ServiceAccountKey } from './google.config.js';
import { tokenFailure } from './google.errors.js';

/** The read-only scopes dirconn needs; admins grant exactly these to the service account's client id. */
export const GOOGLE_SCOPES = [
  'https://www.googleapis.com/auth/admin.directory.user.readonly',
  'https://www.googleapis.com/auth/admin.directory.group.readonly',
  'https://www.googleapis.com/auth/admin.directory.group.member.readonly',
] as const;

/** A fresh token is fetched when the current one has less than this left (ms). */
const REFRESH_MARGIN_MS = 5 * 60_000;

/** What the token request needs. */
export interface GoogleCredentials {
  clientEmail: string;
  /** Parsed private key (never printed). */
  key: KeyObject;
  tokenUrl: string;
  adminUser: string;
}

/**
 * Resolves the credentials: the key file (when set) wins and is read at each run, so replacing the
 * file rotates the key; otherwise `clientEmail` and the secret (a PEM, or a whole key file).
 * @throws config.invalid (missing or unusable key; messages never contain the key)
 */
export function resolveCredentials(config: GoogleConfig, secret: string | null, readKey: (path: string) => ServiceAccountKey = (p) => readServiceAccountKey(p)): GoogleCredentials {
  const file = config.keyFile?.trim() ? readKey(config.keyFile.trim()) : null;
  const pem = file?.privateKey ?? (secret !== null && secret.trim() !== '' ? normalizePrivateKey(secret) : null);
  const clientEmail = config.clientEmail?.trim() || file?.clientEmail || clientEmailInSecret(secret);
  const adminUser = config.adminUser?.trim();
  if (pem === null) throw new DirconnError('config.incomplete', 'The Google service-account private key is not set.', { hint: 'Set google.keyFile, or give the key with "dirconn config google.privateKey --secretfile <pem>" or DIRCONN_GOOGLE_PRIVATE_KEY_FILE.' });
  if (!clientEmail) throw new DirconnError('config.incomplete', 'google.clientEmail is not set.', { hint: 'Set google.keyFile, or "dirconn config google.clientEmail <service account email>".' });
  if (!adminUser) throw new DirconnError('config.incomplete', 'google.adminUser is not set.', { hint: 'Set the administrator the service account acts as: "dirconn config google.adminUser admin@example.com".' });
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    throw new DirconnError('config.invalid', `The Google private key${file ? ` in ${config.keyFile ?? ''}` : ' (google.privateKey)'} is not a valid PEM private key.`, {
      hint: 'Use the private_key of the service account\'s JSON key file (or set google.keyFile to that file).',
    });
  }
  return { clientEmail, key, tokenUrl: config.tokenUrl?.trim() || file?.tokenUri || GOOGLE_TOKEN_URL, adminUser };
}

/** The signed JWT-bearer assertion for `credentials` at `nowMs`. */
export function signAssertion(credentials: GoogleCredentials, nowMs: number): string {
  const iat = Math.floor(nowMs / 1000);
  const segment = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${segment({ alg: 'RS256', typ: 'JWT' })}.${segment({ iss: credentials.clientEmail, sub: credentials.adminUser, scope: GOOGLE_SCOPES.join(' '), aud: credentials.tokenUrl, iat, exp: iat + 3600 })}`;
  const signature = createSign('RSA-SHA256').update(unsigned).sign(credentials.key).toString('base64url');
  return `${unsigned}.${signature}`;
}

/** Fetches and caches access tokens. */
export class GoogleTokenSource {
  #token: { value: string; expiresAt: number } | null = null;
  /** The token request under way, shared by concurrent callers (member lists are read in parallel). */
  #pending: Promise<string> | null = null;
  /** Token requests sent (for stats). */
  requests = 0;

  constructor(
    private readonly credentials: GoogleCredentials,
    private readonly transport: Transport,
    private readonly clock: Clock,
  ) {}

  /** A valid access token; fetches one when none is cached or it is about to expire. */
  async token(signal?: AbortSignal): Promise<string> {
    const now = this.clock.now().getTime();
    if (this.#token && this.#token.expiresAt - REFRESH_MARGIN_MS > now) return this.#token.value;
    this.#pending ??= this.#fetch(now, signal).finally(() => {
      this.#pending = null;
    });
    return this.#pending;
  }

  async #fetch(now: number, signal?: AbortSignal): Promise<string> {
    this.requests++;
    const body = new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: signAssertion(this.credentials, now) }).toString();
    const response = await this.transport.send(
      { method: 'POST', url: this.credentials.tokenUrl, headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, body, ...(signal ? { signal } : {}) },
      { route: 'POST /token', what: 'the access token' },
    );
    if (response.status !== 200) throw tokenFailure(response, this.credentials);
    let parsed: { access_token?: unknown; expires_in?: unknown };
    try {
      parsed = JSON.parse(response.body) as typeof parsed;
    } catch {
      throw new DirconnError('provider.error', `The Google token endpoint ${new URL(this.credentials.tokenUrl).host} answered with something other than JSON.`, { hint: 'Check google.tokenUrl (and any proxy in between).' });
    }
    if (typeof parsed.access_token !== 'string' || parsed.access_token === '') {
      throw new DirconnError('provider.error', 'The Google token endpoint answered without an access token.', { hint: 'Check google.tokenUrl.' });
    }
    const lifetime = typeof parsed.expires_in === 'number' && parsed.expires_in > 0 ? parsed.expires_in : 3600;
    this.#token = { value: parsed.access_token, expiresAt: now + lifetime * 1000 };
    return parsed.access_token;
  }

  /** Forgets the cached token (after a 401). */
  invalidate(): void {
    this.#token = null;
  }
}
