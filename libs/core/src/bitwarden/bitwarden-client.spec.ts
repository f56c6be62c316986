import { beforeEach, describe, expect, it } from '@jest/globals';
import { DirconnError, hasErrorCode } from '../errors.js';
import type { HttpRequest } from '../ports.js';
import { silentLogger } from '../ports.js';
import { Secret } from '../secret.js';
import { FakeClock } from '../testing/fake-clock.js';
import { FakeHttpClient, networkError } from '../testing/fake-http.js';
import { BitwardenClient, DEFAULT_READ_CONCURRENCY, parseOrganizationClientId } from './bitwarden-client.js';
import type { BitwardenClientOptions } from './bitwarden-client.js';

const ORG = '3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b';
const CLIENT_ID = `organization.${ORG}`;
const SECRET = 'S3cr3t-API-key-value';
const API = 'https://bw.example.com/api';
const IDENTITY = 'https://bw.example.com/identity';
const TOKEN_PATH = '/identity/connect/token';
const IMPORT_PATH = '/api/public/organization/import';
const T0 = Date.parse('2026-09-01T10:00:00Z');

function base64url(text: string): string {
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** A JWT-shaped token (signature not checked by the client). */
function jwt(expEpochSeconds: number, id = 'a'): string {
  return `${base64url(JSON.stringify({ alg: 'RS256', typ: 'at+jwt' }))}.${base64url(JSON.stringify({ exp: expEpochSeconds, client_id: CLIENT_ID, jti: id }))}.sig-${id}`;
}

function tokenReply(clock: FakeClock, id = 'a', expiresIn = 3600) {
  return { status: 200, body: { access_token: jwt(Math.floor(clock.now().getTime() / 1000) + expiresIn, id), expires_in: expiresIn, token_type: 'Bearer', scope: 'api.organization' } };
}

let clock: FakeClock;
let http: FakeHttpClient;
let tokenCount: number;

function tokenHandler() {
  return () => {
    tokenCount++;
    return tokenReply(clock, `t${tokenCount}`);
  };
}

function makeClient(overrides: Partial<BitwardenClientOptions> = {}): BitwardenClient {
  return new BitwardenClient({
    http,
    clock,
    logger: silentLogger,
    urls: { api: API, identity: IDENTITY },
    credentials: { clientId: CLIENT_ID, clientSecret: new Secret(SECRET) },
    device: { type: 25, identifier: 'c0ffee00-0000-4000-8000-000000000001', name: 'dirconn' },
    clientVersion: '0.1.0',
    random: () => 0.999,
    ...overrides,
  });
}

async function caught(promise: Promise<unknown>): Promise<DirconnError> {
  try {
    await promise;
  } catch (error) {
    if (DirconnError.is(error)) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

function bearer(request: HttpRequest): string | undefined {
  return request.headers['Authorization'];
}

beforeEach(() => {
  clock = new FakeClock(new Date(T0));
  http = new FakeHttpClient();
  tokenCount = 0;
});

describe('parseOrganizationClientId', () => {
  it('returns the lower-cased organization id', () => {
    expect(parseOrganizationClientId(` organization.${ORG.toUpperCase()} `)).toBe(ORG);
  });

  it.each(['user.' + ORG, 'organization.' + 'not-a-guid', ORG, 'organization', ''])('refuses %p with config.invalid', (id) => {
    let error: unknown;
    try {
      parseOrganizationClientId(id);
    } catch (e) {
      error = e;
    }
    expect(hasErrorCode(error, 'config.invalid')).toBe(true);
    expect((error as Error).message).toMatch(/organization\.<organization id>/);
  });

  it('is checked by the constructor', () => {
    expect(() => makeClient({ credentials: { clientId: 'user.abc', clientSecret: new Secret(SECRET) } })).toThrow(DirconnError);
    expect(makeClient().organizationId).toBe(ORG);
  });
});

describe('token', () => {
  it('posts the client-credentials form with device fields and the reference headers', async () => {
    http.on('POST', TOKEN_PATH, tokenHandler());
    const token = await makeClient().getToken();
    expect(token).toBe(jwt(Math.floor(T0 / 1000) + 3600, 't1'));
    const [request] = http.requests;
    expect(request?.url).toBe(`${IDENTITY}/connect/token`);
    expect(request?.headers).toMatchObject({
      'Content-Type': 'application/x-www-form-urlencoded',
      Accept: 'application/json',
      'Device-Type': '25',
      'Bitwarden-Client-Name': 'connector',
      'Bitwarden-Client-Version': '0.1.0',
    });
    const form = Object.fromEntries(new URLSearchParams(request?.body ?? ''));
    expect(form).toEqual({
      grant_type: 'client_credentials',
      scope: 'api.organization',
      client_id: CLIENT_ID,
      client_secret: SECRET,
      deviceType: '25',
      deviceIdentifier: 'c0ffee00-0000-4000-8000-000000000001',
      deviceName: 'dirconn',
    });
  });

  it('reuses the token until 5 minutes before expiry, then requests a new one', async () => {
    http.on('POST', TOKEN_PATH, tokenHandler());
    const client = makeClient();
    const first = await client.getToken();
    clock.advance(54 * 60_000);
    expect(await client.getToken()).toBe(first);
    clock.advance(60_001); // 55 min + 1 ms: less than 5 minutes left
    const second = await client.getToken();
    expect(second).not.toBe(first);
    expect(http.calls('POST', TOKEN_PATH)).toHaveLength(2);
  });

  it('uses the JWT exp when it is earlier than expires_in', async () => {
    http.on('POST', TOKEN_PATH, () => {
      tokenCount++;
      return { body: { access_token: jwt(Math.floor(clock.now().getTime() / 1000) + 600, `t${tokenCount}`), expires_in: 3600 } };
    });
    const client = makeClient();
    await client.getToken();
    clock.advance(5 * 60_000 + 1);
    await client.getToken();
    expect(tokenCount).toBe(2);
  });

  it('shares one token request between concurrent callers', async () => {
    http.on('POST', TOKEN_PATH, tokenHandler());
    const client = makeClient();
    const tokens = await Promise.all([client.getToken(), client.getToken(), client.getToken()]);
    expect(new Set(tokens).size).toBe(1);
    expect(tokenCount).toBe(1);
  });

  it('turns an official 400 into auth.bitwarden with the OAuth error, without retrying', async () => {
    http.on('POST', TOKEN_PATH, { status: 400, body: { error: 'invalid_client' } });
    const error = await caught(makeClient().getToken());
    expect(error.code).toBe('auth.bitwarden');
    expect(error.message).toContain('invalid_client');
    expect(error.hint).toContain('dirconn login');
    expect(http.requests).toHaveLength(1);
  });

  it('shows the Vaultwarden message', async () => {
    const message = 'Incorrect client_secret';
    http.on('POST', TOKEN_PATH, {
      status: 400,
      body: { message, validationErrors: { '': [message] }, errorModel: { message, object: 'error' }, error: '', error_description: '', exceptionMessage: null, object: 'error' },
    });
    const error = await caught(makeClient().getToken());
    expect(error.code).toBe('auth.bitwarden');
    expect(error.message).toBe('Bitwarden refused the organization API key: Incorrect client_secret.');
  });

  it('honours Retry-After (seconds) on 429', async () => {
    http.on('POST', TOKEN_PATH, { status: 429, headers: { 'Retry-After': '7' }, body: { message: 'Slow down!' } }, tokenHandler());
    await makeClient().getToken();
    expect(clock.sleeps).toEqual([7000]);
  });

  it('honours Retry-After as an HTTP date', async () => {
    const at = new Date(T0 + 12_000).toUTCString();
    http.on('POST', TOKEN_PATH, { status: 429, headers: { 'retry-after': at } }, tokenHandler());
    await makeClient().getToken();
    expect(clock.sleeps).toEqual([12_000]);
  });

  it('gives up with bitwarden.throttled when 429 persists', async () => {
    http.on('POST', TOKEN_PATH, { status: 429, headers: { 'Retry-After': '1' }, body: { object: 'error', message: 'Slow down! Too many requests. Try again in 1m.' } });
    const error = await caught(makeClient({ retry: { maxAttempts: 3 } }).getToken());
    expect(error.code).toBe('bitwarden.throttled');
    expect(error.message).toContain('Slow down!');
    expect(error.hint).toContain('10 token requests per minute');
    expect(http.requests).toHaveLength(3);
    expect(clock.sleeps).toEqual([1000, 1000]);
  });

  it('does not wait for a Retry-After beyond maxRetryAfterMs', async () => {
    http.on('POST', TOKEN_PATH, { status: 429, headers: { 'Retry-After': '3600' } });
    const error = await caught(makeClient().getToken());
    expect(error.code).toBe('bitwarden.throttled');
    expect(error.message).toContain('3600 s');
    expect(http.requests).toHaveLength(1);
  });
});

describe('importOrganization', () => {
  const body = JSON.stringify({ groups: [], members: [], overwriteExisting: false, largeImport: false, inviteUsersAfterProvisioning: false });

  it('posts the JSON with the bearer token and resolves on 200', async () => {
    http.on('POST', TOKEN_PATH, tokenHandler()).on('POST', IMPORT_PATH, { status: 200 });
    const client = makeClient();
    await client.importOrganization(body);
    const request = http.calls('POST', IMPORT_PATH)[0]!;
    expect(request.url).toBe(`${API}/public/organization/import`);
    expect(request.body).toBe(body);
    expect(request.headers).toMatchObject({ 'Content-Type': 'application/json', Accept: 'application/json', 'Bitwarden-Client-Name': 'connector', 'Device-Type': '25' });
    expect(bearer(request)).toBe(`Bearer ${jwt(Math.floor(T0 / 1000) + 3600, 't1')}`);
    expect(client.stats().requests).toEqual({ 'POST /connect/token': 1, 'POST /public/organization/import': 1 });
  });

  it('logs in again once after a 401 and retries', async () => {
    http.on('POST', TOKEN_PATH, tokenHandler()).on('POST', IMPORT_PATH, { status: 401 }, { status: 200 });
    await makeClient().importOrganization(body);
    const imports = http.calls('POST', IMPORT_PATH);
    expect(imports).toHaveLength(2);
    expect(bearer(imports[0]!)).not.toBe(bearer(imports[1]!));
    expect(tokenCount).toBe(2);
  });

  it('fails with auth.bitwarden after a second 401', async () => {
    http.on('POST', TOKEN_PATH, tokenHandler()).on('POST', IMPORT_PATH, { status: 401, body: { error: { code: 401, reason: 'Unauthorized', description: 'The request requires user authentication.' } } });
    const error = await caught(makeClient().importOrganization(body));
    expect(error.code).toBe('auth.bitwarden');
    expect(http.calls('POST', IMPORT_PATH)).toHaveLength(2);
    expect(tokenCount).toBe(2);
  });

  it('fails with auth.bitwarden on 403 without logging in again', async () => {
    http.on('POST', TOKEN_PATH, tokenHandler()).on('POST', IMPORT_PATH, { status: 403 });
    const error = await caught(makeClient().importOrganization(body));
    expect(error.code).toBe('auth.bitwarden');
    expect(error.hint).toContain('api.organization');
    expect(tokenCount).toBe(1);
  });

  it('formats an official model-state 400 with every validation error and keeps the raw keys', async () => {
    const errors = {
      'Members[3].Email': ['The Email field is not a valid e-mail address.'],
      'Groups[0].Name': ['The Name field is required.', 'second'],
    };
    http.on('POST', TOKEN_PATH, tokenHandler()).on('POST', IMPORT_PATH, { status: 400, body: { object: 'error', message: "The request's model state is invalid.", errors } });
    const error = await caught(makeClient().importOrganization(body));
    expect(error.code).toBe('bitwarden.rejected');
    expect(error.message).toBe(
      "Bitwarden rejected the import (HTTP 400): The request's model state is invalid. Members[3].Email: The Email field is not a valid e-mail address. Groups[0].Name: The Name field is required. Groups[0].Name: second",
    );
    expect(error.details).toEqual({ status: 400, errors });
    expect(http.calls('POST', IMPORT_PATH)).toHaveLength(1);
  });

  it('formats a business-rule 400', async () => {
    http.on('POST', TOKEN_PATH, tokenHandler()).on('POST', IMPORT_PATH, { status: 400, body: { object: 'error', message: 'Seat limit has been reached.', errors: null } });
    const error = await caught(makeClient().importOrganization(body));
    expect(error.message).toBe('Bitwarden rejected the import (HTTP 400): Seat limit has been reached.');
  });

  it('formats a Vaultwarden 400 and a Rocket 422', async () => {
    const message = 'User email x is not a valid email address';
    http
      .on('POST', TOKEN_PATH, tokenHandler())
      .on(
        'POST',
        IMPORT_PATH,
        { status: 400, body: { message, validationErrors: { '': [message] }, errorModel: { message, object: 'error' }, object: 'error' } },
        { status: 422, body: { error: { code: 422, reason: 'Unprocessable Entity', description: 'The request was well-formed but was unable to be followed due to semantic errors.' } } },
      );
    const client = makeClient();
    const first = await caught(client.importOrganization(body));
    expect(first.message).toBe(`Bitwarden rejected the import (HTTP 400): ${message}.`);
    const second = await caught(client.importOrganization(body));
    expect(second.code).toBe('bitwarden.rejected');
    expect(second.message).toContain('HTTP 422');
    expect(second.message).toContain('unable to be followed due to semantic errors');
  });

  it('explains 413 and 404', async () => {
    http.on('POST', TOKEN_PATH, tokenHandler()).on('POST', IMPORT_PATH, { status: 413 }, { status: 404, body: { object: 'error', message: 'Resource not found.', errors: null } });
    const client = makeClient();
    const tooBig = await caught(client.importOrganization(body));
    expect(tooBig.code).toBe('bitwarden.rejected');
    expect(tooBig.hint).toContain('sync.largeImport');
    const missing = await caught(client.importOrganization(body));
    expect(missing.code).toBe('bitwarden.rejected');
    expect(missing.message).toContain(`organization ${ORG} was not found`);
  });

  it('retries 5xx with bounded exponential back-off and full jitter, then succeeds (token request)', async () => {
    http.on('POST', TOKEN_PATH, { status: 503 }, { status: 502 }, { status: 500 }, tokenHandler());
    const client = makeClient({ random: () => 0.5 });
    await client.getToken();
    expect(clock.sleeps).toEqual([250, 500, 1000]);
    expect(client.stats()).toMatchObject({ retries: 3, waitedMs: 1750 });
  });

  it('caps the back-off at maxDelayMs and reports bitwarden.server-error after the attempts (token request)', async () => {
    http.on('POST', TOKEN_PATH, { status: 500, body: { object: 'error', message: 'An unhandled server error has occurred.', errors: null } });
    const client = makeClient({ retry: { maxAttempts: 6, baseDelayMs: 1000, maxDelayMs: 5000 }, random: () => 0.999 });
    const error = await caught(client.getToken());
    expect(error.code).toBe('bitwarden.server-error');
    expect(error.message).toContain('after 6 attempts');
    expect(clock.sleeps).toEqual([999, 1998, 3996, 4995, 4995]);
    expect(clock.sleeps.every((ms) => ms <= 5000)).toBe(true);
    expect(http.calls('POST', TOKEN_PATH)).toHaveLength(6);
  });

  it('jitter of 0 retries at once', async () => {
    http.on('POST', TOKEN_PATH, { status: 503 }, tokenHandler());
    await makeClient({ random: () => 0 }).getToken();
    expect(clock.sleeps).toEqual([0]);
  });

  it('retries network errors that happen before the import is sent, then succeeds', async () => {
    http
      .on('POST', TOKEN_PATH, { error: networkError('ECONNRESET') }, tokenHandler())
      .on('POST', IMPORT_PATH, { error: networkError('ECONNREFUSED') }, { status: 429, headers: { 'retry-after': '1' } }, { status: 200 });
    const client = makeClient();
    await client.importOrganization(body);
    expect(client.stats().requests).toEqual({ 'POST /connect/token': 2, 'POST /public/organization/import': 3 });
  });

  describe('an import whose outcome is unknown is never sent twice (issue #9 item 5)', () => {
    it.each([502, 504, 503, 500])('HTTP %i: one attempt, bitwarden.server-error saying the next run converges', async (status) => {
      http.on('POST', TOKEN_PATH, tokenHandler()).on('POST', IMPORT_PATH, { status, body: { object: 'error', message: 'An unhandled server error has occurred.', errors: null } }, { status: 200 });
      const error = await caught(makeClient().importOrganization(body));
      expect(http.calls('POST', IMPORT_PATH)).toHaveLength(1);
      expect(clock.sleeps).toEqual([]);
      expect(error.code).toBe('bitwarden.server-error');
      expect(error.message).toContain(`The outcome of the import is unknown: the server answered HTTP ${status}`);
      expect(error.message).toContain('did not send it again');
      expect(error.hint).toContain('the next sync reads the organization again and converges');
      expect(error.details).toMatchObject({ outcomeUnknown: true, status });
      if (status === 500) expect(error.hint).toMatch(/duplicate emails or externalIds/);
    });

    it.each(['ETIMEDOUT', 'ECONNRESET', 'EPIPE'])('%s after sending: one attempt, bitwarden.unreachable with the outcome unknown', async (code) => {
      http.on('POST', TOKEN_PATH, tokenHandler()).on('POST', IMPORT_PATH, { error: networkError(code) }, { status: 200 });
      const error = await caught(makeClient().importOrganization(body));
      expect(http.calls('POST', IMPORT_PATH)).toHaveLength(1);
      expect(error.code).toBe('bitwarden.unreachable');
      expect(error.message).toContain(`The outcome of the import is unknown: the connection failed (${code}) after the request was sent`);
      expect(error.details).toMatchObject({ outcomeUnknown: true, systemCode: code });
    });

    it('a refused connection is retried and, when it never connects, is not called unknown', async () => {
      http.on('POST', TOKEN_PATH, tokenHandler()).on('POST', IMPORT_PATH, { error: networkError('ECONNREFUSED') });
      const error = await caught(makeClient({ retry: { maxAttempts: 3 } }).importOrganization(body));
      expect(http.calls('POST', IMPORT_PATH)).toHaveLength(3);
      expect(error.code).toBe('bitwarden.unreachable');
      expect(error.message).not.toContain('unknown');
    });
  });

  it('reports bitwarden.unreachable naming the host and the system code, never the secret', async () => {
    http.on('POST', TOKEN_PATH, { error: networkError('ECONNREFUSED', 'connect ECONNREFUSED 10.0.0.1:443') });
    const error = await caught(makeClient({ retry: { maxAttempts: 2 } }).importOrganization(body));
    expect(error.code).toBe('bitwarden.unreachable');
    expect(error.message).toBe('Cannot reach the Bitwarden server at bw.example.com (ECONNREFUSED) after 2 attempts.');
    expect(JSON.stringify(error.toData())).not.toContain(SECRET);
    expect(http.requests).toHaveLength(2);
  });

  it('does not retry TLS failures reported by the HTTP adapter', async () => {
    const tls = new DirconnError('bitwarden.unreachable', 'TLS failure', { hint: 'Set server.caFile.', details: { kind: 'tls', systemCode: 'SELF_SIGNED_CERT_IN_CHAIN', host: 'bw.example.com' } });
    http.on('POST', TOKEN_PATH, { error: tls });
    const error = await caught(makeClient().getToken());
    expect(error.code).toBe('bitwarden.unreachable');
    expect(error.message).toContain('SELF_SIGNED_CERT_IN_CHAIN');
    expect(error.hint).toBe('Set server.caFile.');
    expect(http.requests).toHaveLength(1);
  });

  it('passes other adapter errors through without retrying', async () => {
    http.on('POST', TOKEN_PATH, { error: new DirconnError('config.invalid', 'Only http:// proxies are supported.') });
    const error = await caught(makeClient().getToken());
    expect(error.code).toBe('config.invalid');
    expect(http.requests).toHaveLength(1);
  });

  it('throws cancelled for an aborted signal, before sending anything', async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await caught(makeClient().importOrganization(body, controller.signal));
    expect(error.code).toBe('cancelled');
    expect(http.requests).toHaveLength(0);
  });

  it('throws cancelled when aborted during a back-off wait', async () => {
    const controller = new AbortController();
    http.on('POST', TOKEN_PATH, tokenHandler()).on('POST', IMPORT_PATH, () => {
      controller.abort();
      return { status: 429 };
    });
    const error = await caught(makeClient().importOrganization(body, controller.signal));
    expect(error.code).toBe('cancelled');
    expect(http.calls('POST', IMPORT_PATH)).toHaveLength(1);
  });

  it('throws cancelled when the HTTP call is aborted', async () => {
    const controller = new AbortController();
    http.on('POST', TOKEN_PATH, tokenHandler()).on('POST', IMPORT_PATH, () => {
      controller.abort();
      return { error: Object.assign(new Error('aborted'), { name: 'AbortError' }) };
    });
    const error = await caught(makeClient().importOrganization(body, controller.signal));
    expect(error.code).toBe('cancelled');
  });
});

describe('readOrganization', () => {
  const G1 = '11111111-1111-4111-8111-111111111111';
  const G2 = '22222222-2222-4222-8222-222222222222';
  const M1 = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
  const M2 = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';

  function member(id: string, email: string, externalId: string | null, type = 2, status = 2) {
    return { object: 'member', id, userId: null, name: null, email, twoFactorEnabled: false, status, resetPasswordEnrolled: false, ssoExternalId: null, type, externalId, permissions: null };
  }

  it('reads members, groups and each group’s member ids into a snapshot', async () => {
    http
      .on('POST', TOKEN_PATH, tokenHandler())
      .on('GET', '/api/public/members', { body: { object: 'list', data: [member(M1, 'Owner@Example.com', null, 0), { ...member(M2, 'ann@example.com', 'ann', 2, 0), name: 'Ann' }], continuationToken: null } })
      .on('GET', '/api/public/groups', { body: { object: 'list', data: [{ object: 'group', id: G1, name: 'Eng', externalId: 'cn=eng', collections: [] }, { object: 'group', id: G2, name: 'Manual', externalId: '', collections: [] }] } })
      .on('GET', `/api/public/groups/${G1}/member-ids`, { body: [M2] })
      .on('GET', `/api/public/groups/${G2}/member-ids`, { status: 404 });
    const client = makeClient();
    const snapshot = await client.readOrganization();
    expect(snapshot).toEqual({
      members: [
        { id: M1, email: 'Owner@Example.com', externalId: null, type: 0, status: 2, name: null },
        { id: M2, email: 'ann@example.com', externalId: 'ann', type: 2, status: 0, name: 'Ann' },
      ],
      groups: [
        { id: G1, name: 'Eng', externalId: 'cn=eng', memberIds: [M2] },
        { id: G2, name: 'Manual', externalId: null, memberIds: [] },
      ],
    });
    expect(client.stats().requests).toEqual({ 'POST /connect/token': 1, 'GET /public/members': 1, 'GET /public/groups': 1, 'GET /public/groups/{id}/member-ids': 2 });
  });

  it('returns null when the server cannot report state (Vaultwarden 404)', async () => {
    http.on('POST', TOKEN_PATH, tokenHandler()).on('GET', '/api/public/members', { status: 404, body: { error: { code: 404, reason: 'Not Found', description: 'The requested resource could not be found.' } } });
    expect(await makeClient().readOrganization()).toBeNull();
    expect(http.calls('GET')).toHaveLength(1);
  });

  it('reads member ids with bounded concurrency (default 8, configurable) and retries', async () => {
    const groups = Array.from({ length: 12 }, (_, i) => ({ object: 'group', id: `00000000-0000-4000-8000-0000000000${String(i).padStart(2, '0')}`, name: `g${i}`, externalId: `g${i}`, collections: [] }));
    for (const [options, expected] of [
      [{}, DEFAULT_READ_CONCURRENCY],
      [{ readConcurrency: 3 }, 3],
    ] as const) {
      http = new FakeHttpClient();
      let inFlight = 0;
      let maxInFlight = 0;
      http
        .on('POST', TOKEN_PATH, tokenHandler())
        .on('GET', '/api/public/members', { body: { object: 'list', data: [] } })
        .on('GET', '/api/public/groups', { body: { object: 'list', data: groups } })
        .on('GET', /\/member-ids$/, async (_request, call) => {
          inFlight++;
          maxInFlight = Math.max(maxInFlight, inFlight);
          await new Promise((resolve) => setTimeout(resolve, 2));
          inFlight--;
          return call === 3 ? { status: 503 } : { body: [] };
        });
      const snapshot = await makeClient(options).readOrganization();
      expect(snapshot?.groups).toHaveLength(12);
      expect(maxInFlight).toBe(expected);
      expect(http.calls('GET').filter((r) => r.url.endsWith('/member-ids'))).toHaveLength(13);
    }
    expect(DEFAULT_READ_CONCURRENCY).toBe(8);
  });

  it('maps the member ids of groups onto the members read, unknown ids kept as sent', async () => {
    const member = { object: 'member', id: '00000000-0000-4000-8000-0000000000aa', email: 'a@example.com', externalId: 'a', type: 2, status: 2, name: null };
    http
      .on('POST', TOKEN_PATH, tokenHandler())
      .on('GET', '/api/public/members', { body: { object: 'list', data: [member] } })
      .on('GET', '/api/public/groups', { body: { object: 'list', data: [{ object: 'group', id: '00000000-0000-4000-8000-000000000001', name: 'g', externalId: 'g' }] } })
      .on('GET', /\/member-ids$/, { body: [member.id, '00000000-0000-4000-8000-0000000000bb'] });
    const snapshot = await makeClient().readOrganization();
    expect(snapshot?.groups[0]?.memberIds).toEqual([member.id, '00000000-0000-4000-8000-0000000000bb']);
    expect(snapshot?.members.map((m) => m.id)).toEqual([member.id]);
  });

  it('fails on a malformed list', async () => {
    http.on('POST', TOKEN_PATH, tokenHandler()).on('GET', '/api/public/members', { body: { object: 'list' } });
    const error = await caught(makeClient().readOrganization());
    expect(error.code).toBe('bitwarden.server-error');
  });

  it('stops the other reads when one fails', async () => {
    const groups = Array.from({ length: 8 }, (_, i) => ({ object: 'group', id: `00000000-0000-4000-8000-00000000000${i}`, name: `g${i}`, externalId: null }));
    http
      .on('POST', TOKEN_PATH, tokenHandler())
      .on('GET', '/api/public/members', { body: { object: 'list', data: [] } })
      .on('GET', '/api/public/groups', { body: { object: 'list', data: groups } })
      .on('GET', /\/member-ids$/, { status: 400, body: { object: 'error', message: 'bad', errors: null } });
    const error = await caught(makeClient({ readConcurrency: 4 }).readOrganization());
    expect(error.code).toBe('bitwarden.rejected');
    expect(http.calls('GET').filter((r) => r.url.endsWith('/member-ids')).length).toBeLessThanOrEqual(4);
  });
});

describe('readSubscription', () => {
  it('reads seats on cloud and returns null on self-hosted', async () => {
    http
      .on('POST', TOKEN_PATH, tokenHandler())
      .on(
        'GET',
        '/api/public/organization/subscription',
        { body: { object: 'organizationSubscription', passwordManager: { seats: 10, maxAutoScaleSeats: null, storage: 1 }, secretsManager: null } },
        { status: 400, body: { object: 'error', message: 'Only allowed when not self hosted.', errors: null } },
      );
    const client = makeClient();
    expect(await client.readSubscription()).toEqual({ seats: 10, maxAutoscaleSeats: null });
    expect(await client.readSubscription()).toBeNull();
  });
});

describe('Secret', () => {
  it('never prints the API key', () => {
    const secret = new Secret(SECRET);
    expect(String(secret)).toBe('***');
    // eslint-disable-next-line @typescript-eslint/restrict-template-expressions -- the point of the test
    expect(`${secret}`).toBe('***');
    expect(JSON.stringify({ secret })).toBe('{"secret":"***"}');
    expect(secret.reveal()).toBe(SECRET);
    const inspect = (secret as unknown as Record<symbol, () => string>)[Symbol.for('nodejs.util.inspect.custom')];
    expect(inspect?.call(secret)).toBe('***');
    expect(Object.keys(secret)).toEqual([]);
    const client = makeClient();
    expect(JSON.stringify(client)).not.toContain(SECRET);
  });
});
