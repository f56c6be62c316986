import { afterEach, describe, expect, it } from '@jest/globals';
import { startFakeBitwarden } from './fake-bitwarden-server.js';
import type { FakeBitwarden, FakeBitwardenOptions } from './fake-bitwarden-server.js';
import { accessToken, getJson, importBody, postImport, requestToken } from './test-helpers.js';

let fake: FakeBitwarden | undefined;
async function start(options: FakeBitwardenOptions = {}): Promise<FakeBitwarden> {
  fake = await startFakeBitwarden({ now: new Date('2026-09-01T10:00:00Z'), ...options });
  return fake;
}
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe('fault injection', () => {
  it('answers a status for the next n calls, then behaves normally', async () => {
    const bw = await start();
    const token = await accessToken(bw);
    const rule = bw.fail('import', 503, { times: 2, body: { message: 'down' } });
    expect((await postImport(bw, token, importBody())).status).toBe(503);
    expect((await postImport(bw, token, importBody())).json).toEqual({ message: 'down' });
    expect((await postImport(bw, token, importBody())).status).toBe(200);
    expect(rule.fired).toBe(2);
    expect(bw.requests({ route: 'import' }).map((e) => [e.status, e.fault])).toEqual([
      [503, 'status 503'],
      [503, 'status 503'],
      [200, undefined],
    ]);
  });

  it('fires on the k-th call only', async () => {
    const bw = await start();
    const token = await accessToken(bw);
    bw.fail('members', 500, { onCall: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await getJson(bw, '/api/public/members', token)).status);
    expect(statuses).toEqual([200, 500, 200]);
  });

  it('filters by method and matches every route with *', async () => {
    const bw = await start();
    bw.fail('*', 502, { method: 'GET', times: Infinity });
    expect((await requestToken(bw)).status).toBe(200);
    expect((await getJson(bw, '/api/public/groups', null)).status).toBe(502);
  });

  it('resets the connection', async () => {
    const bw = await start();
    bw.resetConnection('token');
    await expect(requestToken(bw)).rejects.toThrow();
    expect(bw.requests({ route: 'token' })[0]).toMatchObject({ status: 0, fault: 'reset' });
    expect((await requestToken(bw)).status).toBe(200);
  });

  it('delays the answer', async () => {
    const bw = await start();
    bw.delay('token', 150);
    const started = Date.now();
    expect((await requestToken(bw)).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('throttles with Retry-After and the cloud body', async () => {
    const bw = await start();
    bw.throttle('token', 30);
    const response = await requestToken(bw);
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('30');
    expect(response.json).toEqual({
      object: 'error',
      message: 'Slow down! Too many requests. Try again in 1m.',
      validationErrors: null,
      exceptionMessage: null,
      exceptionStackTrace: null,
      innerExceptionMessage: null,
    });
    const token = await accessToken(bw);
    bw.throttle('import', 'Tue, 01 Sep 2026 10:01:00 GMT');
    expect((await postImport(bw, token, importBody())).headers.get('retry-after')).toBe('Tue, 01 Sep 2026 10:01:00 GMT');
  });

  it('clear() removes every rule', async () => {
    const bw = await start();
    bw.fail('token', 500, { times: Infinity });
    bw.faults.clear();
    expect((await requestToken(bw)).status).toBe(200);
  });
});

describe('rate limiter', () => {
  it('is off by default', async () => {
    const bw = await start();
    for (let i = 0; i < 12; i++) bw.clock.advance(300);
    const statuses = [];
    for (let i = 0; i < 12; i++) {
      bw.clock.advance(300);
      statuses.push((await requestToken(bw)).status);
    }
    expect(statuses.every((s) => s === 200)).toBe(true);
  });

  it('allows 10 token requests per minute, then 429 with Retry-After until the window ends', async () => {
    const bw = await start({ rateLimit: true });
    const statuses = [];
    for (let i = 0; i < 11; i++) {
      bw.clock.advance(1000);
      statuses.push((await requestToken(bw)).status);
    }
    expect(statuses).toEqual([...Array<number>(10).fill(200), 429]);
    const blocked = bw.requests({ route: 'token' }).at(-1);
    expect(blocked?.status).toBe(429);
    const again = await requestToken(bw);
    expect(again.headers.get('retry-after')).toBe('50');
    bw.clock.advance(50_000);
    expect((await requestToken(bw)).status).toBe(200);
  });

  it('allows 5 API writes per second per verb and path', async () => {
    const bw = await start({ rateLimit: true });
    const token = await accessToken(bw);
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await postImport(bw, token, importBody())).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    bw.clock.advance(1000);
    expect((await postImport(bw, token, importBody())).status).toBe(200);
  });

  it('Vaultwarden: 10 logins, then 1 per minute', async () => {
    const vw = await start({ mode: 'vaultwarden', rateLimit: true });
    const statuses = [];
    for (let i = 0; i < 11; i++) statuses.push((await requestToken(vw)).status);
    expect(statuses).toEqual([...Array<number>(10).fill(200), 429]);
    expect((await requestToken(vw)).json).toMatchObject({ message: 'Too many login requests' });
    vw.clock.advance(60_000);
    expect((await requestToken(vw)).status).toBe(200);
  });
});

describe('control surface', () => {
  it('exposes URLs, the seeded organization and its owner', async () => {
    const bw = await start();
    expect(bw.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(bw.apiUrl).toBe(`${bw.url}/api`);
    expect(bw.identityUrl).toBe(`${bw.url}/identity`);
    expect(bw.clientId).toBe(`organization.${bw.organization.id}`);
    expect(bw.apiKey).toMatch(/^[A-Za-z0-9]{30}$/);
    expect(bw.members()).toEqual([expect.objectContaining({ email: 'owner@example.com', type: 0, status: 2, hasMasterPassword: true, externalId: null })]);
  });

  it('supports several organizations with their own keys', async () => {
    const bw = await start();
    const other = bw.addOrganization({ name: 'Other' });
    bw.addMember({ email: 'o@example.com', type: 0 }, other.id);
    const response = await requestToken(bw, { client_id: `organization.${other.id}`, client_secret: other.apiKey });
    const token = (response.json as { access_token: string }).access_token;
    const members = (await getJson(bw, '/api/public/members', token)).json as { data: { email: string }[] };
    expect(members.data.map((m) => m.email)).toEqual(['o@example.com']);
  });

  it('snapshot() is a deep copy', async () => {
    const bw = await start();
    const snapshot = bw.snapshot();
    bw.members()[0]!.email = 'changed@example.com';
    expect(snapshot.members[0]?.email).toBe('owner@example.com');
  });

  it('can start without a seed', async () => {
    const bw = await start({ seed: false });
    expect(bw.state.organizations).toEqual([]);
    expect(() => bw.organization).toThrow(/no default organization/);
  });
});
