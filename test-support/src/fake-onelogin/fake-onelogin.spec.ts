import { describe, expect, it } from '@jest/globals';
import { fakeOneLogin, type FakeOneLogin } from './fake-onelogin-server.js';
import { matchesPattern } from './routes.js';
import { oneLoginGeneratedSeed, oneLoginReferenceSeed } from './state.js';

const post = (fake: FakeOneLogin, headers: Record<string, string>, body: string) =>
  fake.handle({ method: 'POST', url: `${fake.url}/auth/oauth2/v2/token`, headers, body });
const get = (fake: FakeOneLogin, path: string, token: string) => fake.handle({ method: 'GET', url: `${fake.url}${path}`, headers: { authorization: `Bearer ${token}` } });
const tokenOf = (body: string): string => (JSON.parse(body) as { access_token: string }).access_token;

describe('fake OneLogin: token endpoint (directory-apis.md §5.1)', () => {
  it('accepts the Basic header, the client_id/client_secret header form and a form body; the same token until it expires', () => {
    let now = 0;
    const fake = fakeOneLogin({ now: () => now, tokenLifetimeSeconds: 60 });
    const basic = post(fake, { authorization: `Basic ${Buffer.from(`${fake.clientId}:${fake.clientSecret}`).toString('base64')}` }, '{"grant_type":"client_credentials"}');
    expect(basic.status).toBe(200);
    expect(JSON.parse(basic.body)).toMatchObject({ token_type: 'bearer', expires_in: 60, account_id: expect.any(Number) });
    const pairs = post(fake, { authorization: `client_id:${fake.clientId}, client_secret:${fake.clientSecret}` }, '{"grant_type":"client_credentials"}');
    const form = post(fake, {}, `grant_type=client_credentials&client_id=${fake.clientId}&client_secret=${fake.clientSecret}`);
    expect(tokenOf(pairs.body)).toBe(tokenOf(basic.body));
    expect(tokenOf(form.body)).toBe(tokenOf(basic.body));
    now = 61_000;
    expect(tokenOf(post(fake, {}, `grant_type=client_credentials&client_id=${fake.clientId}&client_secret=${fake.clientSecret}`).body)).not.toBe(tokenOf(basic.body));
  });

  it('refuses another grant type (400) and bad credentials (401 envelope)', () => {
    const fake = fakeOneLogin();
    expect(post(fake, {}, `grant_type=password&client_id=${fake.clientId}&client_secret=${fake.clientSecret}`).status).toBe(400);
    const bad = post(fake, {}, `grant_type=client_credentials&client_id=${fake.clientId}&client_secret=nope`);
    expect(bad.status).toBe(401);
    expect(JSON.parse(bad.body)).toEqual({ status: { error: true, code: 401, type: 'Unauthorized', message: 'Authentication Failure' } });
  });
});

describe('fake OneLogin: reads', () => {
  const token = (fake: FakeOneLogin): string => tokenOf(post(fake, {}, `grant_type=client_credentials&client_id=${fake.clientId}&client_secret=${fake.clientSecret}`).body);

  it('pages with After-Cursor and the v2 paging headers; refuses a missing token', () => {
    const fake = fakeOneLogin({ seed: oneLoginGeneratedSeed(120, 0, 0) });
    const t = token(fake);
    const first = get(fake, '/api/2/users?limit=50', t);
    expect(first.headers).toMatchObject({ 'total-count': '120', 'total-pages': '3', 'current-page': '1', 'page-items': '50' });
    const second = get(fake, `/api/2/users?limit=50&cursor=${first.headers['after-cursor'] ?? ''}`, t);
    const third = get(fake, `/api/2/users?limit=50&cursor=${second.headers['after-cursor'] ?? ''}`, t);
    expect((JSON.parse(third.body) as unknown[]).length).toBe(20);
    expect(third.headers['after-cursor']).toBeUndefined();
    expect(get(fake, '/api/2/users', 'nope')).toMatchObject({ status: 401 });
    expect(JSON.parse(get(fake, '/api/2/users', 'nope').body)).toEqual({ message: 'Unauthorized', statusCode: 401, name: 'UnauthorizedError' });
  });

  it('filters with * and !, refuses unknown parameters, lists role users, counts the hourly limit', () => {
    const fake = fakeOneLogin({ seed: oneLoginReferenceSeed(), rateLimit: 10 });
    const t = token(fake);
    const ids = (path: string): string[] => (JSON.parse(get(fake, path, t).body) as { email: string }[]).map((u) => u.email);
    expect(ids('/api/2/users?email=user1*')).toEqual(['user1@example.com']);
    expect(ids('/api/2/users?email=!user*@example.com')).toEqual(['user6 at example', '']);
    expect(get(fake, '/api/2/users?department=x', t).status).toBe(400);
    const roleA = fake.state.role('Role A');
    expect(ids(`/api/2/roles/${roleA?.id ?? 0}/users`)).toHaveLength(4);
    const limit = get(fake, '/auth/rate_limit', t);
    expect(JSON.parse(limit.body)).toMatchObject({ data: { 'X-RateLimit-Limit': 10, 'X-RateLimit-Remaining': 5 } });
    for (let i = 0; i < 5; i++) expect(get(fake, '/api/2/roles', t).status).toBe(200);
    const throttled = get(fake, '/api/2/roles', t);
    expect(throttled.status).toBe(429);
    expect(throttled.headers).toMatchObject({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': expect.stringMatching(/^\d+$/) });
    expect(matchesPattern('Sales-US', '*-us')).toBe(true);
  });
});
