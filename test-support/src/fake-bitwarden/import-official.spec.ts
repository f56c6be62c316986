import { afterEach, describe, expect, it } from '@jest/globals';
import { startFakeBitwarden } from './fake-bitwarden-server.js';
import type { FakeBitwarden, FakeBitwardenOptions } from './fake-bitwarden-server.js';
import { accessToken, importBody, importInvariantViolations, postImport } from './test-helpers.js';
import type { FetchedResponse, ImportBody } from './test-helpers.js';

let fake: FakeBitwarden | undefined;
let token = '';
async function start(options: FakeBitwardenOptions = {}): Promise<FakeBitwarden> {
  fake = await startFakeBitwarden({ now: new Date('2026-09-01T10:00:00Z'), ...options });
  token = await accessToken(fake);
  return fake;
}
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

/** Posts an import and checks the §8.6 invariants against the state before it. */
async function sync(bw: FakeBitwarden, body: Partial<ImportBody> | string, options: { contentType?: string } = {}): Promise<FetchedResponse> {
  const before = bw.snapshot();
  const request = typeof body === 'string' ? body : importBody(body);
  const response = await postImport(bw, token, request, options);
  const groupIds = typeof request === 'string' ? [] : request.groups.map((g) => g.externalId);
  expect(importInvariantViolations(before, bw.snapshot(), bw.organization.id, groupIds)).toEqual([]);
  return response;
}

const member = (email: string | null, externalId: string, deleted = false) => ({ email, externalId, deleted });
const group = (name: string, externalId: string, memberExternalIds: string[] = []) => ({ name, externalId, memberExternalIds });
const errorBody = (message: string, errors: Record<string, string[]> | null = null) => ({ object: 'error', message, errors });
const UNHANDLED = errorBody('An unhandled server error has occurred.');

function eventTypes(bw: FakeBitwarden): number[] {
  return bw.events().map((e) => e.type);
}

describe('import validation (bitwarden mode)', () => {
  it('415 for a body that is not JSON', async () => {
    const bw = await start();
    const response = await sync(bw, JSON.stringify(importBody()), { contentType: 'text/plain' });
    expect(response.status).toBe(415);
    expect(response.text).toBe('');
  });

  it('collects every model error at once, keyed like ASP.NET', async () => {
    const bw = await start();
    const response = await sync(
      bw,
      JSON.stringify({
        groups: [group('', 'g1'), group('x'.repeat(101), '   ')],
        members: [member('', 'a'), member('no-at-sign', 'b'), member('two@@example.com', ''), member(null, 'd'), member(null, 'e', true), member(`${'x'.repeat(250)}@example.com`, 'f'), member('ok@example.com', 'y'.repeat(301))],
      }),
    );
    expect(response.status).toBe(400);
    expect(response.json).toEqual(
      errorBody("The request's model state is invalid.", {
        'Groups[0].Name': ['The Name field is required.'],
        'Groups[1].Name': ['The field Name must be a string with a maximum length of 100.'],
        'Groups[1].ExternalId': ['The ExternalId field is required.'],
        'Members[0].Email': ['The Email field is not a valid e-mail address.'],
        'Members[1].Email': ['The Email field is not a valid e-mail address.'],
        'Members[2].Email': ['The Email field is not a valid e-mail address.'],
        'Members[2].ExternalId': ['The ExternalId field is required.'],
        'Members[3].Email': ['Email is required for enabled members.'],
        'Members[5].Email': ['The field Email must be a string with a maximum length of 256.'],
        'Members[6].ExternalId': ['The field ExternalId must be a string with a maximum length of 300.'],
        OverwriteExisting: ['The OverwriteExisting field is required.'],
      }),
    );
    expect(bw.members()).toHaveLength(1);
  });

  it('accepts CR/LF-free addresses with one interior @ only', async () => {
    const bw = await start();
    const response = await sync(bw, { members: [member('a\r\nb@example.com', 'a')] });
    expect(response.status).toBe(400);
    expect((await sync(bw, { members: [member('weird but fine@ex', 'b')] })).status).toBe(200);
  });

  it('answers JSON type errors keyed by the JSON path', async () => {
    const bw = await start();
    const response = await sync(bw, JSON.stringify({ groups: [], members: [{ email: 'a@example.com', externalId: 'a', deleted: 'yes' }], overwriteExisting: false }));
    expect(response.status).toBe(400);
    expect(response.json).toMatchObject({ message: "The request's model state is invalid.", errors: { '$.members[0].deleted': [expect.stringContaining('System.Boolean')] } });
    const nullLarge = await sync(bw, JSON.stringify({ ...importBody(), largeImport: null }));
    expect(Object.keys((nullLarge.json as { errors: object }).errors)).toEqual(['$.largeImport']);
    const broken = await sync(bw, '{"groups": [');
    expect(broken.status).toBe(400);
    expect(Object.keys((broken.json as { errors: object }).errors)).toEqual(['$']);
    const empty = await sync(bw, '');
    expect(empty.json).toEqual(errorBody("The request's model state is invalid.", { '': ['A non-empty request body is required.'] }));
  });

  it('parses permissively: any key case, numbers and booleans as text, a scalar memberExternalIds', async () => {
    const bw = await start();
    const response = await sync(
      bw,
      JSON.stringify({
        GROUPS: [{ NAME: 'Eng', ExternalID: 42, MemberExternalIds: 7 }],
        Members: [{ EMAIL: 'Seven@Example.com', externalid: 7, Deleted: false }, { email: 'true@example.com', externalId: true }],
        overwriteexisting: false,
        unknownThing: { ignored: true },
      }),
    );
    expect(response.status).toBe(200);
    expect(bw.member('seven@example.com')).toMatchObject({ externalId: '7', email: 'seven@example.com', status: 0 });
    expect(bw.member('true@example.com')?.externalId).toBe('True');
    const eng = bw.group('42');
    expect(eng?.memberIds).toEqual([bw.member('seven@example.com')?.id]);
  });

  it.each([
    ['groups null', { groups: null }],
    ['members missing', { members: undefined }],
    ['memberExternalIds null', { groups: [{ name: 'g', externalId: 'g', memberExternalIds: null }] }],
    ['memberExternalIds missing', { groups: [{ name: 'g', externalId: 'g' }] }],
  ])('500 when %s', async (_name, patch) => {
    const bw = await start();
    const response = await sync(bw, JSON.stringify({ ...importBody(), ...patch }));
    expect(response.status).toBe(500);
    expect(response.json).toEqual(UNHANDLED);
  });

  describe('cloud count limit', () => {
    const many = (n: number, deleted = false) => Array.from({ length: n }, (_, i) => member(`u${i}@example.com`, `u${i}`, deleted));

    it('refuses more than 2000 non-deleted members without largeImport on cloud', async () => {
      const bw = await start();
      const response = await sync(bw, { members: many(2001) });
      expect(response.status).toBe(400);
      expect(response.json).toEqual(errorBody('You cannot import this much data at once.'));
      expect(bw.members()).toHaveLength(1);
    });

    it('allows exactly 2000, deleted members not counted, and largeImport', async () => {
      const bw = await start();
      expect((await sync(bw, { members: [...many(2000), member('gone@example.com', 'gone', true)] })).status).toBe(200);
      expect(bw.members()).toHaveLength(2001);
      expect((await sync(bw, { groups: Array.from({ length: 2001 }, (_, i) => group(`g${i}`, `g${i}`)), largeImport: true })).status).toBe(200);
      expect(bw.groups()).toHaveLength(2001);
    });

    it('has no limit when self-hosted', async () => {
      const bw = await start({ selfHosted: true });
      expect((await sync(bw, { members: many(2001) })).status).toBe(200);
    });
  });

  it('400 when the organization cannot use directory sync', async () => {
    const bw = await start({ organization: { useDirectory: false } });
    expect((await sync(bw, {})).json).toEqual(errorBody('Organization cannot use directory syncing.'));
  });

  it('404 when the organization of the token no longer exists', async () => {
    const bw = await start();
    bw.state.organizations.length = 0;
    const response = await postImport(bw, token, importBody());
    expect(response.status).toBe(404);
    expect(response.json).toEqual(errorBody('Resource not found.'));
  });

  it('413 above the body size limit, after the bearer check', async () => {
    const bw = await start({ maxBodyBytes: 1000 });
    const body = importBody({ members: Array.from({ length: 50 }, (_, i) => member(`u${i}@example.com`, `u${i}`)) });
    expect((await postImport(bw, 'bad-token', body)).status).toBe(401);
    const response = await postImport(bw, token, body);
    expect(response.status).toBe(413);
    expect(bw.requests({ route: 'import' }).at(-1)?.body).toEqual({ truncated: true, bytes: JSON.stringify(body).length });
  });
});

describe('import semantics (bitwarden mode)', () => {
  it('invites new members, creates groups, and converges on the second run', async () => {
    const bw = await start();
    const body = {
      members: [member('Ann@Example.com', 'ann'), member('bob@example.com', 'bob')],
      groups: [group('Engineering', 'eng', ['ann', 'bob', 'nobody'])],
    };
    const first = await sync(bw, body);
    expect(first.status).toBe(200);
    expect(first.text).toBe('');
    expect(first.headers.get('content-type')).toBeNull();
    expect(bw.member('ann@example.com')).toMatchObject({ email: 'ann@example.com', externalId: 'ann', status: 0, type: 2, userId: null, hasMasterPassword: false });
    expect([...(bw.group('eng')?.memberIds ?? [])].sort()).toEqual([bw.member('ann@example.com')?.id, bw.member('bob@example.com')?.id].sort());
    expect(bw.counters.invitesSent).toBe(2);
    expect(eventTypes(bw)).toEqual([1500, 1500, 1400]);

    const state = JSON.stringify({ members: bw.members(), groups: bw.groups() });
    expect((await sync(bw, body)).status).toBe(200);
    expect(JSON.stringify({ members: bw.members(), groups: bw.groups() })).toBe(state);
    expect(bw.counters.invitesSent).toBe(2);
    expect(eventTypes(bw)).toEqual([1500, 1500, 1400, 1401]);
  });

  it('S1: removes deleted members by externalId, never Owners, never members without externalId', async () => {
    const bw = await start();
    const gone = bw.addMember({ email: 'gone@example.com', externalId: 'gone', type: 1 });
    bw.addMember({ email: 'boss@example.com', externalId: 'boss', type: 0 });
    bw.addMember({ email: 'manual@example.com' });
    bw.addMember({ email: 'back@example.com', externalId: 'back' });
    const team = bw.addGroup({ name: 'Manual team', memberIds: [gone.id] });
    const response = await sync(bw, {
      members: [member('gone@example.com', 'gone', true), member('boss@example.com', 'boss', true), member('manual@example.com', 'manual', true), member('back@example.com', 'back', true), member('back@example.com', 'back')],
    });
    expect(response.status).toBe(200);
    expect(bw.member('gone@example.com')).toBeUndefined();
    expect(bw.member('boss@example.com')).toBeDefined();
    expect(bw.member('manual@example.com')?.externalId).toBeNull();
    expect(bw.member('back@example.com')).toBeDefined();
    expect(team.memberIds).toEqual([]);
    expect(bw.events()).toEqual([{ type: 1503, orgId: bw.organization.id, memberId: gone.id, groupId: null, date: '2026-09-01T10:00:00.000Z' }]);
  });

  it('S2: overwriteExisting removes external members not in the request', async () => {
    const bw = await start();
    bw.addMember({ email: 'keep@example.com', externalId: 'keep' });
    bw.addMember({ email: 'drop@example.com', externalId: 'drop' });
    bw.addMember({ email: 'manual@example.com' });
    bw.addMember({ email: 'owner2@example.com', externalId: 'owner2', type: 0 });
    const response = await sync(bw, { members: [member('keep@example.com', 'keep')], overwriteExisting: true });
    expect(response.status).toBe(200);
    expect(bw.members().map((m) => m.email).sort()).toEqual(['keep@example.com', 'manual@example.com', 'owner2@example.com', 'owner@example.com']);
  });

  it('S2: an external member still Invited blocks overwriteExisting, after S1 removals', async () => {
    const bw = await start();
    bw.addMember({ email: 'old@example.com', externalId: 'old' });
    bw.addMember({ email: 'pending@example.com', externalId: 'pending', status: 0 });
    const response = await sync(bw, { members: [member('old@example.com', 'old', true), member('new@example.com', 'new')], overwriteExisting: true });
    expect(response.status).toBe(400);
    expect(response.json).toEqual(errorBody("Sync failed. To proceed, disable the 'Remove and re-add users during next sync' setting and try again."));
    expect(bw.member('old@example.com')).toBeUndefined();
    expect(bw.member('pending@example.com')).toBeDefined();
    expect(bw.member('new@example.com')).toBeUndefined();
  });

  it('S3: links a pre-existing manual member by email instead of re-inviting', async () => {
    const bw = await start();
    const manual = bw.addMember({ email: 'carol@example.com', type: 1 });
    const response = await sync(bw, { members: [member('CAROL@example.com', 'carol')], groups: [group('Team', 'team', ['carol'])] });
    expect(response.status).toBe(200);
    expect(bw.member('carol@example.com')).toMatchObject({ id: manual.id, externalId: 'carol', type: 1, status: 2 });
    expect(bw.counters.invitesSent).toBe(0);
    expect(bw.group('team')?.memberIds).toEqual([manual.id]);
  });

  it('S3: duplicate emails in the request → 500 after S1 and S2 were applied', async () => {
    const bw = await start();
    bw.addMember({ email: 'gone@example.com', externalId: 'gone' });
    const response = await sync(bw, { members: [member('gone@example.com', 'gone', true), member('dup@example.com', 'd1'), member('DUP@example.com', 'd2')] });
    expect(response.status).toBe(500);
    expect(response.json).toEqual(UNHANDLED);
    expect(bw.member('gone@example.com')).toBeUndefined();
    expect(bw.member('dup@example.com')).toBeUndefined();
  });

  it('S3: linking an externalId another member holds → 500', async () => {
    const bw = await start();
    bw.addMember({ email: 'holder@example.com', externalId: 'x' });
    bw.addMember({ email: 'manual@example.com' });
    const response = await sync(bw, { members: [member('manual@example.com', 'x')] });
    expect(response.status).toBe(500);
  });

  it('S0: duplicate externalIds among existing members → 500 on every import', async () => {
    const bw = await start();
    bw.addMember({ email: 'a@example.com', externalId: 'same' });
    bw.addMember({ email: 'b@example.com', externalId: 'same' });
    expect((await sync(bw, {})).status).toBe(500);
    expect((await sync(bw, { members: [member('c@example.com', 'c')] })).status).toBe(500);
    expect(bw.member('c@example.com')).toBeUndefined();
  });

  it('S4: an email that already belongs to a member is skipped silently; its group reference does not resolve', async () => {
    const bw = await start();
    const existing = bw.addMember({ email: 'dan@example.com', externalId: 'dan-old' });
    const response = await sync(bw, { members: [member('dan@example.com', 'dan-new')], groups: [group('G', 'g', ['dan-new'])] });
    expect(response.status).toBe(200);
    expect(bw.members().filter((m) => m.email === 'dan@example.com')).toEqual([existing]);
    expect(existing.externalId).toBe('dan-old');
    expect(bw.group('g')?.memberIds).toEqual([]);
  });

  it('S4: duplicate externalIds with different emails are both invited', async () => {
    const bw = await start();
    expect((await sync(bw, { members: [member('e1@example.com', 'e'), member('e2@example.com', 'e')] })).status).toBe(200);
    expect(bw.members().filter((m) => m.externalId === 'e')).toHaveLength(2);
    expect((await sync(bw, {})).status).toBe(500);
  });

  it('batched imports see the members of earlier batches and of changes made to the state in between', async () => {
    const bw = await start();
    const large = { largeImport: true };
    expect((await sync(bw, { ...large, members: [member('a@example.com', 'a'), member('b@example.com', 'b')] })).status).toBe(200);
    expect((await sync(bw, { ...large, members: [member('c@example.com', 'c')] })).status).toBe(200);
    expect((await sync(bw, { ...large, groups: [group('G', 'g', ['a', 'b', 'c'])] })).status).toBe(200);
    const id = (email: string) => bw.member(email)?.id;
    expect(bw.group('g')?.memberIds).toEqual([id('a@example.com'), id('b@example.com'), id('c@example.com')]);
    // Changed behind the server's back: re-keyed, removed, added.
    bw.member('a@example.com')!.externalId = 'a2';
    bw.state.removeMember(bw.member('b@example.com')!);
    bw.addMember({ email: 'd@example.com', externalId: 'd' });
    expect((await sync(bw, { ...large, groups: [group('G', 'g', ['a', 'a2', 'b', 'c', 'd'])] })).status).toBe(200);
    expect(bw.group('g')?.memberIds).toEqual([id('a@example.com'), id('c@example.com'), id('d@example.com')]);
    expect((await sync(bw, { ...large, members: [member('b@example.com', 'b')] })).status).toBe(200);
    expect(bw.member('b@example.com')?.status).toBe(0);
    // A failed import keeps nothing stale either.
    bw.failImportAt('S5');
    expect((await sync(bw, { ...large, members: [member('e@example.com', 'e')], groups: [group('G', 'g', ['e'])] })).status).toBe(500);
    bw.addMember({ email: 'f@example.com', externalId: 'e' });
    expect((await sync(bw, {})).status).toBe(500);
  });

  it('S4 staged path: status 3, event 1523, no invite, no seat check', async () => {
    const bw = await start({ organization: { stagedFlag: true, seats: 1 } });
    const response = await sync(bw, { members: [member('s1@example.com', 's1'), member('s2@example.com', 's2')], inviteUsersAfterProvisioning: false });
    expect(response.status).toBe(200);
    expect(bw.member('s1@example.com')).toMatchObject({ status: 3, type: 2, userId: null, hasMasterPassword: false });
    expect(bw.counters).toMatchObject({ invitesSent: 0, autoscales: 0 });
    expect(eventTypes(bw)).toEqual([1523, 1523]);
  });

  it('S4: without the staged flag, inviteUsersAfterProvisioning false still invites', async () => {
    const bw = await start();
    await sync(bw, { members: [member('s1@example.com', 's1')], inviteUsersAfterProvisioning: false });
    expect(bw.member('s1@example.com')?.status).toBe(0);
  });

  describe('seats', () => {
    const three = { members: [member('a@example.com', 'a'), member('b@example.com', 'b'), member('c@example.com', 'c')] };

    it('cloud autoscales: needed = invites − (seats − occupied)', async () => {
      const bw = await start({ organization: { seats: 2 } });
      bw.addMember({ email: 'revoked@example.com', status: -1 });
      bw.addMember({ email: 'staged@example.com', status: 3 });
      expect((await sync(bw, three)).status).toBe(200);
      expect(bw.organization.seats).toBe(4);
      expect(bw.counters).toMatchObject({ autoscales: 1, seatsAdded: 2, invitesSent: 3 });
    });

    it('self-hosted cannot autoscale', async () => {
      const bw = await start({ selfHosted: true, organization: { seats: 2 } });
      const response = await sync(bw, three);
      expect(response.json).toEqual(errorBody('Cannot autoscale on self-hosted instance.'));
      expect(bw.members()).toHaveLength(1);
    });

    it('maxAutoscaleSeats reached', async () => {
      const bw = await start({ organization: { seats: 2, maxAutoscaleSeats: 3 } });
      expect((await sync(bw, three)).json).toEqual(errorBody('Seat limit has been reached.'));
      expect(bw.organization.seats).toBe(2);
    });

    it.each([
      ['provider', 'Seat limit has been reached. Please contact your provider to add more seats.'],
      ['reseller', 'Seat limit has been reached. Contact your provider to purchase additional seats.'],
      ['cancelled', 'You do not have an active subscription. Reinstate your subscription to make changes'],
    ] as const)('%s billing', async (billing, message) => {
      const bw = await start({ organization: { seats: 1, billing } });
      expect((await sync(bw, three)).json).toEqual(errorBody(message));
    });

    it('enough seats: no autoscale', async () => {
      const bw = await start({ organization: { seats: 4 } });
      expect((await sync(bw, three)).status).toBe(200);
      expect(bw.counters.autoscales).toBe(0);
    });
  });

  it('needs a confirmed owner to invite', async () => {
    const bw = await start({ owner: { status: 1 } });
    expect((await sync(bw, { members: [member('a@example.com', 'a')] })).json).toEqual(errorBody('Organization must have at least one confirmed owner.'));
    expect((await sync(bw, { members: [] })).status).toBe(200);
  });

  describe('S5 groups', () => {
    it('needs useGroups only when groups are sent', async () => {
      const bw = await start({ organization: { useGroups: false } });
      expect((await sync(bw, { members: [member('a@example.com', 'a')] })).status).toBe(200);
      expect((await sync(bw, { groups: [group('G', 'g')] })).json).toEqual(errorBody('Organization cannot use groups.'));
    });

    it('renames, replaces membership (dropping manual members), ignores unknown ids, leaves other groups alone', async () => {
      const bw = await start();
      const ann = bw.addMember({ email: 'ann@example.com', externalId: 'ann' });
      const manual = bw.addMember({ email: 'manual@example.com' });
      const eng = bw.addGroup({ name: 'Eng', externalId: 'eng', memberIds: [manual.id] });
      const other = bw.addGroup({ name: 'Other', externalId: 'other', memberIds: [ann.id, manual.id] });
      const noExt = bw.addGroup({ name: 'Engineering', memberIds: [manual.id] });
      const response = await sync(bw, { members: [member('ann@example.com', 'ann')], groups: [group('Engineering', 'eng', ['ann', 'ghost']), group('Engineering', 'eng2')] });
      expect(response.status).toBe(200);
      expect(eng).toMatchObject({ name: 'Engineering', memberIds: [ann.id] });
      expect(other.memberIds).toEqual([ann.id, manual.id]);
      expect(noExt.memberIds).toEqual([manual.id]);
      expect(bw.groups().filter((g) => g.name === 'Engineering')).toHaveLength(3);
      expect(eventTypes(bw)).toEqual([1401, 1400]);
    });

    it('duplicate group externalIds in the request → 500 after members were added', async () => {
      const bw = await start();
      const response = await sync(bw, { members: [member('a@example.com', 'a')], groups: [group('G1', 'g'), group('G2', 'g')] });
      expect(response.status).toBe(500);
      expect(bw.member('a@example.com')).toBeDefined();
      expect(bw.groups()).toHaveLength(0);
    });

    it('duplicate externalIds among existing groups → 500', async () => {
      const bw = await start();
      bw.addGroup({ name: 'A', externalId: 'g' });
      bw.addGroup({ name: 'B', externalId: 'g' });
      expect((await sync(bw, { groups: [group('C', 'c')] })).status).toBe(500);
      expect((await sync(bw, {})).status).toBe(200);
    });
  });

  it('partial failure at S5 keeps S1–S4; the retry converges', async () => {
    const bw = await start();
    bw.addMember({ email: 'old@example.com', externalId: 'old' });
    const body = { members: [member('old@example.com', 'old', true), member('new@example.com', 'new')], groups: [group('G', 'g', ['new'])] };
    const fault = bw.failImportAt('S5');
    const failed = await sync(bw, body);
    expect(failed.status).toBe(500);
    expect(failed.json).toEqual(UNHANDLED);
    expect(fault.fired).toBe(1);
    expect(bw.member('old@example.com')).toBeUndefined();
    expect(bw.member('new@example.com')).toBeDefined();
    expect(bw.groups()).toHaveLength(0);
    expect(bw.requests({ route: 'import' }).at(-1)).toMatchObject({ status: 500, fault: 'import-step S5' });

    expect((await sync(bw, body)).status).toBe(200);
    expect(bw.group('g')?.memberIds).toEqual([bw.member('new@example.com')?.id]);
    expect(bw.counters.invitesSent).toBe(1);
  });

  it('a fault at S6 applies everything but answers the error', async () => {
    const bw = await start();
    bw.failImportAt('S6', { status: 503, body: 'upstream timeout' });
    const response = await sync(bw, { members: [member('a@example.com', 'a')] });
    expect(response).toMatchObject({ status: 503, text: 'upstream timeout' });
    expect(bw.member('a@example.com')).toBeDefined();
  });

  it('routes without the /api prefix', async () => {
    const bw = await start();
    const response = await postImport(bw, token, importBody({ members: [member('a@example.com', 'a')] }), { path: '/public/organization/import' });
    expect(response.status).toBe(200);
  });
});
