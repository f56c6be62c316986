/**
 * How dirconn authenticates to Okta (directory-apis.md §4.1): an API token sent as
 * `Authorization: SSWS <token>` (the reference's way), or an OAuth 2.0 service app that signs a
 * client-assertion JWT (RS256) with its private key and gets a Bearer token for the scopes
 * `okta.users.read okta.groups.read` from the org authorization server (`/oauth2/v1/token`). The
 * Bearer token is reused until a minute before it expires and dropped after a 401.
 */
import { createPrivateKey, createSign, randomUUID, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { DirconnError } from '@dirconn/core';
import type { Clock, Transport } from '@dirconn/core';
import { OKTA_OAUTH_SCOPES, orgBase, usesOAuth, type OktaConfig } from './okta.config.js';
import { oktaErrorOf } from './okta.errors.js';

/** Gives the `Authorization` header of API calls. */
export interface OktaAuth {
  /** `SSWS <token>` or `Bearer <access token>`. */
  header(signal?: AbortSignal): Promise<string>;
  /** Forget a cached access token (after a 401); false when there is nothing to refresh. */
  invalidate(): boolean;
  /** `token` or `oauth`, for messages. */
  readonly kind: 'token' | 'oauth';
}

const b64url = (data: string | Buffer): string => Buffer.from(data).toString('base64url');

/** The signed client assertion (RS256) for the token request. */
export function clientAssertion(clientId: string, audience: string, key: KeyObject, keyId: string | null, now: Date): string {
  const header: Record<string, string> = { alg: 'RS256', typ: 'JWT' };
  if (keyId) header['kid'] = keyId;
  const iat = Math.floor(now.getTime() / 1000);
  const claims = { iss: clientId, sub: clientId, aud: audience, iat, exp: iat + 300, jti: randomUUID() };
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  const signature = createSign('RSA-SHA256').update(input).sign(key);
  return `${input}.${b64url(signature)}`;
}

/** Reads the service app's private key. @throws config.invalid naming the file, never its content */
export function readOktaPrivateKey(path: string, read: (p: string) => string = (p) => readFileSync(p, 'utf8')): KeyObject {
  let text: string;
  try {
    text = read(path);
  } catch (error) {
    const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
    throw new DirconnError('config.invalid', `Cannot read the Okta private key file ${path}${typeof code === 'string' ? ` (${code})` : ''}.`, {
      hint: 'Check okta.privateKeyPath: the PEM file must exist and be readable by the user running dirconn.',
      cause: error,
    });
  }
  try {
    return createPrivateKey(text);
  } catch (error) {
    throw new DirconnError('config.invalid', `The Okta private key file ${path} is not a PEM private key.`, {
      hint: 'Generate the key pair in the Okta admin console (the service app → Client Credentials → Public key / Private key) and save the private key as PEM.',
      cause: error,
    });
  }
}

/** API token auth: the same header every time. */
class TokenAuth implements OktaAuth {
  readonly kind = 'token' as const;
  constructor(private readonly token: string) {}
  header(): Promise<string> {
    return Promise.resolve(`SSWS ${this.token}`);
  }
  invalidate(): boolean {
    return false;
  }
}

/** OAuth service app auth: client-credentials grant with a private-key JWT. */
class OAuthAuth implements OktaAuth {
  readonly kind = 'oauth' as const;
  #cached: { token: string; expiresAt: number } | null = null;
  #key: KeyObject | null = null;

  constructor(
    private readonly config: OktaConfig,
    private readonly transport: Transport,
    private readonly clock: Clock,
  ) {}

  invalidate(): boolean {
    this.#cached = null;
    return true;
  }

  async header(signal?: AbortSignal): Promise<string> {
    const now = this.clock.now().getTime();
    if (this.#cached !== null && now < this.#cached.expiresAt) return `Bearer ${this.#cached.token}`;
    this.#key ??= readOktaPrivateKey((this.config.privateKeyPath ?? '').trim());
    const tokenUrl = `${orgBase(this.config.orgUrl)}/oauth2/v1/token`;
    const clientId = (this.config.clientId ?? '').trim();
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      scope: OKTA_OAUTH_SCOPES.join(' '),
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: clientAssertion(clientId, tokenUrl, this.#key, this.config.keyId?.trim() || null, this.clock.now()),
    });
    const response = await this.transport.send(
      { method: 'POST', url: tokenUrl, headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, body: body.toString(), ...(signal ? { signal } : {}) },
      { route: 'POST /oauth2/v1/token', what: 'the access token' },
    );
    let doc: { access_token?: unknown; expires_in?: unknown } = {};
    try {
      doc = JSON.parse(response.body) as typeof doc;
    } catch {
      // described below
    }
    if (response.status !== 200 || typeof doc.access_token !== 'string') {
      const error = oktaErrorOf(response.body);
      const oauthError = typeof (doc as { error?: unknown }).error === 'string' ? String((doc as { error?: unknown }).error) : error.code;
      throw new DirconnError('auth.directory', `Okta refused the access token for service app ${clientId} (HTTP ${response.status}${oauthError ? `, ${oauthError}` : ''}): ${error.summary}`, {
        hint:
          oauthError === 'invalid_scope'
            ? 'Grant the service app the okta.users.read and okta.groups.read scopes (Okta API Scopes tab) and give it a read-only administrator role.'
            : 'Check okta.clientId, okta.privateKeyPath and okta.keyId: the app must use "Public key / Private key" client authentication with this key registered.',
        details: { status: response.status, error: oauthError },
      });
    }
    const lifetime = typeof doc.expires_in === 'number' && doc.expires_in > 0 ? doc.expires_in : 3600;
    this.#cached = { token: doc.access_token, expiresAt: now + Math.max(0, lifetime - 60) * 1000 };
    return `Bearer ${doc.access_token}`;
  }
}

/** The auth of a configuration: the OAuth service app when configured, else the API token. */
export function oktaAuth(config: OktaConfig, secret: string | null, transport: Transport, clock: Clock): OktaAuth {
  if (usesOAuth(config)) return new OAuthAuth(config, transport, clock);
  const token = secret?.trim();
  if (!token) {
    throw new DirconnError('secrets.missing', 'No Okta API token is set.', {
      hint: 'Create a token as a read-only administrator (Security → API → Tokens) and save it with "dirconn config okta.token --secretfile <file>" (or DIRCONN_OKTA_TOKEN[_FILE]).',
    });
  }
  return new TokenAuth(token);
}
