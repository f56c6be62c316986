// End to end: core's BitwardenClient over NodeHttpClient against the fake Bitwarden server.
import { afterEach, describe, expect, it } from '@jest/globals';
import { BitwardenClient, DirconnError, Secret, resolveServerUrls, silentLogger } from '@dirconn/core';
import type { Clock } from '@dirconn/core';
import { startFakeBitwarden } from '@dirconn/test-support';
import type { FakeBitwarden, FakeBitwardenOptions } from '@dirconn/test-support';
import { NodeHttpClient } from './node-http-client.js';

/** Client-side clock: real time, but back-off waits return at once (and are recorded). */
class InstantClock implements Clock {
  readonly sleeps: number[] = [];
  now(): Date {
    return new Date();
  }
  sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    return Promise.resolve();
  }
}

let fake: FakeBitwarden | undefined;
let http: NodeHttpClient | undefined;
afterEach(async () => {
  http?.close();
  await fake?.close();
  fake = undefined;
});

async function setup(options: FakeBitwardenOptions = {}): Promise<{ bw: FakeBitwarden; client: BitwardenClient; clock: InstantClock }> {
  const bw = await startFakeBitwarden(options);
  fake = bw;
  http = new NodeHttpClient({ proxy: null, timeoutMs: 5000 });
  const clock = new InstantClock();
  const urls = resolveServerUrls({ base: bw.url, api: null, identity: null });
  const client = new BitwardenClient({
    http,
    clock,
    logger: silentLogger,
    urls,
    credentials: { clientId: bw.clientId, clientSecret: new Secret(bw.apiKey) },
    device: { type: 25, identifier: '8a7b6c5d-0000-4000-8000-000000000001', name: 'dirconn' },
    clientVersion: '0.1.0-test',
    random: () => 0.5,
  });
  return { bw, client, clock };
}

const request = (members: { email: string; externalId: string; deleted?: boolean }[], groups: { name: string; externalId: string; memberExternalIds: string[] }[] = []) =>
  JSON.stringify({
    groups,
    members: members.map((m) => ({ email: m.email, externalId: m.externalId, deleted: m.deleted ?? false })),
    overwriteExisting: false,
    largeImport: false,
    inviteUsersAfterProvisioning: false,
  });

describe('BitwardenClient + NodeHttpClient + fake server', () => {
  it('logs in, imports and reads the organization back', async () => {
    const { bw, client } = await setup();
    expect(client.organizationId).toBe(bw.organization.id);
    await client.importOrganization(request([{ email: 'ann@example.com', externalId: 'ann' }], [{ name: 'Eng', externalId: 'eng', memberExternalIds: ['ann'] }]));
    const snapshot = await client.readOrganization();
    const ann = bw.member('ann@example.com');
    expect(snapshot).toEqual({
      members: [
        { id: bw.member('owner@example.com')?.id, email: 'owner@example.com', externalId: null, type: 0, status: 2, name: 'Owner' },
        { id: ann?.id, email: 'ann@example.com', externalId: 'ann', type: 2, status: 0, name: null },
      ],
      groups: [{ id: bw.group('eng')?.id, name: 'Eng', externalId: 'eng', memberIds: [ann?.id] }],
    });
    const token = bw.requests({ route: 'token' })[0];
    expect(token?.headers).toMatchObject({ 'device-type': '25', 'bitwarden-client-name': 'connector', 'bitwarden-client-version': '0.1.0-test' });
    expect(token?.body).toMatchObject({ grant_type: 'client_credentials', scope: 'api.organization', client_secret: '***', deviceIdentifier: '8a7b6c5d-0000-4000-8000-000000000001' });
    expect(client.stats().requests).toEqual({
      'POST /connect/token': 1,
      'POST /public/organization/import': 1,
      'GET /public/members': 1,
      'GET /public/groups': 1,
      'GET /public/groups/{id}/member-ids': 1,
    });
    expect(await client.readSubscription()).toEqual({ seats: null, maxAutoscaleSeats: null });
  });

  it('logs in again when the server says the token expired', async () => {
    const { bw, client } = await setup();
    await client.importOrganization(request([]));
    bw.clock.advance(2 * 3600_000);
    await client.importOrganization(request([{ email: 'b@example.com', externalId: 'b' }]));
    expect(bw.requests().map((e) => `${e.route} ${e.status}`)).toEqual(['token 200', 'import 200', 'import 401', 'token 200', 'import 200']);
  });

  it('retries 429 (Retry-After) but never re-sends an import whose outcome is unknown (issue #9 item 5); a later call converges', async () => {
    const { bw, client, clock } = await setup();
    bw.throttle('token', 3);
    bw.resetConnection('import');
    bw.failImportAt('S5');
    bw.fail('import', 503);
    const body = request([{ email: 'c@example.com', externalId: 'c' }], [{ name: 'G', externalId: 'g', memberExternalIds: ['c'] }]);
    // A reset after sending, a 503, a 500 after a partial import: each time sent once, outcome unknown.
    for (const code of ['bitwarden.unreachable', 'bitwarden.server-error', 'bitwarden.server-error']) {
      const error = await client.importOrganization(body).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toMatchObject({ code, details: expect.objectContaining({ outcomeUnknown: true }) });
    }
    await client.importOrganization(body);
    expect(bw.requests().map((e) => `${e.route} ${e.status}`)).toEqual(['token 429', 'token 200', 'import 0', 'import 503', 'import 500', 'import 200']);
    expect(clock.sleeps[0]).toBe(3000);
    expect(bw.group('g')?.memberIds).toEqual([bw.member('c@example.com')?.id]);
    expect(client.stats().retries).toBe(1);
  });

  it('maps a rejected import to bitwarden.rejected with the validation keys', async () => {
    const { client } = await setup();
    let error: unknown;
    try {
      await client.importOrganization(request([{ email: 'not-an-email', externalId: 'x' }]));
    } catch (e) {
      error = e;
    }
    expect(DirconnError.is(error) && error.code).toBe('bitwarden.rejected');
    expect((error as DirconnError).details).toEqual({ status: 400, errors: { 'Members[0].Email': ['The Email field is not a valid e-mail address.'] } });
  });

  it('fails login with auth.bitwarden for a wrong key', async () => {
    const { bw, client } = await setup();
    bw.organization.apiKey = 'rotated';
    await expect(client.getToken()).rejects.toMatchObject({ code: 'auth.bitwarden', message: 'Bitwarden refused the organization API key: invalid_client' });
  });

  it('works with Vaultwarden: import succeeds, live reads are unavailable', async () => {
    const { bw, client } = await setup({ mode: 'vaultwarden' });
    await client.importOrganization(request([{ email: 'v@example.com', externalId: 'v' }]));
    expect(bw.member('v@example.com')?.externalId).toBe('v');
    expect(await client.readOrganization()).toBeNull();
    expect(await client.readSubscription()).toBeNull();
  });
});
