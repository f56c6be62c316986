// `POST /connect/token` in both modes (bitwarden-api.md §8.4) and the bearer check on `/public/*`
// (§8.5). Tokens are JWT-shaped (`header.payload.signature`) with the §2.2 claims; the signature is
// random (clients do not check it) and the fake keeps its own table of issued tokens.

import { randomBytes, randomUUID } from 'node:crypto';
import type { FakeBitwardenState, FakeMode } from './state.js';
import { mediaType, rocketError, vaultwardenError } from './responses.js';
import type { FakeRequest, FakeResponse } from './responses.js';

/** The claims of an issued token. */
export interface FakeTokenClaims {
  iss: string;
  nbf: number;
  iat: number;
  exp: number;
  jti: string;
  scope: string[];
  client_id: string;
  client_sub: string;
  client_type: 'Organization';
}

/** An issued token and what it grants. */
export interface FakeToken {
  token: string;
  orgId: string;
  claims: FakeTokenClaims;
}

/** Result of the bearer check: the token, or the response to send instead. */
export type BearerResult = { ok: true; token: FakeToken } | { ok: false; response: FakeResponse };

const base64url = (value: string | Buffer): string => Buffer.from(value).toString('base64url');

/** Issues and verifies tokens against the fake clock. */
export class FakeTokenIssuer {
  readonly #tokens = new Map<string, FakeToken>();

  constructor(
    private readonly state: FakeBitwardenState,
    /** Token lifetime in seconds (3600 like both servers). */
    readonly lifetimeSeconds = 3600,
  ) {}

  /** Issues a token for `orgId` (tests may pass other scopes to provoke 403). */
  issue(orgId: string, options: { scope?: string[]; issuer?: string; lifetimeSeconds?: number } = {}): FakeToken {
    const now = Math.floor(this.state.clock.now().getTime() / 1000);
    const claims: FakeTokenClaims = {
      iss: options.issuer ?? 'http://127.0.0.1/identity',
      nbf: now,
      iat: now,
      exp: now + (options.lifetimeSeconds ?? this.lifetimeSeconds),
      jti: randomUUID(),
      scope: options.scope ?? ['api.organization'],
      client_id: `organization.${orgId}`,
      client_sub: orgId,
      client_type: 'Organization',
    };
    const header = { alg: 'RS256', kid: 'fake', typ: 'at+jwt' };
    const token = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}.${base64url(randomBytes(32))}`;
    const record: FakeToken = { token, orgId, claims };
    this.#tokens.set(token, record);
    return record;
  }

  /** The token record when known and within `nbf`/`exp` (± leeway seconds), else why not. */
  verify(token: string, leewaySeconds = 0): FakeToken | 'unknown' | 'expired' {
    const record = this.#tokens.get(token);
    if (record === undefined) return 'unknown';
    const now = this.state.clock.now().getTime() / 1000;
    if (now >= record.claims.exp + leewaySeconds || now < record.claims.nbf - leewaySeconds) return 'expired';
    return record;
  }

  /** Forgets every issued token (all clients get 401 next time). */
  revokeAll(): void {
    this.#tokens.clear();
  }

  /** Number of tokens issued and still remembered. */
  get size(): number {
    return this.#tokens.size;
  }
}

/** Form fields, names matched case-insensitively (first value wins). */
function formFields(body: Buffer): Map<string, string> {
  const fields = new Map<string, string>();
  for (const [key, value] of new URLSearchParams(body.toString('utf8'))) {
    const name = key.toLowerCase();
    if (!fields.has(name)) fields.set(name, value);
  }
  return fields;
}

function oauthError(error: string): FakeResponse {
  return { status: 400, headers: { 'Cache-Control': 'no-store', Pragma: 'no-cache' }, body: { error } };
}

function success(token: FakeToken, lifetimeSeconds: number): FakeResponse {
  return {
    status: 200,
    headers: { 'Cache-Control': 'no-store', Pragma: 'no-cache' },
    body: { access_token: token.token, expires_in: lifetimeSeconds, token_type: 'Bearer', scope: 'api.organization' },
  };
}

const KNOWN_GRANTS = new Set([
  'authorization_code',
  'client_credentials',
  'refresh_token',
  'password',
  'implicit',
  'urn:ietf:params:oauth:grant-type:device_code',
  'webauthn',
]);

/** Client id and secret from the form, or from HTTP Basic (official server only). */
function clientCredentials(request: FakeRequest, fields: Map<string, string>): { id: string | undefined; secret: string | undefined } {
  const authorization = request.headers.authorization;
  if (authorization !== undefined && /^basic /i.test(authorization)) {
    const decoded = Buffer.from(authorization.slice(6).trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) return { id: decodeURIComponent(decoded.slice(0, colon)), secret: decodeURIComponent(decoded.slice(colon + 1)) };
  }
  return { id: fields.get('client_id'), secret: fields.get('client_secret') };
}

/** `POST /connect/token`, official server (§8.4: first failure wins). */
export function officialToken(request: FakeRequest, state: FakeBitwardenState, issuer: FakeTokenIssuer, issuerUrl: string): FakeResponse {
  if (request.method !== 'POST' || mediaType(request.headers['content-type']) !== 'application/x-www-form-urlencoded') return oauthError('invalid_request');
  const fields = formFields(request.body);
  const { id, secret } = clientCredentials(request, fields);
  const dot = id?.indexOf('.') ?? -1;
  const prefix = id === undefined || dot < 0 ? '' : id.slice(0, dot);
  const suffix = id === undefined || dot < 0 ? '' : id.slice(dot + 1);
  const org = prefix === 'organization' && /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i.test(suffix) ? state.organization(normalizeGuid(suffix)) : undefined;
  if (org === undefined || secret !== org.apiKey || !org.enabled || !org.useApi) return oauthError('invalid_client');
  const grant = fields.get('grant_type');
  if (grant === undefined || grant === '' || !KNOWN_GRANTS.has(grant)) return oauthError('unsupported_grant_type');
  if (grant !== 'client_credentials') return oauthError('unauthorized_client');
  const scope = fields.get('scope');
  if (scope !== undefined && scope.trim() !== '' && scope.trim() !== 'api.organization') return oauthError('invalid_scope');
  return success(issuer.issue(org.id, { issuer: issuerUrl }), issuer.lifetimeSeconds);
}

/** `POST /connect/token`, Vaultwarden (§8.4). `limited` = the login rate limiter refused. */
export function vaultwardenToken(request: FakeRequest, state: FakeBitwardenState, issuer: FakeTokenIssuer, domain: string, limited: () => boolean): FakeResponse {
  if (request.method !== 'POST') return rocketError(404);
  const fields = formFields(request.body);
  const pick = (...names: string[]): string | undefined => {
    for (const name of names) {
      const value = fields.get(name.toLowerCase());
      if (value !== undefined && value !== '') return value;
    }
    return undefined;
  };
  const grant = pick('grant_type');
  if (grant === undefined) return vaultwardenError('grant_type cannot be blank');
  if (grant !== 'client_credentials') return vaultwardenError('Invalid type');
  const required: [string, string[]][] = [
    ['client_id', ['client_id']],
    ['client_secret', ['client_secret']],
    ['scope', ['scope']],
    ['device_identifier', ['deviceIdentifier', 'device_identifier']],
    ['device_name', ['deviceName', 'device_name']],
    ['device_type', ['deviceType', 'device_type']],
  ];
  for (const [label, names] of required) {
    if (pick(...names) === undefined) return vaultwardenError(`${label} cannot be blank`);
  }
  if (limited()) return vaultwardenError('Too many login requests', 429);
  if (pick('scope') !== 'api.organization') return vaultwardenError('Scope not supported');
  const clientId = pick('client_id') as string;
  if (!clientId.startsWith('organization.')) return vaultwardenError('Malformed client_id');
  const org = state.organization(clientId.slice('organization.'.length));
  if (org === undefined || !org.apiKeyCreated) return vaultwardenError('Invalid client_id');
  if (pick('client_secret') !== org.apiKey) return vaultwardenError('Incorrect client_secret');
  return success(issuer.issue(org.id, { issuer: `${domain}|api.organization` }), issuer.lifetimeSeconds);
}

function normalizeGuid(value: string): string {
  const hex = value.replace(/-/g, '').toLowerCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The bearer check of `/public/*` (§8.5). The official server also reads `?access_token=`. */
export function checkBearer(request: FakeRequest, mode: FakeMode, issuer: FakeTokenIssuer): BearerResult {
  const header = request.headers.authorization;
  let token: string | undefined;
  if (header !== undefined && /^bearer /i.test(header)) token = header.slice(7).trim();
  else if (mode === 'bitwarden') token = request.query.get('access_token') ?? undefined;
  const verdict = token === undefined || token === '' ? 'unknown' : issuer.verify(token, mode === 'vaultwarden' ? 30 : 0);
  if (verdict === 'unknown' || verdict === 'expired') {
    if (mode === 'vaultwarden') return { ok: false, response: rocketError(401) };
    const challenge = verdict === 'expired' ? 'Bearer error="invalid_token", error_description="The token expired"' : 'Bearer';
    return { ok: false, response: { status: 401, headers: { 'WWW-Authenticate': challenge } } };
  }
  if (mode === 'bitwarden' && !verdict.claims.scope.includes('api.organization')) return { ok: false, response: { status: 403 } };
  return { ok: true, token: verdict };
}
