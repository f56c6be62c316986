import { describe, expect, it } from '@jest/globals';
import { DirconnError } from '@dirconn/core';
import { MIGRATIONS, migrateDocument, migrateTo1, migrateTo2, readSchemaVersion, type Migration } from './data-file.migrations.js';
import { DATA_FILE_SCHEMA_VERSION, DataFileSchemaError, validateDataFile } from './data-file.schema.js';

describe('MIGRATIONS table', () => {
  it('has exactly one migration per version from 1 to the current version', () => {
    const versions = Object.keys(MIGRATIONS).map(Number).sort((a, b) => a - b);
    expect(versions).toEqual(Array.from({ length: DATA_FILE_SCHEMA_VERSION }, (_, i) => i + 1));
  });
});

describe('migrations[1] (version 0 → 1)', () => {
  it('turns an empty {} into a version 1 document that validates with defaults', () => {
    const migrated = migrateTo1({});
    expect(migrated).toEqual({ schemaVersion: 1 });
    const { data, filled } = validateDataFile(migrateTo2(migrated), () => 'app');
    expect(data.appId).toBe('app');
    expect(filled).toEqual(expect.arrayContaining(['appId', 'config', 'auth', 'state']));
  });

  it('keeps the keys of a pre-release dirconn file', () => {
    const doc = { appId: 'a', config: { directory: 'ldap' }, auth: { clientId: 'organization.x', organizationId: 'x' }, extra: 1 };
    const migrated = migrateTo1(doc);
    expect(migrated).toEqual({ ...doc, schemaVersion: 1 });
    expect(validateDataFile(migrateTo2(migrated)).data.config.directory).toBe('ldap');
  });

  it('does not mutate its input', () => {
    const doc = { appId: 'a' };
    migrateTo1(doc);
    expect(doc).toEqual({ appId: 'a' });
  });

  it('refuses a Bitwarden Directory Connector file', () => {
    expect(() => migrateTo1({ stateVersion: 8 })).toThrow(expect.objectContaining({ code: 'config.invalid' }));
  });
});

describe('migrations[2] (version 1 → 2): the sync state belongs to the organization (issue #9 item 2)', () => {
  const state = (lastFullSync: string, externalIds: string[]) => ({
    lastSyncHash: 'h',
    lastUserSync: lastFullSync,
    lastGroupSync: lastFullSync,
    lastFullSync,
    cursor: null,
    lastCounts: { users: externalIds.length, groups: 0 },
    syncedUsers: externalIds.map((externalId) => ({ externalId, email: `${externalId}@example.com` })),
    syncedGroups: [],
  });

  it('re-keys each organization\'s state by server and organization, keeping the configured directory\'s', () => {
    const doc = {
      schemaVersion: 1,
      appId: 'a',
      config: { server: { base: 'https://vault.example.com' }, directory: 'ldap', directories: { ldap: { id: 'cfg-new', hostname: 'localhost' } } },
      state: {
        'org-1:ldap:cfg-old': state('2026-03-01T00:00:00.000Z', ['old']),
        'org-1:ldap:cfg-new': state('2026-01-01T00:00:00.000Z', ['kept']),
        'org-2:sample:default': state('2026-02-01T00:00:00.000Z', ['s1']),
        'org-2:sample:other': state('2026-02-02T00:00:00.000Z', ['s2']),
        'not a version 1 key': { lastSyncHash: null },
      },
    };
    const migrated = migrateTo2(doc);
    expect(migrated['schemaVersion']).toBe(2);
    const api = 'https://vault.example.com/api';
    expect(Object.keys(migrated['state'] as object).sort()).toEqual(['not a version 1 key', `org-1@${api}`, `org-2@${api}`]);
    const { data } = validateDataFile(migrated);
    // The configured directory's state wins over a fresher one of an older config id…
    expect(data.state[`org-1@${api}`]?.syncedUsers).toEqual([{ externalId: 'kept', email: 'kept@example.com' }]);
    expect(data.state[`org-1@${api}`]).toMatchObject({ source: { type: 'ldap', identity: null }, groupMemberCounts: null, lastSyncHash: 'h' });
    // …otherwise the most recently synced one is kept.
    expect(data.state[`org-2@${api}`]?.syncedUsers).toEqual([{ externalId: 's2', email: 's2@example.com' }]);
    expect(data.state[`org-2@${api}`]?.source).toEqual({ type: 'sample', identity: null });
    expect(data.state['not a version 1 key']).toMatchObject({ lastSyncHash: null, source: null });
    expect(doc.state['org-1:ldap:cfg-old'].syncedUsers).toHaveLength(1);
  });

  it('uses the cloud API URL when no server is configured, and runs from version 1 through migrateDocument', () => {
    const result = migrateDocument({ schemaVersion: 1, state: { 'org-1:ldap:default': state('2026-01-01T00:00:00.000Z', ['x']) } });
    expect(result.applied).toEqual([2]);
    expect(Object.keys(result.doc['state'] as object)).toEqual(['org-1@https://api.bitwarden.com']);
  });

  it('refuses wrong new fields by path', () => {
    const doc = migrateTo2({ schemaVersion: 1, state: { s: { groupMemberCounts: { G: 'x' }, source: null } } });
    expect(() => validateDataFile(doc)).toThrow('state.s.groupMemberCounts.G must be a number (found string)');
    const bad = migrateTo2({ schemaVersion: 1, state: { s: { source: { type: 1, identity: null } } } });
    expect(() => validateDataFile(bad)).toThrow('state.s.source.type must be a string (found number)');
  });
});

describe('migrateDocument', () => {
  const table: Record<number, Migration> = {
    1: (d) => ({ ...d, schemaVersion: 1, one: true }),
    2: (d) => ({ ...d, schemaVersion: 2, two: true }),
    3: (d) => ({ ...d, schemaVersion: 3, three: true }),
  };

  it('runs the numbered migrations in order from the file version', () => {
    const result = migrateDocument({ schemaVersion: 1 }, { migrations: table, targetVersion: 3 });
    expect(result).toEqual({ doc: { schemaVersion: 3, two: true, three: true }, fromVersion: 1, applied: [2, 3] });
  });

  it('a missing schemaVersion is version 0', () => {
    expect(migrateDocument({}, { migrations: table, targetVersion: 2 }).applied).toEqual([1, 2]);
  });

  it('a current document is returned as is', () => {
    const doc = { schemaVersion: 3 };
    expect(migrateDocument(doc, { migrations: table, targetVersion: 3 })).toEqual({ doc, fromVersion: 3, applied: [] });
  });

  it('a newer document is refused with store.io', () => {
    let error: unknown;
    try {
      migrateDocument({ schemaVersion: 4 }, { migrations: table, targetVersion: 3, fileLabel: 'The data file /x/data.json' });
    } catch (e) {
      error = e;
    }
    expect(DirconnError.is(error)).toBe(true);
    expect(error).toMatchObject({ code: 'store.io', details: { schemaVersion: 4, supported: 3 } });
    expect((error as Error).message).toBe(
      'The data file /x/data.json has schema version 4, but this dirconn only understands versions up to 3; it was left untouched.',
    );
  });

  it('a gap in the table or a migration that forgets the version is a bug (internal)', () => {
    expect(() => migrateDocument({}, { migrations: { 2: table[2]! }, targetVersion: 2 })).toThrow('No migration to data file schema version 1');
    expect(() => migrateDocument({}, { migrations: { 1: (d) => d }, targetVersion: 1 })).toThrow('did not set schemaVersion');
  });

  it.each([['1'], [1.5], [-1], [null]])('schemaVersion %p is a schema error', (version) => {
    expect(() => readSchemaVersion({ schemaVersion: version })).toThrow(DataFileSchemaError);
  });
});
