import { describe, expect, it } from '@jest/globals';
import { testProviderDeps } from '@dirconn/core/testing';
import { DeltaExpiredError, GraphClient, graphError } from './entra.graph.js';

const ROOT = 'https://graph.example.test';

function client(refreshes: boolean[] = []) {
  const deps = testProviderDeps({ config: {} });
  const graph = new GraphClient({
    transport: deps.transport,
    graphRoot: ROOT,
    token: (refresh) => {
      refreshes.push(refresh);
      return Promise.resolve(refresh ? 'new-token' : 'old-token');
    },
  });
  return { graph, http: deps.http, clock: deps.clock };
}

const options = { route: 'GET /users/delta', what: 'the user list', permission: 'User.Read.All' as const };

describe('GraphClient (directory-apis.md §2.7–§2.8)', () => {
  it('builds v1.0 URLs with literal $ options and encoded values', () => {
    expect(client().graph.url('/users', { $select: 'id,mail', $filter: "mail eq 'a b'" })).toBe(`${ROOT}/v1.0/users?$select=id%2Cmail&$filter=mail%20eq%20'a%20b'`);
  });

  it('follows nextLinks verbatim to the deltaLink, with the bearer token', async () => {
    const { graph, http } = client();
    http.on('GET', '/v1.0/users/delta', (request) =>
      request.url.includes('skiptoken')
        ? { body: { value: [{ id: '2' }], '@odata.deltaLink': `${ROOT}/v1.0/users/delta?$deltatoken=d1` } }
        : { body: { value: [{ id: '1' }], '@odata.nextLink': `${ROOT}/v1.0/users/delta?$skiptoken=abc` } },
    );
    const seen: string[] = [];
    const result = await graph.pages<{ id: string }>(`${ROOT}/v1.0/users/delta`, options, (page) => seen.push(...page.map((u) => u.id)));
    expect(seen).toEqual(['1', '2']);
    expect(result.deltaLink).toBe(`${ROOT}/v1.0/users/delta?$deltatoken=d1`);
    expect(http.requests.map((r) => r.url)).toEqual([`${ROOT}/v1.0/users/delta`, `${ROOT}/v1.0/users/delta?$skiptoken=abc`]);
    expect(http.requests[0]?.headers['Authorization']).toBe('Bearer old-token');
  });

  it('never sends the token to another host named in a nextLink', async () => {
    const { graph, http } = client();
    http.on('GET', '/v1.0/users/delta', { body: { value: [], '@odata.nextLink': 'https://evil.example/v1.0/users?$skiptoken=x' } });
    await expect(graph.pages(`${ROOT}/v1.0/users/delta`, options, () => undefined)).rejects.toMatchObject({ code: 'provider.incomplete-read', message: expect.stringContaining('evil.example') });
    expect(http.requests).toHaveLength(1);
  });

  it.each([
    ['not JSON', 'oops', /not JSON/],
    ['no value list', '{"items":[]}', /without a "value" list/],
  ])('fails closed on a page with %s', async (_what, body, message) => {
    const { graph, http } = client();
    http.on('GET', '/v1.0/users/delta', { body });
    await expect(graph.pages(`${ROOT}/v1.0/users/delta`, options, () => undefined)).rejects.toMatchObject({ code: 'provider.incomplete-read', message: expect.stringMatching(message) });
  });

  it('403 Authorization_RequestDenied → provider.rights naming the permission', async () => {
    const { graph, http } = client();
    http.on('GET', '/v1.0/users/delta', { status: 403, body: { error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' } } });
    await expect(graph.get(`${ROOT}/v1.0/users/delta`, options)).rejects.toMatchObject({ code: 'provider.rights', message: expect.stringContaining('User.Read.All'), details: { permission: 'User.Read.All' } });
  });

  it.each([
    [410, 'syncStateNotFound'],
    [400, 'syncStateNotFound'],
    [400, 'resyncRequired'],
  ])('delta %i %s → DeltaExpiredError; the same answer outside a delta request is an error', async (status, code) => {
    const { graph, http } = client();
    http.on('GET', '/v1.0/users/delta', { status, body: { error: { code, message: 'expired' } } });
    await expect(graph.get(`${ROOT}/v1.0/users/delta`, { ...options, delta: true })).rejects.toBeInstanceOf(DeltaExpiredError);
    await expect(graph.get(`${ROOT}/v1.0/users/delta`, options)).rejects.toMatchObject({ code: 'provider.error' });
  });

  it('a 401 asks for a new token once, then reports auth.directory', async () => {
    const refreshes: boolean[] = [];
    const { graph, http } = client(refreshes);
    http.on('GET', '/v1.0/users', { status: 401, body: { error: { code: 'InvalidAuthenticationToken', message: 'expired' } } }, { body: { value: [] } });
    await expect(graph.get(`${ROOT}/v1.0/users`, options)).resolves.toEqual({ value: [] });
    expect(refreshes).toEqual([false, true]);
    http.on('GET', '/v1.0/users', { status: 401, body: { error: { code: 'InvalidAuthenticationToken', message: 'bad' } } });
    await expect(graph.get(`${ROOT}/v1.0/users`, options)).rejects.toMatchObject({ code: 'auth.directory' });
  });

  it('429 with Retry-After is waited out by the transport; 5xx after retries fails the read', async () => {
    const { graph, http, clock } = client();
    http.on('GET', '/v1.0/users', { status: 429, headers: { 'retry-after': '3' } }, { body: { value: [{ id: '1' }] } });
    await expect(graph.get(`${ROOT}/v1.0/users`, options)).resolves.toEqual({ value: [{ id: '1' }] });
    expect(clock.sleeps).toEqual([3000]);
    http.on('GET', '/v1.0/groups', { status: 503 });
    await expect(graph.get(`${ROOT}/v1.0/groups`, { ...options, what: 'the group list' })).rejects.toMatchObject({ code: 'provider.error', message: expect.stringContaining('HTTP 503 after 5 attempts') });
  });

  it('reads Graph error bodies', () => {
    expect(graphError('{"error":{"code":"X","message":"m"}}')).toEqual({ code: 'X', message: 'm' });
    expect(graphError('nope')).toEqual({ code: null, message: null });
  });
});
