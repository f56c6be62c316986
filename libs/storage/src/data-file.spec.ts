import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { DEFAULT_SYNC_CONFIG, DirconnError, EMPTY_SYNC_STATE, type SyncState } from '@dirconn/core';
import { loadDataFile, serializeDataFile } from './data-file.js';
import { DATA_FILE_SCHEMA_VERSION, defaultDataFile, validateDataFile, type DataFile } from './data-file.schema.js';
import { caught, makeTempDir, modeOf } from './spec-helpers.js';

let dir: string;
let file: string;
let cleanup: () => Promise<void>;

beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir());
  file = path.join(dir, 'data.json');
});
afterEach(() => cleanup());

const fixedNow = () => new Date('2025-03-04T05:06:07.089Z');

async function writeRaw(value: unknown): Promise<void> {
  await fs.writeFile(file, typeof value === 'string' ? value : JSON.stringify(value), { mode: 0o600 });
}

function validDoc(): Record<string, unknown> {
  return JSON.parse(serializeDataFile(defaultDataFile(() => 'app-1'))) as Record<string, unknown>;
}

describe('loadDataFile: missing file', () => {
  it('creates data.json with defaults, mode 0600', async () => {
    const loaded = await loadDataFile(file, { newId: () => 'app-new' });
    expect(loaded.created).toBe(true);
    expect(loaded.db.data).toEqual(defaultDataFile(() => 'app-new'));
    expect(await modeOf(file)).toBe(0o600);
    expect(JSON.parse(await fs.readFile(file, 'utf8'))).toEqual(loaded.db.data);
    expect(await fs.readdir(dir)).toEqual(['data.json']); // no temp file left behind
  });

  it('creates an appId once: a second load keeps it', async () => {
    const first = await loadDataFile(file);
    const second = await loadDataFile(file);
    expect(second.created).toBe(false);
    expect(second.needsWrite).toBe(false);
    expect(second.db.data.appId).toBe(first.db.data.appId);
    expect(first.db.data.appId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('two processes creating at once end up with one file and one appId', async () => {
    const results = await Promise.all([loadDataFile(file), loadDataFile(file), loadDataFile(file)]);
    const onDisk = JSON.parse(await fs.readFile(file, 'utf8')) as DataFile;
    expect(results.filter((r) => r.created)).toHaveLength(1);
    for (const r of results) expect(r.db.data.appId).toBe(onDisk.appId);
  });
});

describe('loadDataFile: tolerant validation', () => {
  it('fills defaults for missing optional keys and keeps unknown keys through a write', async () => {
    const doc = validDoc();
    const config = doc['config'] as { sync: Record<string, unknown>; server: Record<string, unknown> };
    delete config.sync['fullSyncIntervalHours'];
    config.sync['futureSetting'] = 'kept';
    delete doc['auth'];
    doc['state'] = { 'org:ldap:1': { lastSyncHash: 'h', futureStateKey: 1 } };
    doc['futureTopLevel'] = { a: 1 };
    await writeRaw(doc);

    const { db, adapter, needsWrite } = await loadDataFile(file);
    expect(needsWrite).toBe(false);
    expect(db.data.config.sync.fullSyncIntervalHours).toBe(DEFAULT_SYNC_CONFIG.fullSyncIntervalHours);
    expect(db.data.auth).toEqual({ clientId: null, organizationId: null });
    expect(db.data.state['org:ldap:1']).toEqual({ ...EMPTY_SYNC_STATE, lastSyncHash: 'h', futureStateKey: 1 });
    expect(adapter.lastRead?.filled).toEqual(
      expect.arrayContaining(['config.sync.fullSyncIntervalHours', 'auth', 'state["org:ldap:1"].syncedUsers']),
    );

    await db.write();
    const written = JSON.parse(await fs.readFile(file, 'utf8')) as Record<string, unknown>;
    expect(written['futureTopLevel']).toEqual({ a: 1 });
    expect((written['config'] as { sync: Record<string, unknown> }).sync['futureSetting']).toBe('kept');
  });

  it('keeps plaintextSecrets only when present', async () => {
    const doc = validDoc();
    doc['plaintextSecrets'] = { 'secretLdap:1': 'pw' };
    await writeRaw(doc);
    expect((await loadDataFile(file)).db.data.plaintextSecrets).toEqual({ 'secretLdap:1': 'pw' });
    expect('plaintextSecrets' in validateDataFile(validDoc()).data).toBe(false);
  });

  it('keeps a directory type it does not know (the registry decides what is available, not the schema)', async () => {
    const doc = validDoc();
    const config = doc['config'] as Record<string, unknown>;
    config['directory'] = 'novell';
    config['directories'] = { novell: { id: 'n1', tree: 'CORP' } };
    await writeRaw(doc);
    const loaded = (await loadDataFile(file)).db.data.config;
    expect(loaded.directory).toBe('novell');
    expect(loaded.directories['novell']).toEqual({ id: 'n1', tree: 'CORP' });
  });

  it('tightens a data file readable by others to 0600 and the directory to 0700', async () => {
    await writeRaw(validDoc());
    await fs.chmod(file, 0o644);
    await fs.chmod(dir, 0o755);
    await loadDataFile(file);
    expect(await modeOf(file)).toBe(0o600);
    // The directory is tightened by whoever opens the workspace (ensurePrivateDir), see workspace.spec.ts.
  });
});

describe('loadDataFile: damaged file', () => {
  const cases: [string, (doc: Record<string, unknown>) => void, string][] = [
    ['a number given as text', (d) => ((d['config'] as { sync: Record<string, unknown> }).sync['maxRemovals'] = '5'), 'config.sync.maxRemovals must be a number (found string)'],
    ['a boolean given as text', (d) => ((d['config'] as { sync: Record<string, unknown> }).sync['users'] = 'yes'), 'config.sync.users must be true or false (found string)'],
    ['a directory type that is not a name', (d) => ((d['config'] as Record<string, unknown>)['directory'] = 3), 'config.directory must be null or a directory type name'],
    ['a directory type with capitals and spaces', (d) => ((d['config'] as Record<string, unknown>)['directory'] = 'Novell eDirectory'), 'config.directory must be null or a directory type name'],
    ['a server URL of the wrong type', (d) => ((d['config'] as { server: Record<string, unknown> }).server['base'] = 3), 'config.server.base must be a string or null (found number)'],
    ['auth of the wrong type', (d) => (d['auth'] = { clientId: 7 }), 'auth.clientId must be a string or null (found number)'],
    [
      'a synced user without email',
      (d) => (d['state'] = { 'o:ldap:1': { ...EMPTY_SYNC_STATE, syncedUsers: [{ externalId: 'a', email: 'a@x' }, { externalId: 'b', email: 42 }] } }),
      'state["o:ldap:1"].syncedUsers[1].email must be a string (found number)',
    ],
    [
      'a pending user without externalId',
      (d) => (d['state'] = { 'o:ldap:1': { ...EMPTY_SYNC_STATE, pendingUsers: [{ email: 'a@x' }] } }),
      'state["o:ldap:1"].pendingUsers[0].externalId must be a string (found undefined)',
    ],
    ['state not an object', (d) => (d['state'] = []), 'state must be an object (found array)'],
    ['lastCounts wrong', (d) => (d['state'] = { s: { lastCounts: { users: 1 } } }), 'state.s.lastCounts.groups must be a number (found undefined)'],
    ['appId not a string', (d) => (d['appId'] = 1), 'appId must be a string (found number)'],
    ['schemaVersion as text', (d) => (d['schemaVersion'] = '1'), 'schemaVersion must be a whole number'],
  ];

  it.each(cases)('%s → store.corrupt naming the key, file moved aside', async (_name, damage, expected) => {
    const doc = validDoc();
    damage(doc);
    await writeRaw(doc);
    const original = await fs.readFile(file, 'utf8');

    const error = await caught(() => loadDataFile(file, { now: fixedNow }));
    const backup = `${file}.corrupt-2025-03-04T05-06-07.089Z`;
    expect(DirconnError.is(error) && error.code).toBe('store.corrupt');
    const e = error as DirconnError;
    expect(e.message).toContain(expected);
    expect(e.message).toContain(file);
    expect(e.message).toContain(backup);
    expect(e.hint).toContain('To restore it');
    expect(e.details).toMatchObject({ file, backup });
    await expect(fs.access(file)).rejects.toThrow();
    expect(await fs.readFile(backup, 'utf8')).toBe(original);
  });

  it('invalid JSON: names line and column, never quotes the content', async () => {
    await writeRaw('{\n  "schemaVersion": 1,\n  "plaintextSecrets": {"secretLdap:1": "hunter2"}\n  oops\n}');
    const error = (await caught(() => loadDataFile(file, { now: fixedNow }))) as DirconnError;
    expect(error.code).toBe('store.corrupt');
    expect(error.message).toMatch(/not valid JSON: syntax error at line 4, column 3/);
    expect(error.message).not.toContain('hunter2');
    expect(JSON.stringify(error.toData())).not.toContain('hunter2');
  });

  it('a wrong-typed plaintext secret is named by account, its value is never shown', async () => {
    const doc = validDoc();
    doc['plaintextSecrets'] = { 'secretLdap:1': ['hunter2'] };
    await writeRaw(doc);
    const error = (await caught(() => loadDataFile(file, { now: fixedNow }))) as DirconnError;
    expect(error.message).toContain('plaintextSecrets["secretLdap:1"] must be a string (found array)');
    expect(error.message).not.toContain('hunter2');
  });

  it.each([
    ['an empty file', '', 'the file is empty'],
    ['a JSON array', '[]', 'the top level must be a JSON object, found an array'],
    ['JSON null', 'null', 'found null'],
  ])('%s → store.corrupt', async (_name, text, expected) => {
    await writeRaw(text);
    const error = (await caught(() => loadDataFile(file, { now: fixedNow }))) as DirconnError;
    expect(error.code).toBe('store.corrupt');
    expect(error.message).toContain(expected);
  });

  it('never resets silently: the next load starts afresh only because the file was moved aside', async () => {
    await writeRaw('not json');
    await expect(loadDataFile(file, { now: fixedNow })).rejects.toMatchObject({ code: 'store.corrupt' });
    const fresh = await loadDataFile(file);
    expect(fresh.created).toBe(true);
    expect((await fs.readdir(dir)).sort()).toEqual(['data.json', 'data.json.corrupt-2025-03-04T05-06-07.089Z']);
  });

  it('two damaged files in the same millisecond get distinct backups', async () => {
    await writeRaw('x');
    await expect(loadDataFile(file, { now: fixedNow })).rejects.toMatchObject({ code: 'store.corrupt' });
    await writeRaw('y');
    const error = (await caught(() => loadDataFile(file, { now: fixedNow }))) as DirconnError;
    expect(error.message).toContain('.corrupt-2025-03-04T05-06-07.089Z-2');
  });
});

describe('loadDataFile: versions', () => {
  it('a newer schemaVersion is refused and left untouched', async () => {
    const doc = { ...validDoc(), schemaVersion: DATA_FILE_SCHEMA_VERSION + 1, somethingNew: true };
    await writeRaw(doc);
    const before = await fs.readFile(file, 'utf8');
    const error = (await caught(() => loadDataFile(file))) as DirconnError;
    expect(error.code).toBe('store.io');
    expect(error.message).toContain(`schema version ${DATA_FILE_SCHEMA_VERSION + 1}`);
    expect(error.message).toContain('left untouched');
    expect(error.hint).toContain('upgrade dirconn');
    expect(await fs.readFile(file, 'utf8')).toBe(before);
    expect(await fs.readdir(dir)).toEqual(['data.json']);
  });

  it('a Bitwarden Directory Connector data file is refused and left untouched', async () => {
    await writeRaw({ stateVersion: 8, directoryType: 0 });
    const error = (await caught(() => loadDataFile(file))) as DirconnError;
    expect(error.code).toBe('config.invalid');
    expect(error.message).toContain('Bitwarden Directory Connector');
    expect(await fs.readdir(dir)).toEqual(['data.json']);
  });

  it('a version 0 file ({}) is migrated, gets an appId and asks to be written back', async () => {
    await writeRaw({});
    const loaded = await loadDataFile(file, { newId: () => 'generated' });
    expect(loaded.needsWrite).toBe(true);
    expect(loaded.adapter.lastRead).toMatchObject({ fromVersion: 0, migrated: [1, 2] });
    expect(loaded.db.data).toEqual(defaultDataFile(() => 'generated'));
  });
});

describe('serializeDataFile', () => {
  it('round-trips, indents small sections and keeps each state on one line', () => {
    const data = defaultDataFile(() => 'app');
    data.state['o:ldap:1'] = { ...EMPTY_SYNC_STATE, syncedUsers: [{ externalId: 'a', email: 'a@x' }] };
    data.state['o:ldap:2'] = { ...EMPTY_SYNC_STATE };
    const text = serializeDataFile(data);
    expect(JSON.parse(text)).toEqual(data);
    expect(text).toContain('\n  "schemaVersion": 2,\n');
    expect(text).toContain('\n    "sync": {\n      "users": false,');
    expect(text).toContain('\n    "o:ldap:1": {"lastSyncHash":null,');
    expect(text.endsWith('}\n')).toBe(true);
  });
});

describe('large state', () => {
  it('writes and reads 100k synced users quickly', async () => {
    const loaded = await loadDataFile(file);
    const syncedUsers = Array.from({ length: 100_000 }, (_, i) => ({
      externalId: `8d3c3f1e-0000-4000-8000-${String(i).padStart(12, '0')}`,
      email: `user${i}@example.com`,
    }));
    const state: SyncState = { ...EMPTY_SYNC_STATE, syncedUsers, syncedGroups: Array.from({ length: 2000 }, (_, i) => `group-${i}`) };
    loaded.db.data.state['org:ldap:1'] = state;

    const t0 = performance.now();
    await loaded.db.write();
    const writeMs = performance.now() - t0;
    const size = (await fs.stat(file)).size;

    const t1 = performance.now();
    const reread = await loadDataFile(file);
    const readMs = performance.now() - t1;

    const t2 = performance.now();
    structuredClone(reread.db.data);
    const cloneMs = performance.now() - t2;

    console.log(
      `100k syncedUsers: write ${writeMs.toFixed(0)} ms (serialize + fsync + rename), read+validate ${readMs.toFixed(0)} ms, ` +
        `clone ${cloneMs.toFixed(0)} ms, file ${(size / 1024 / 1024).toFixed(1)} MiB`,
    );
    expect(reread.db.data.state['org:ldap:1']?.syncedUsers).toHaveLength(100_000);
    expect(writeMs).toBeLessThan(5000);
    expect(readMs).toBeLessThan(5000);
  });
});
