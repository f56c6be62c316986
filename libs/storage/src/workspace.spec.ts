import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { DirconnError, EMPTY_SYNC_STATE } from '@dirconn/core';
import { openWorkspace, type Workspace } from './workspace.js';
import { caught, makeTempDir, modeOf } from './spec-helpers.js';

let dir: string;
let dataDir: string;
let cleanup: () => Promise<void>;
const open: Workspace[] = [];

beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir());
  dataDir = path.join(dir, 'data');
});
afterEach(async () => {
  for (const workspace of open.splice(0)) await workspace.close();
  await cleanup();
});

async function openWs(options: { lock: boolean; command?: string; staleMs?: number }): Promise<Workspace> {
  const workspace = await openWorkspace({
    dataDir,
    lock: options.lock,
    command: options.command ?? 'dirconn test',
    ...(options.staleMs ? { lockOptions: { staleMs: options.staleMs, updateMs: 1000, onCompromised: () => undefined } } : {}),
  });
  open.push(workspace);
  return workspace;
}

const readDisk = async (ws: Workspace) => JSON.parse(await fs.readFile(ws.paths.dataFile, 'utf8')) as Record<string, unknown>;

describe('openWorkspace', () => {
  it('creates the directory (0700) and the data file, exposes paths, releases on close', async () => {
    const ws = await openWs({ lock: true });
    expect(ws.created).toBe(true);
    expect(ws.locked).toBe(true);
    expect(ws.paths).toMatchObject({ dataDir, dataFile: path.join(dataDir, 'data.json'), reportsDir: path.join(dataDir, 'reports') });
    expect(await modeOf(dataDir)).toBe(0o700);
    expect(await modeOf(ws.paths.dataFile)).toBe(0o600);
    expect(ws.data.schemaVersion).toBe(2);

    await ws.close();
    await ws.close(); // twice is fine
    expect((await fs.readdir(dataDir)).sort()).toEqual(['data.json']);
  });

  it('tightens an existing data directory readable by others', async () => {
    await fs.mkdir(dataDir, { mode: 0o755 });
    await fs.chmod(dataDir, 0o755);
    await openWs({ lock: false });
    expect(await modeOf(dataDir)).toBe(0o700);
  });

  it('uses DIRCONN_DATA_DIR from env when no dataDir is given', async () => {
    const ws = await openWorkspace({ lock: false, command: 'x', env: { DIRCONN_DATA_DIR: dataDir } });
    open.push(ws);
    expect(ws.paths.dataDir).toBe(dataDir);
  });

  it('a second locked open fails fast with store.locked; a read-only open works', async () => {
    await openWs({ lock: true, command: 'dirconn sync' });
    const error = await caught(() => openWs({ lock: true, command: 'dirconn status' }));
    expect(error).toMatchObject({ code: 'store.locked' });
    expect((error as DirconnError).message).toContain(`pid ${process.pid}, "dirconn sync"`);
    const reader = await openWs({ lock: false });
    expect(reader.locked).toBe(false);
  });

  it('a damaged data file fails the open and leaves nothing locked', async () => {
    await fs.mkdir(dataDir, { recursive: true });
    await fs.writeFile(path.join(dataDir, 'data.json'), '{broken');
    await expect(openWs({ lock: true })).rejects.toMatchObject({ code: 'store.corrupt' });
    const next = await openWs({ lock: true });
    expect(next.created).toBe(true);
  });

  it('writes a migrated file back only when it holds the lock', async () => {
    await fs.mkdir(dataDir, { recursive: true });
    await fs.writeFile(path.join(dataDir, 'data.json'), '{}');
    const reader = await openWs({ lock: false });
    expect(reader.data.schemaVersion).toBe(2);
    expect(await fs.readFile(reader.paths.dataFile, 'utf8')).toBe('{}');

    const writer = await openWs({ lock: true });
    expect(await readDisk(writer)).toMatchObject({ schemaVersion: 2, appId: writer.data.appId });
  });
});

describe('workspace.update', () => {
  it('writes the change atomically and returns what the mutator returns', async () => {
    const ws = await openWs({ lock: true });
    const result = await ws.update((data) => {
      data.auth.clientId = 'organization.1';
      data.state['org:ldap:1'] = { ...EMPTY_SYNC_STATE, lastSyncHash: 'abc' };
      return 42;
    });
    expect(result).toBe(42);
    expect(ws.data.auth.clientId).toBe('organization.1');
    expect(await readDisk(ws)).toMatchObject({ auth: { clientId: 'organization.1' }, state: { 'org:ldap:1': { lastSyncHash: 'abc' } } });
    expect(await modeOf(ws.paths.dataFile)).toBe(0o600);
    expect((await fs.readdir(dataDir)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('saves nothing when the mutator throws, even after changing the draft', async () => {
    const ws = await openWs({ lock: true });
    const before = await fs.readFile(ws.paths.dataFile, 'utf8');
    await expect(
      ws.update((data) => {
        data.auth.clientId = 'half-done';
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    await expect(
      ws.update(async (data) => {
        data.config.sync.users = true;
        await Promise.resolve();
        throw new DirconnError('cancelled', 'Cancelled.');
      }),
    ).rejects.toMatchObject({ code: 'cancelled' });
    expect(ws.data.auth.clientId).toBeNull();
    expect(ws.data.config.sync.users).toBe(false);
    expect(await fs.readFile(ws.paths.dataFile, 'utf8')).toBe(before);
  });

  it('refuses to save invalid data (a bug) and saves nothing', async () => {
    const ws = await openWs({ lock: true });
    const error = await caught(() =>
      ws.update((data) => {
        (data.config.sync as unknown as Record<string, unknown>)['maxRemovals'] = 'many';
      }),
    );
    expect(error).toMatchObject({ code: 'internal' });
    expect((error as Error).message).toContain('config.sync.maxRemovals must be a number');
    expect(ws.data.config.sync.maxRemovals).toBe(5);
  });

  it('runs concurrent updates one after another', async () => {
    const ws = await openWs({ lock: true });
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        ws.update(async (data) => {
          await new Promise((resolve) => setTimeout(resolve, 10 - i));
          data.config.sync.maxRemovals += 1;
        }),
      ),
    );
    expect(ws.data.config.sync.maxRemovals).toBe(15);
    expect(await readDisk(ws)).toMatchObject({ config: { sync: { maxRemovals: 15 } } });
  });

  it('fails after close', async () => {
    const ws = await openWs({ lock: true });
    await ws.close();
    await expect(ws.update(() => undefined)).rejects.toMatchObject({ code: 'internal' });
  });

  it('without a held lock, takes the lock per transaction and re-reads the file first', async () => {
    const desktop = await openWs({ lock: false, command: 'dirconn desktop' });
    const cli = await openWs({ lock: true, command: 'dirconn sync' });
    await cli.update((data) => {
      data.auth.organizationId = 'org-1';
    });

    // Busy while the CLI holds the lock.
    await expect(desktop.update((data) => void (data.config.sync.users = true))).rejects.toMatchObject({ code: 'store.locked' });
    await cli.close();

    await desktop.update((data) => {
      data.config.sync.users = true;
    });
    expect(desktop.data.auth.organizationId).toBe('org-1'); // the CLI's write was not lost
    expect(await readDisk(desktop)).toMatchObject({ auth: { organizationId: 'org-1' }, config: { sync: { users: true } } });
    expect((await fs.readdir(dataDir)).sort()).toEqual(['data.json']); // lock released again
  });

  it('reload() picks up another process’s changes', async () => {
    const reader = await openWs({ lock: false });
    const writer = await openWs({ lock: true });
    await writer.update((data) => void (data.auth.clientId = 'organization.9'));
    expect(reader.data.auth.clientId).toBeNull();
    expect((await reader.reload()).auth.clientId).toBe('organization.9');
  });

  it('refuses to write once the lock was lost', async () => {
    const ws = await openWs({ lock: true, staleMs: 2000 });
    const before = await fs.readFile(ws.paths.dataFile, 'utf8');
    await fs.rm(path.join(dataDir, 'dirconn.lock'), { recursive: true });
    await new Promise((resolve) => setTimeout(resolve, 1700));
    await expect(ws.update((data) => void (data.auth.clientId = 'x'))).rejects.toMatchObject({ code: 'store.locked' });
    expect(await fs.readFile(ws.paths.dataFile, 'utf8')).toBe(before);
  }, 20_000);

  it('saves the state of 100k synced users in one update quickly', async () => {
    const ws = await openWs({ lock: true });
    const syncedUsers = Array.from({ length: 100_000 }, (_, i) => ({ externalId: `id-${i}`, email: `user${i}@example.com` }));
    const t0 = performance.now();
    await ws.update((data) => {
      data.state['org:ldap:1'] = { ...EMPTY_SYNC_STATE, syncedUsers };
    });
    const firstMs = performance.now() - t0;
    const t1 = performance.now();
    await ws.update((data) => {
      data.state['org:ldap:1']!.lastSyncHash = 'h';
    });
    const secondMs = performance.now() - t1;
    console.log(`workspace.update with 100k syncedUsers: first ${firstMs.toFixed(0)} ms, next (copy + validate + write) ${secondMs.toFixed(0)} ms`);
    expect(ws.data.state['org:ldap:1']?.syncedUsers).toHaveLength(100_000);
    expect(secondMs).toBeLessThan(5000);
  });
});
