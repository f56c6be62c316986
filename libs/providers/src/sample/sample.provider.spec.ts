import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { DEFAULT_SYNC_CONFIG, type SyncConfig } from '@dirconn/core';
import { testProviderDeps } from '@dirconn/core/testing';
import { bundledSampleFile, checkSetFilter, parseSetFilter, passesSetFilter } from './sample.config.js';
import { sampleDefinition } from './sample.definition.js';

const read = (sync: Partial<SyncConfig> = {}, file: string | null = null, flags = { users: true, groups: true }) =>
  sampleDefinition
    .create(testProviderDeps({ config: { file }, sync: { users: flags.users, groups: flags.groups, ...sync } }))
    .read({ force: true, ...flags });

const dir = mkdtempSync(join(tmpdir(), 'dirconn-sample-'));

describe('bundled sample directory', () => {
  it('resolves next to src/ and dist/ (../../data)', () => {
    expect(bundledSampleFile()).toMatch(/libs\/providers\/data\/sample-directory\.json$/);
  });

  it('is a fictional company: 25 users at example.com, 2 disabled, 6 groups incl. a nested one', async () => {
    const snapshot = await read();
    expect(snapshot.mode).toBe('full');
    expect(snapshot.users).toHaveLength(25);
    expect(snapshot.users?.every((u) => u.email?.endsWith('@example.com'))).toBe(true);
    expect(snapshot.users?.filter((u) => u.disabled)).toHaveLength(2);
    expect(new Set(snapshot.users?.map((u) => u.externalId)).size).toBe(25);
    expect(snapshot.groups).toHaveLength(6);
    const allStaff = snapshot.groups?.find((g) => g.name === 'All Staff');
    expect(allStaff?.groupMemberReferenceIds.length).toBeGreaterThan(0);
    const ids = new Set(snapshot.users?.map((u) => u.externalId));
    const groupRefs = new Set(snapshot.groups?.map((g) => g.referenceId));
    for (const g of snapshot.groups ?? []) {
      for (const m of g.userMemberExternalIds) expect(ids.has(m)).toBe(true);
      for (const c of g.groupMemberReferenceIds) expect(groupRefs.has(c)).toBe(true);
    }
  });

  it('honors sync.users and sync.groups', async () => {
    const usersOnly = await read({}, null, { users: true, groups: false });
    expect(usersOnly.groups).toBeNull();
    expect(usersOnly.users).toHaveLength(25);
    const groupsOnly = await read({}, null, { users: false, groups: true });
    expect(groupsOnly.users).toBeNull();
    expect(groupsOnly.groups).toHaveLength(6);
  });
});

describe('set filters (reference §5.2)', () => {
  it('includes and excludes users by email, case-insensitively', async () => {
    const inc = await read({ userFilter: 'include: Amelia.Hart@example.com , priya.raman@example.com' }, null, { users: true, groups: false });
    expect(inc.users?.map((u) => u.email)).toEqual(['amelia.hart@example.com', 'priya.raman@example.com']);
    const exc = await read({ userFilter: 'EXCLUDE:amelia.hart@example.com' }, null, { users: true, groups: false });
    expect(exc.users).toHaveLength(24);
  });

  it('filters groups by name and scopes users to members of kept groups (§5.4)', async () => {
    const snapshot = await read({ groupFilter: 'include:Sales' });
    expect(snapshot.groups?.map((g) => g.name)).toEqual(['Sales']);
    expect(snapshot.users?.map((u) => u.email).sort()).toEqual(['chloe.dubois@example.com', 'grace.lindqvist@example.com', 'olivia.bennett@example.com', 'rafael.costa@example.com', 'samuel.adeyemi@example.com']);
  });

  it('keeps disabled users outside the kept groups when they are being removed (§5.4)', async () => {
    const snapshot = await read({ groupFilter: 'include:Marketing', removeDisabled: true });
    const emails = snapshot.users?.map((u) => u.email) ?? [];
    expect(emails).toContain('lukas.brandt@example.com');
    expect(emails).toContain('chloe.dubois@example.com');
    expect(emails).toHaveLength(6);
  });

  it.each([
    ['include:a:b', /contains ":"/],
    ['only:a', /unknown keyword "only"/],
    ['include:', /no values/],
    ['a,b', /expected <keyword>:<values>/],
    ['include:a|orgUnitPath=/x', /no native query/],
  ])('rejects %s instead of silently ignoring it', async (filter, message) => {
    expect(() => parseSetFilter(filter, 'sync.userFilter')).toThrow(message);
    expect(checkSetFilter(filter)).toMatch(message);
    await expect(read({ userFilter: filter })).rejects.toMatchObject({ code: 'config.invalid' });
  });

  it('treats blank and query-less clauses as no filter', () => {
    expect(parseSetFilter('')).toBeNull();
    expect(parseSetFilter('  |  ')).toBeNull();
    expect(passesSetFilter(null, 'x')).toBe(true);
    expect(passesSetFilter(parseSetFilter('exclude:--'), null)).toBe(false);
  });
});

describe('custom files', () => {
  it('reads sample.file', async () => {
    const file = join(dir, 'tiny.json');
    writeFileSync(file, JSON.stringify({ users: [{ id: 'u1', email: ' A@Example.com ', deleted: true }], groups: [{ id: 'g1', name: 'G', members: ['u1', 'u1'] }] }));
    const snapshot = await read({}, file);
    expect(snapshot.users).toEqual([{ externalId: 'u1', referenceId: 'u1', email: 'a@example.com', disabled: false, deleted: true }]);
    expect(snapshot.groups).toEqual([{ externalId: 'g1', referenceId: 'g1', name: 'G', userMemberExternalIds: ['u1'], groupMemberReferenceIds: [] }]);
  });

  it('names the file and the problem', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"users": [{"email": "x@y"}]}');
    await expect(read({}, bad)).rejects.toMatchObject({ code: 'config.invalid', message: expect.stringContaining('users[0] has no id') });
    writeFileSync(bad, '{ nope');
    await expect(read({}, bad)).rejects.toMatchObject({ code: 'config.invalid', message: expect.stringContaining('not JSON') });
    await expect(read({}, join(dir, 'missing.json'))).rejects.toMatchObject({ code: 'config.invalid', message: expect.stringContaining('ENOENT') });
  });

  it('validates the file and filters up front', () => {
    expect(sampleDefinition.validate({ file: join(dir, 'missing.json') }, { ...DEFAULT_SYNC_CONFIG, userFilter: 'include:a:b' }, false).map((i) => i.key)).toEqual(['sample.file', 'sync.userFilter']);
    expect(sampleDefinition.validate({ file: null }, DEFAULT_SYNC_CONFIG, false)).toEqual([]);
  });
});
