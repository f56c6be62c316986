import { afterEach, describe, expect, it } from '@jest/globals';
import { startFakeBitwarden } from './fake-bitwarden-server.js';
import type { FakeBitwarden, FakeBitwardenOptions } from './fake-bitwarden-server.js';
import { accessToken, getJson, requestToken } from './test-helpers.js';

let fake: FakeBitwarden | undefined;
async function start(options: FakeBitwardenOptions = {}): Promise<FakeBitwarden> {
  fake = await startFakeBitwarden({ now: new Date('2026-09-01T10:00:00Z'), ...options });
  return fake;
}
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

function claims(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}

describe('token endpoint, bitwarden mode', () => {
  it('issues a one-hour JWT for the organization API key', async () => {
    const bw = await start();
    const response = await requestToken(bw);
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ access_token: expect.any(String), expires_in: 3600, token_type: 'Bearer', scope: 'api.organization' });
    const token = (response.json as { access_token: string }).access_token;
    const now = Date.parse('2026-09-01T10:00:00Z') / 1000;
    expect(claims(token)).toMatchObject({
      nbf: now,
      iat: now,
      exp: now + 3600,
      scope: ['api.organization'],
      client_id: bw.clientId,
      client_sub: bw.organization.id,
      client_type: 'Organization',
    });
  });

  it('answers on /identity/connect/token and /connect/token, not under /api', async () => {
    const bw = await start();
    expect((await requestToken(bw, {}, { path: '/connect/token' })).status).toBe(200);
    const wrong = await requestToken(bw, {}, { path: '/api/connect/token' });
    expect(wrong.status).toBe(404);
    expect(wrong.text).toBe('');
  });

  it('ignores the device fields and accepts a missing scope', async () => {
    const bw = await start();
    const response = await requestToken(bw, { deviceType: undefined, deviceIdentifier: undefined, deviceName: undefined, scope: undefined });
    expect(response.status).toBe(200);
  });

  it('accepts HTTP Basic client authentication', async () => {
    const bw = await start();
    const basic = Buffer.from(`${encodeURIComponent(bw.clientId)}:${encodeURIComponent(bw.apiKey)}`).toString('base64');
    const response = await requestToken(bw, { client_id: undefined, client_secret: undefined }, { headers: { Authorization: `Basic ${basic}` } });
    expect(response.status).toBe(200);
  });

  it.each([
    ['wrong secret', (bw: FakeBitwarden) => ({ client_secret: `${bw.apiKey}x` }), (): void => undefined],
    ['unknown organization', () => ({ client_id: 'organization.00000000-0000-4000-8000-000000000000' }), (): void => undefined],
    ['user client id', (bw: FakeBitwarden) => ({ client_id: `user.${bw.organization.id}` }), (): void => undefined],
    ['malformed guid', () => ({ client_id: 'organization.nope' }), (): void => undefined],
    ['disabled organization', () => ({}), (bw: FakeBitwarden): void => {
      bw.organization.enabled = false;
    }],
    ['plan without API', () => ({}), (bw: FakeBitwarden): void => {
      bw.organization.useApi = false;
    }],
  ] as const)('answers invalid_client for %s', async (_name, overrides, prepare) => {
    const bw = await start();
    prepare(bw);
    const response = await requestToken(bw, overrides(bw));
    expect(response.status).toBe(400);
    expect(response.json).toEqual({ error: 'invalid_client' });
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('pragma')).toBe('no-cache');
  });

  it('checks in order: request, client, grant type, scope', async () => {
    const bw = await start();
    expect((await requestToken(bw, {}, { method: 'GET' })).json).toEqual({ error: 'invalid_request' });
    expect((await requestToken(bw, {}, { headers: { 'Content-Type': 'application/json' }, body: '{}' })).json).toEqual({ error: 'invalid_request' });
    expect((await requestToken(bw, { grant_type: undefined, client_secret: 'bad' })).json).toEqual({ error: 'invalid_client' });
    expect((await requestToken(bw, { grant_type: undefined })).json).toEqual({ error: 'unsupported_grant_type' });
    expect((await requestToken(bw, { grant_type: 'magic' })).json).toEqual({ error: 'unsupported_grant_type' });
    expect((await requestToken(bw, { grant_type: 'password', scope: 'nope' })).json).toEqual({ error: 'unauthorized_client' });
    expect((await requestToken(bw, { scope: 'api' })).json).toEqual({ error: 'invalid_scope' });
    expect((await requestToken(bw, { scope: 'api.organization offline_access' })).json).toEqual({ error: 'invalid_scope' });
  });

  it('logs the request with the secret redacted', async () => {
    const bw = await start();
    await requestToken(bw);
    const [entry] = bw.requests({ route: 'token' });
    expect(entry).toMatchObject({ method: 'POST', path: '/identity/connect/token', route: 'token', status: 200, time: '2026-09-01T10:00:00.000Z' });
    expect(entry?.body).toMatchObject({ client_secret: '***', client_id: bw.clientId, deviceName: 'dirconn-test' });
    expect(JSON.stringify(bw.requests())).not.toContain(bw.apiKey);
  });
});

describe('bearer check, bitwarden mode', () => {
  it('401 without or with an unknown token, with WWW-Authenticate and an empty body', async () => {
    const bw = await start();
    for (const token of [null, 'not-a-token']) {
      const response = await getJson(bw, '/api/public/members', token);
      expect(response.status).toBe(401);
      expect(response.text).toBe('');
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
    }
  });

  it('expires tokens with the fake clock; a new token works (no refresh token)', async () => {
    const bw = await start();
    const token = await accessToken(bw);
    expect((await getJson(bw, '/api/public/members', token)).status).toBe(200);
    bw.clock.advance(3599_000);
    expect((await getJson(bw, '/api/public/members', token)).status).toBe(200);
    bw.clock.advance(1000);
    const expired = await getJson(bw, '/api/public/members', token);
    expect(expired.status).toBe(401);
    expect(expired.headers.get('www-authenticate')).toContain('invalid_token');
    const fresh = await accessToken(bw);
    expect(fresh).not.toBe(token);
    expect((await getJson(bw, '/api/public/members', fresh)).status).toBe(200);
  });

  it('accepts the token in the query string', async () => {
    const bw = await start();
    const token = await accessToken(bw);
    expect((await getJson(bw, `/api/public/members?access_token=${token}`, null)).status).toBe(200);
    expect(JSON.stringify(bw.requests({ route: 'members' }))).not.toContain(token);
  });

  it('403 with an empty body for a token without api.organization', async () => {
    const bw = await start();
    const response = await getJson(bw, '/api/public/members', bw.issueToken({ scope: ['api'] }));
    expect(response.status).toBe(403);
    expect(response.text).toBe('');
  });

  it('redacts the bearer token in the request log', async () => {
    const bw = await start();
    const token = await accessToken(bw);
    await getJson(bw, '/public/groups', token);
    const [entry] = bw.requests({ route: 'groups' });
    expect(entry?.headers['authorization']).toBe('Bearer ***');
  });
});

describe('token endpoint, vaultwarden mode', () => {
  const vwBody = (message: string) => ({
    message,
    validationErrors: { '': [message] },
    errorModel: { message, object: 'error' },
    error: '',
    error_description: '',
    exceptionMessage: null,
    exceptionStackTrace: null,
    innerExceptionMessage: null,
    object: 'error',
  });

  it('issues tokens with all device fields, in either spelling', async () => {
    const bw = await start({ mode: 'vaultwarden' });
    expect((await requestToken(bw)).status).toBe(200);
    const snake = await requestToken(bw, {
      deviceType: undefined,
      deviceIdentifier: undefined,
      deviceName: undefined,
      device_type: '25',
      device_identifier: 'abc',
      device_name: 'x',
    });
    expect(snake.status).toBe(200);
    expect(claims((snake.json as { access_token: string }).access_token)['iss']).toBe(`${bw.url}|api.organization`);
  });

  it.each([
    ['client_id', { client_id: undefined }, 'client_id cannot be blank'],
    ['client_secret', { client_secret: undefined }, 'client_secret cannot be blank'],
    ['scope', { scope: undefined }, 'scope cannot be blank'],
    ['device identifier', { deviceIdentifier: undefined }, 'device_identifier cannot be blank'],
    ['device name', { deviceName: undefined }, 'device_name cannot be blank'],
    ['device type', { deviceType: undefined }, 'device_type cannot be blank'],
    ['other scope', { scope: 'api' }, 'Scope not supported'],
    ['user client id', { client_id: 'user.123' }, 'Malformed client_id'],
    ['unknown organization', { client_id: 'organization.00000000-0000-4000-8000-000000000000' }, 'Invalid client_id'],
    ['wrong secret', { client_secret: 'nope' }, 'Incorrect client_secret'],
  ] as const)('refuses a missing or wrong %s', async (_name, overrides, message) => {
    const bw = await start({ mode: 'vaultwarden' });
    const response = await requestToken(bw, overrides);
    expect(response.status).toBe(400);
    expect(response.json).toEqual(vwBody(message));
  });

  it('refuses an organization whose API key was never created', async () => {
    const bw = await start({ mode: 'vaultwarden', organization: { apiKeyCreated: false } });
    expect((await requestToken(bw)).json).toEqual(vwBody('Invalid client_id'));
  });

  it('answers Rocket JSON 401 on a bad bearer token', async () => {
    const bw = await start({ mode: 'vaultwarden' });
    const response = await fetch(`${bw.apiUrl}/public/organization/import`, { method: 'POST', headers: { Authorization: 'Bearer nope', 'Content-Type': 'application/json' }, body: '{}' });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: { code: 401, reason: 'Unauthorized', description: 'The request requires user authentication.' } });
  });

  it('allows 30 s leeway after exp', async () => {
    const bw = await start({ mode: 'vaultwarden' });
    const token = await accessToken(bw);
    bw.clock.advance(3600_000 + 29_000);
    const ok = await fetch(`${bw.apiUrl}/public/organization/import`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ groups: [], members: [], overwriteExisting: false }),
    });
    expect(ok.status).toBe(200);
    bw.clock.advance(1000);
    const late = await fetch(`${bw.apiUrl}/public/organization/import`, { method: 'POST', headers: { Authorization: `Bearer ${token}` }, body: '{}' });
    expect(late.status).toBe(401);
  });
});
