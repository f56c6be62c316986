import { describe, expect, it } from '@jest/globals';
import { FakeClock, FakeHttpClient, networkError } from '../testing/index.js';
import { silentLogger } from '../ports.js';
import { RetryingTransport, type RetryPolicy } from './retrying-transport.js';
import type { HttpRequest } from '../ports.js';

const URL_ = 'https://graph.example.test/v1.0/users';
const get: HttpRequest = { method: 'GET', url: URL_, headers: {} };
const opts = { route: 'GET /users', what: 'the user list' };

function transport(http: FakeHttpClient, policy: Partial<RetryPolicy> = {}, clock = new FakeClock()) {
  const t = new RetryingTransport({
    http,
    clock,
    logger: silentLogger,
    service: 'Microsoft Graph',
    errorCodes: { unreachable: 'provider.unreachable', throttled: 'provider.throttled', serverError: 'provider.error' },
    headers: { 'User-Agent': 'dirconn/test' },
    policy,
    random: () => 0.5,
  });
  return { t, clock };
}

describe('RetryingTransport', () => {
  it('returns a 200 at once, with the common headers', async () => {
    const http = new FakeHttpClient().on('GET', '/v1.0/users', { body: { value: [] } });
    const { t } = transport(http);
    const response = await t.send(get, opts);
    expect(response.status).toBe(200);
    expect(http.requests[0]?.headers['User-Agent']).toBe('dirconn/test');
    expect(t.stats()).toMatchObject({ requests: { 'GET /users': 1 }, retries: 0, waitedMs: 0 });
  });

  it('waits the Retry-After of a 429 and then succeeds, counting throttled time', async () => {
    const http = new FakeHttpClient().on('GET', '/v1.0/users', { status: 429, headers: { 'retry-after': '7' } }, { status: 200, body: {} });
    const { t, clock } = transport(http);
    expect((await t.send(get, opts)).status).toBe(200);
    expect(clock.sleeps).toEqual([7000]);
    expect(t.stats()).toMatchObject({ retries: 1, waitedMs: 7000, throttledMs: 7000 });
  });

  it('retries 5xx and network errors with exponential back-off', async () => {
    const http = new FakeHttpClient().on('GET', '/v1.0/users', { status: 502 }, { error: networkError('ECONNRESET') }, { status: 200 });
    const { t, clock } = transport(http, { baseDelayMs: 1000 });
    expect((await t.send(get, opts)).status).toBe(200);
    expect(clock.sleeps).toEqual([500, 1000]);
  });

  it('gives up after maxAttempts with the configured codes', async () => {
    const http = new FakeHttpClient().on('GET', '/v1.0/users', { status: 503 });
    await expect(transport(http, { maxAttempts: 3 }).t.send(get, opts)).rejects.toMatchObject({ code: 'provider.error', message: expect.stringContaining('Microsoft Graph answered the user list with HTTP 503 after 3 attempts') });
    const down = new FakeHttpClient().on('GET', '/v1.0/users', { error: networkError('ECONNREFUSED') });
    await expect(transport(down, { maxAttempts: 2 }).t.send(get, opts)).rejects.toMatchObject({ code: 'provider.unreachable', details: { attempts: 2, systemCode: 'ECONNREFUSED' } });
    const storm = new FakeHttpClient().on('GET', '/v1.0/users', { status: 429 });
    await expect(transport(storm, { maxAttempts: 4 }).t.send(get, opts)).rejects.toMatchObject({ code: 'provider.throttled' });
  });

  it('fails as throttled, naming the wait, once the run’s wait budget is used up', async () => {
    const http = new FakeHttpClient().on('GET', '/v1.0/users', { status: 429, headers: { 'retry-after': '60' } });
    const { t, clock } = transport(http, { maxAttempts: 100, maxTotalWaitMs: 150_000 });
    const error = await t.send(get, opts).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'provider.throttled', message: expect.stringContaining('budget 150 s') });
    expect(clock.sleeps).toEqual([60_000, 60_000]);
  });

  it('refuses a single wait longer than maxRetryAfterMs at once', async () => {
    const http = new FakeHttpClient().on('GET', '/v1.0/users', { status: 429, headers: { 'retry-after': '3600' } });
    const { t, clock } = transport(http);
    await expect(t.send(get, opts)).rejects.toMatchObject({ code: 'provider.throttled', details: { retryAfterMs: 3_600_000 } });
    expect(clock.sleeps).toEqual([]);
  });

  it('caps only server-demanded waits by maxRetryAfterMs, not its own back-off', async () => {
    const http = new FakeHttpClient().on('GET', '/v1.0/users', { status: 502 }, { status: 200 });
    const { t, clock } = transport(http, { baseDelayMs: 10_000, maxDelayMs: 10_000, maxRetryAfterMs: 1000 });
    expect((await t.send(get, opts)).status).toBe(200);
    expect(clock.sleeps).toEqual([5000]);
  });

  it('takes the unreachable message and the log name from its options', async () => {
    const lines: string[] = [];
    const logger = { ...silentLogger, warn: (message: string) => void lines.push(message) };
    const http = new FakeHttpClient().on('GET', '/v1.0/users', { error: networkError('ECONNREFUSED') });
    const t = new RetryingTransport({
      http,
      clock: new FakeClock(),
      logger,
      service: 'Graph',
      logName: 'graph',
      errorCodes: { unreachable: 'provider.unreachable', throttled: 'provider.throttled', serverError: 'provider.error' },
      policy: { maxAttempts: 1 },
      unreachableMessage: (host, reason, attempts) => `No ${host} (${reason}, ${attempts})`,
    });
    await expect(t.send(get, opts)).rejects.toMatchObject({ message: 'No graph.example.test (ECONNREFUSED, 1)' });
    expect(lines).toEqual(['graph: request failed']);
  });

  it('lets a source classify its own throttling signal (Google 403 rateLimitExceeded)', async () => {
    const body = JSON.stringify({ error: { errors: [{ reason: 'rateLimitExceeded' }] } });
    const http = new FakeHttpClient().on('GET', '/v1.0/users', { status: 403, body }, { status: 200 });
    const { t, clock } = transport(http);
    const response = await t.send(get, {
      ...opts,
      classify: (r) => (r.status === 403 && r.body.includes('rateLimitExceeded') ? { retry: true, throttled: true, waitMs: 2000, reason: 'rate limited' } : undefined),
    });
    expect(response.status).toBe(200);
    expect(clock.sleeps).toEqual([2000]);
    const plain403 = new FakeHttpClient().on('GET', '/v1.0/users', { status: 403, body: '{}' });
    expect((await transport(plain403).t.send(get, opts)).status).toBe(403);
  });

  it('does not re-send a non-idempotent request after a 5xx or a reset once it may have been received', async () => {
    const http = new FakeHttpClient().on('POST', '/v1.0/users', { status: 504 });
    const post: HttpRequest = { method: 'POST', url: URL_, headers: {}, body: '{}' };
    expect((await transport(http).t.send(post, { ...opts, idempotent: false })).status).toBe(504);
    expect(http.requests).toHaveLength(1);
    const reset = new FakeHttpClient().on('POST', '/v1.0/users', { error: networkError('ECONNRESET') });
    await expect(transport(reset).t.send(post, { ...opts, idempotent: false })).rejects.toMatchObject({ code: 'provider.unreachable' });
    expect(reset.requests).toHaveLength(1);
    const refused = new FakeHttpClient().on('POST', '/v1.0/users', { error: networkError('ECONNREFUSED') }, { status: 200 });
    expect((await transport(refused).t.send(post, { ...opts, idempotent: false })).status).toBe(200);
  });

  it('stops with cancelled when the signal aborts during a wait', async () => {
    const controller = new AbortController();
    const http = new FakeHttpClient().on('GET', '/v1.0/users', () => {
      controller.abort();
      return { status: 503 };
    });
    await expect(transport(http).t.send({ ...get, signal: controller.signal }, opts)).rejects.toMatchObject({ code: 'cancelled' });
    expect(http.requests).toHaveLength(1);
  });
});
