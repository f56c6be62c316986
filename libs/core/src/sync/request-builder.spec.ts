import { describe, expect, it } from '@jest/globals';
import { hasErrorCode } from '../errors.js';
import { directoryA } from '../testing/index.js';
import { flattenGroups } from './flatten.js';
import { normalizeUsers } from './normalize.js';
import {
  buildImportRequests,
  IMPORT_BATCH_SIZE,
  isBatchedImport,
  OVERWRITE_WITH_LARGE_IMPORT_MESSAGE,
  serializeImportRequests,
  type ImportGroupInput,
  type ImportUserInput,
} from './request-builder.js';

const single = { overwriteExisting: false, largeImport: false, inviteUsersAfterProvisioning: false };
const large = { overwriteExisting: false, largeImport: true, inviteUsersAfterProvisioning: false };

function users(count: number, prefix = 'u'): ImportUserInput[] {
  return Array.from({ length: count }, (_, i) => ({ email: `${prefix}${i}@example.com`, externalId: `${prefix}${i}`, deleted: false }));
}
function groups(count: number): ImportGroupInput[] {
  return Array.from({ length: count }, (_, i) => ({ name: `G${i}`, externalId: `g${i}`, userExternalIds: [`u${i}`] }));
}

function directoryAInputs(): { users: ImportUserInput[]; groups: ImportGroupInput[] } {
  const snap = directoryA();
  return {
    users: normalizeUsers(snap.users!).users.map((u) => ({ email: u.email, externalId: u.externalId, deleted: u.deleted })),
    groups: flattenGroups(snap.groups!),
  };
}

describe('buildImportRequests: single request (reference §7.5)', () => {
  it('produces the reference key order, byte for byte', () => {
    const requests = buildImportRequests(
      [{ email: 'a@example.com', externalId: 'a', deleted: false }],
      [{ name: 'G', externalId: 'g', userExternalIds: ['a', 'b'] }],
      { ...single, overwriteExisting: true },
    );
    expect(serializeImportRequests(requests)).toBe(
      '{"groups":[{"name":"G","externalId":"g","memberExternalIds":["a","b"]}],' +
        '"members":[{"email":"a@example.com","externalId":"a","deleted":false}],' +
        '"overwriteExisting":true,"largeImport":false,"inviteUsersAfterProvisioning":false}',
    );
  });

  it('sends one request with largeImport false even when largeImport is on and the total is at most the batch size', () => {
    const requests = buildImportRequests(users(1000), groups(1000), large);
    expect(requests).toHaveLength(1);
    expect(requests[0]!.largeImport).toBe(false);
    expect(requests[0]!.members).toHaveLength(1000);
    expect(requests[0]!.groups).toHaveLength(1000);
  });

  it('sends one request for any size when largeImport is off', () => {
    const requests = buildImportRequests(users(5000), groups(10), single);
    expect(requests).toHaveLength(1);
    expect(requests[0]!.members).toHaveLength(5000);
  });

  it('forwards inviteUsersAfterProvisioning true / false', () => {
    expect(buildImportRequests(users(1), null, { ...single, inviteUsersAfterProvisioning: true })[0]!.inviteUsersAfterProvisioning).toBe(true);
    expect(buildImportRequests(users(1), null, single)[0]!.inviteUsersAfterProvisioning).toBe(false);
  });

  it('sends empty arrays (never null) when a kind is not synced', () => {
    expect(serializeImportRequests(buildImportRequests(null, null, single))).toBe(
      '{"groups":[],"members":[],"overwriteExisting":false,"largeImport":false,"inviteUsersAfterProvisioning":false}',
    );
  });

  it('Directory A, defaults: one request with overwriteExisting false', () => {
    const { users: u, groups: g } = directoryAInputs();
    const requests = buildImportRequests(u, g, single);
    expect(requests).toHaveLength(1);
    expect(requests[0]!.overwriteExisting).toBe(false);
    expect(requests[0]!.members).toHaveLength(20);
    expect(requests[0]!.groups.map((x) => [x.name, x.memberExternalIds.length])).toEqual([
      ['Blue Team', 3],
      ['Red Team', 2],
      ['Cleaners', 0],
      ['DevOps Team', 3],
      ['Security Team', 2],
    ]);
  });
});

describe('buildImportRequests: batches (reference §7.5)', () => {
  it('Directory A with batch size 4: 5 user chunks then 2 group chunks', () => {
    const { users: u, groups: g } = directoryAInputs();
    const requests = buildImportRequests(u, g, { ...large, batchSize: 4 });
    expect(requests).toHaveLength(7);
    expect(requests.map((r) => [r.members.length, r.groups.length])).toEqual([
      [4, 0],
      [4, 0],
      [4, 0],
      [4, 0],
      [4, 0],
      [0, 4],
      [0, 1],
    ]);
    expect(requests.every((r) => r.largeImport && !r.overwriteExisting)).toBe(true);
  });

  it('11,000 users + 11,000 groups → 12 requests of at most 2000', () => {
    const requests = buildImportRequests(users(11_000), groups(11_000), large);
    expect(requests).toHaveLength(12);
    expect(requests.slice(0, 6).every((r) => r.groups.length === 0 && r.members.length > 0)).toBe(true);
    expect(requests.slice(6).every((r) => r.members.length === 0 && r.groups.length > 0)).toBe(true);
    expect(requests.map((r) => r.members.length + r.groups.length)).toEqual([2000, 2000, 2000, 2000, 2000, 1000, 2000, 2000, 2000, 2000, 2000, 1000]);
    expect(requests.flatMap((r) => r.members.map((m) => m.externalId))).toEqual(users(11_000).map((u) => u.externalId));
  });

  it('is batched only when users + groups exceed the batch size', () => {
    expect(isBatchedImport(IMPORT_BATCH_SIZE, 0, { largeImport: true })).toBe(false);
    expect(isBatchedImport(IMPORT_BATCH_SIZE, 1, { largeImport: true })).toBe(true);
    expect(isBatchedImport(IMPORT_BATCH_SIZE, 1, { largeImport: false })).toBe(false);
  });

  it('refuses overwriteExisting with batches (config.invalid, reference message)', () => {
    let caught: unknown;
    try {
      buildImportRequests(users(3), groups(3), { ...large, overwriteExisting: true, batchSize: 4 });
    } catch (error) {
      caught = error;
    }
    expect(hasErrorCode(caught, 'config.invalid')).toBe(true);
    expect((caught as Error).message).toBe(OVERWRITE_WITH_LARGE_IMPORT_MESSAGE);
  });

  it('posts deleted members last, after the groups, so a failure part-way never removed anyone early', () => {
    const mixed: ImportUserInput[] = [
      { email: 'a@x.io', externalId: 'a', deleted: false },
      { email: 'd1@x.io', externalId: 'd1', deleted: true },
      { email: 'b@x.io', externalId: 'b', deleted: false },
      { email: 'd2@x.io', externalId: 'd2', deleted: true },
      { email: 'c@x.io', externalId: 'c', deleted: false },
    ];
    const requests = buildImportRequests(mixed, groups(2), { ...large, batchSize: 2 });
    expect(requests.map((r) => [r.members.map((m) => m.externalId), r.groups.map((g) => g.externalId)])).toEqual([
      [['a', 'b'], []],
      [['c'], []],
      [[], ['g0', 'g1']],
      [['d1', 'd2'], []],
    ]);
  });

  it('serialises batches as the array of requests; each element is the posted body', () => {
    const requests = buildImportRequests(users(3), groups(2), { ...large, batchSize: 2 });
    const text = serializeImportRequests(requests);
    expect(text).toBe(`[${requests.map((r) => JSON.stringify(r)).join(',')}]`);
    expect(text.startsWith('[{"groups":[],"members":[{"email":"u0@example.com","externalId":"u0","deleted":false}')).toBe(true);
  });

  it('rejects a batch size below 1', () => {
    expect(() => buildImportRequests(users(3), null, { ...large, batchSize: 0 })).toThrow('Invalid import batch size');
  });
});
