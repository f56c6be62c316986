import { afterEach, describe, expect, it } from '@jest/globals';
import { startFakeBitwarden } from './fake-bitwarden-server.js';
import type { FakeBitwarden, FakeBitwardenOptions } from './fake-bitwarden-server.js';
import { accessToken, getJson, postImport } from './test-helpers.js';

let fake: FakeBitwarden | undefined;
let token = '';
async function start(options: FakeBitwardenOptions = {}): Promise<FakeBitwarden> {
  fake = await startFakeBitwarden({ mode: 'vaultwarden', ...options });
  token = await accessToken(fake);
  return fake;
}
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const member = (email: string, externalId: string, deleted = false) => ({ email, externalId, deleted });
const group = (name: string, externalId: string, memberExternalIds: string[] = []) => ({ name, externalId, memberExternalIds });
/** Vaultwarden needs groups, members and overwriteExisting; largeImport etc. are ignored. */
const body = (patch: Record<string, unknown> = {}) => ({ groups: [], members: [], overwriteExisting: false, ...patch });
const ROCKET_422 = { error: { code: 422, reason: 'Unprocessable Entity', description: 'The request was well-formed but was unable to be followed due to semantic errors.' } };

describe('import, vaultwarden mode', () => {
  it.each([
    ['a null email on a deleted member', body({ members: [{ email: null, externalId: 'a', deleted: true }] })],
    ['a missing deleted', body({ members: [{ email: 'a@example.com', externalId: 'a' }] })],
    ['a numeric externalId', body({ members: [member('a@example.com', 'a'), { email: 'b@example.com', externalId: 2, deleted: false }] })],
    ['PascalCase keys', { Groups: [], Members: [], OverwriteExisting: false }],
    ['a missing overwriteExisting', { groups: [], members: [] }],
    ['a missing memberExternalIds', body({ groups: [{ name: 'g', externalId: 'g' }] })],
    ['a null array', body({ groups: null })],
  ])('answers 422 for %s', async (_name, request) => {
    const vw = await start();
    const response = await postImport(vw, token, request);
    expect(response.status).toBe(422);
    expect(response.json).toEqual(ROCKET_422);
    expect(vw.members()).toHaveLength(1);
  });

  it('answers 400 for malformed JSON and ignores the content type and extra keys', async () => {
    const vw = await start();
    expect((await postImport(vw, token, '{"groups":')).status).toBe(400);
    const response = await postImport(vw, token, { ...body({ members: [member('A@example.com', 'a')] }), largeImport: 'whatever', extra: 1 }, { contentType: 'text/plain' });
    expect(response.status).toBe(200);
    expect(response.text).toBe('');
  });

  it('creates new members as Invited with SMTP, Accepted for existing accounts without SMTP', async () => {
    const vw = await start();
    await postImport(vw, token, body({ members: [member('New@Example.com', 'n')] }));
    expect(vw.member('new@example.com')).toMatchObject({ status: 0, type: 2, externalId: 'n' });
    expect(vw.counters.invitesSent).toBe(1);
    vw.organization.smtpEnabled = false;
    vw.state.addUser({ email: 'has-account@example.com', hasMasterPassword: true });
    await postImport(vw, token, body({ members: [member('has-account@example.com', 'h'), member('no-account@example.com', 'x')] }));
    expect(vw.member('has-account@example.com')?.status).toBe(1);
    expect(vw.member('no-account@example.com')?.status).toBe(0);
    expect(vw.counters.invitesSent).toBe(1);
    expect(vw.events()).toEqual([]);
  });

  it('matches by email and overwrites the externalId', async () => {
    const vw = await start();
    const existing = vw.addMember({ email: 'ann@example.com', externalId: 'old-id' });
    await postImport(vw, token, body({ members: [member('ANN@example.com', 'new-id')] }));
    expect(vw.members().filter((m) => m.email === 'ann@example.com')).toEqual([existing]);
    expect(existing.externalId).toBe('new-id');
  });

  it('revokes deleted members instead of removing them, and restores them when listed again', async () => {
    const vw = await start();
    const ann = vw.addMember({ email: 'ann@example.com', status: 1 });
    await postImport(vw, token, body({ members: [member('ann@example.com', 'ann', true), member('nobody@example.com', 'x', true)] }));
    expect(ann).toMatchObject({ status: -1, externalId: 'ann' });
    expect(vw.member('nobody@example.com')).toBeUndefined();
    await postImport(vw, token, body({ members: [member('ann@example.com', 'ann')] }));
    expect(ann.status).toBe(1);
  });

  it('never revokes or overwrites away the last confirmed Owner', async () => {
    const vw = await start();
    const owner = vw.member('owner@example.com');
    await postImport(vw, token, body({ members: [member('owner@example.com', 'boss', true)] }));
    expect(owner?.status).toBe(2);
    expect(owner?.externalId).toBe('boss');
    await postImport(vw, token, body({ overwriteExisting: true }));
    expect(vw.member('owner@example.com')).toBeDefined();
    const second = vw.addMember({ email: 'owner2@example.com', type: 0, externalId: 'o2' });
    await postImport(vw, token, body({ members: [member('owner@example.com', 'boss', true)] }));
    expect(owner?.status).toBe(-1);
    expect(second.status).toBe(2);
  });

  it('skips groups unless ORG_GROUPS_ENABLED', async () => {
    const vw = await start();
    const response = await postImport(vw, token, body({ members: [member('a@example.com', 'a')], groups: [group('G', 'g', ['a'])] }));
    expect(response.status).toBe(200);
    expect(vw.groups()).toEqual([]);
  });

  it('finds or creates groups by externalId, never renames, replaces membership', async () => {
    const vw = await start({ organization: { groupsEnabled: true } });
    await postImport(vw, token, body({ members: [member('a@example.com', 'a'), member('b@example.com', 'b')], groups: [group('G', 'g', ['a', 'b', 'ghost'])] }));
    const g = vw.group('g');
    expect(g?.memberIds).toHaveLength(2);
    await postImport(vw, token, body({ members: [member('a@example.com', 'a')], groups: [group('Renamed', 'g', ['a'])] }));
    expect(g?.name).toBe('G');
    expect(g?.memberIds).toEqual([vw.member('a@example.com')?.id]);
  });

  it('overwriteExisting runs last and hard-deletes unlisted members with an externalId (no guard)', async () => {
    const vw = await start();
    vw.addMember({ email: 'pending@example.com', externalId: 'p', status: 0 });
    vw.addMember({ email: 'manual@example.com' });
    vw.addMember({ email: 'gone@example.com', externalId: 'gone' });
    const response = await postImport(vw, token, body({ members: [member('gone@example.com', 'gone', true), member('new@example.com', 'n')], overwriteExisting: true }));
    expect(response.status).toBe(200);
    expect(vw.members().map((m) => m.email).sort()).toEqual(['gone@example.com', 'manual@example.com', 'new@example.com', 'owner@example.com']);
    expect(vw.member('gone@example.com')?.status).toBe(-1);
  });

  it('refuses an invalid email for a new member after committing the earlier ones', async () => {
    const vw = await start();
    const response = await postImport(vw, token, body({ members: [member('ok@example.com', 'ok'), member('not an email', 'bad')] }));
    expect(response.status).toBe(400);
    expect((response.json as { message: string }).message).toBe('User email not an email is not a valid email address');
    expect(vw.member('ok@example.com')).toBeDefined();
  });

  it('answers 404 Rocket JSON on every other public route and unknown paths', async () => {
    const vw = await start();
    for (const path of ['/api/public/members', '/api/public/groups', '/api/public/organization/subscription', '/nothing']) {
      const response = await getJson(vw, path, token);
      expect(response.status).toBe(404);
      expect(response.json).toEqual({ error: { code: 404, reason: 'Not Found', description: 'The requested resource could not be found.' } });
    }
  });

  it('answers 413 above 20 MiB by default (configurable)', async () => {
    const vw = await start();
    expect(vw.maxBodyBytes).toBe(20 * 1024 * 1024);
    vw.maxBodyBytes = 100;
    const response = await postImport(vw, token, body({ members: [member('a@example.com', 'a'), member('b@example.com', 'b')] }));
    expect(response.status).toBe(413);
    expect((response.json as { error: { code: number } }).error.code).toBe(413);
  });

  it('supports import-step faults (before members, before groups)', async () => {
    const vw = await start({ organization: { groupsEnabled: true } });
    vw.failImportAt('S5');
    const response = await postImport(vw, token, body({ members: [member('a@example.com', 'a')], groups: [group('G', 'g', ['a'])] }));
    expect(response.status).toBe(500);
    expect(vw.member('a@example.com')).toBeDefined();
    expect(vw.groups()).toEqual([]);
  });
});
