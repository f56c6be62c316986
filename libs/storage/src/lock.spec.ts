/**
 * The lock against REAL concurrent processes. The child is a plain `node` (process.execPath) running
 * a tiny .mjs script that imports THIS lib's lock.ts through a throw-away swc loader (see
 * spec-helpers.ts `writeTsLoader`): the same code on both sides, no build needed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { DirconnError } from '@dirconn/core';
import { LOCK_DIR_NAME, LOCK_OWNER_FILE_NAME } from './data-dir.js';
import { acquireLock, readLockOwner } from './lock.js';
import { caught, makeTempDir, modeOf, sourceUrl, writeTsLoader } from './spec-helpers.js';

const STALE_MS = 2000; // proper-lockfile's minimum
const UPDATE_MS = 1000; // proper-lockfile's minimum

let dir: string;
let dataDir: string;
let cleanup: () => Promise<void>;
let script: string;
let nodeArgs: string[];
const children: ChildProcess[] = [];

/**
 * The child: `node holder.mjs <dataDir> <mode> <staleMs> <updateMs>`. Modes: `hold` (take the lock,
 * print "locked", wait to be killed), `hold-then-exit` (same, then exit normally after 200 ms
 * without releasing), `try` (print "acquired" or the error code, release, exit).
 */
const HOLDER = `
const { acquireLock } = await import(${JSON.stringify(sourceUrl('lock'))});
const [dataDir, mode, stale, update] = process.argv.slice(2);
try {
  const lock = await acquireLock(dataDir, { command: 'dirconn sync', staleMs: Number(stale), updateMs: Number(update) });
  if (mode === 'try') { console.log('acquired'); await lock.release(); process.exit(0); }
  console.log('locked');
  if (mode === 'hold-then-exit') setTimeout(() => process.exit(0), 200);
  else setInterval(() => {}, 1000);
} catch (error) {
  console.log(error.code ?? String(error));
  process.exit(mode === 'try' ? 0 : 1);
}
`;

beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir());
  dataDir = path.join(dir, 'data');
  script = path.join(dir, 'holder.mjs');
  await fs.writeFile(script, HOLDER);
  nodeArgs = await writeTsLoader(dir);
});

afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await cleanup();
});

/** Starts a child and resolves with it and its first stdout line. */
function startChild(mode: 'hold' | 'try' | 'hold-then-exit'): Promise<{ child: ChildProcess; line: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, script, dataDir, mode, String(STALE_MS), String(UPDATE_MS)], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let out = '';
    let err = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n') && line !== undefined) resolve({ child, line: line.trim() });
    });
    child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('exit', (code) => {
      if (!out.includes('\n')) reject(new Error(`holder exited (${code}) without output: ${err}`));
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.on('exit', () => resolve()));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('acquireLock across processes', () => {
  it('fails fast with store.locked naming the holder (pid and command) while another process holds it', async () => {
    await fs.mkdir(dataDir);
    const { child, line } = await startChild('hold');
    expect(line).toBe('locked');

    const started = Date.now();
    const error = await caught(() => acquireLock(dataDir, { command: 'dirconn test', staleMs: STALE_MS, updateMs: UPDATE_MS }));
    expect(Date.now() - started).toBeLessThan(1000); // no waiting
    expect(DirconnError.is(error)).toBe(true);
    const e = error as DirconnError;
    expect(e.code).toBe('store.locked');
    expect(e.message).toContain(`The dirconn data directory ${dataDir} is in use by another dirconn process (pid ${child.pid}, "dirconn sync", since `);
    expect(e.hint).toContain(`ps -p ${child.pid}`);
    expect(e.details).toMatchObject({ dataDir, owner: { pid: child.pid, command: 'dirconn sync' } });
  }, 20_000);

  it('holds against another process: the child cannot take a lock this process holds', async () => {
    const held = await acquireLock(dataDir, { command: 'dirconn sync', staleMs: STALE_MS, updateMs: UPDATE_MS });
    expect(await readLockOwner(dataDir)).toMatchObject({ pid: process.pid, command: 'dirconn sync' });
    expect((await startChild('try')).line).toBe('store.locked');
    await held.release();
    expect((await startChild('try')).line).toBe('acquired');
  }, 20_000);

  it('recovers the lock of a SIGKILLed holder once it is stale', async () => {
    await fs.mkdir(dataDir);
    const { child } = await startChild('hold');
    child.kill('SIGKILL');
    await exited(child);

    // Right after the kill the lock is still fresh: refused, but the message says the holder is gone.
    const early = (await caught(() => acquireLock(dataDir, { command: 'dirconn test', staleMs: STALE_MS, updateMs: UPDATE_MS }))) as DirconnError;
    expect(early.code).toBe('store.locked');
    expect(early.message).toContain('which no longer runs');
    expect(early.hint).toContain('recovered automatically within 2 seconds');

    // Then it is taken over once its mtime is older than staleMs (proper-lockfile may round the
    // mtime up to the next second on file systems with coarse timestamps, hence polling).
    const killedAt = Date.now();
    let lock: Awaited<ReturnType<typeof acquireLock>> | undefined;
    while (!lock && Date.now() - killedAt < STALE_MS + 5000) {
      await sleep(250);
      lock = await acquireLock(dataDir, { command: 'dirconn test', staleMs: STALE_MS, updateMs: UPDATE_MS }).catch((error: unknown) => {
        expect(error).toMatchObject({ code: 'store.locked' });
        return undefined;
      });
    }
    expect(lock).toBeDefined();
    expect(Date.now() - killedAt).toBeGreaterThanOrEqual(STALE_MS - 1000);
    expect(await readLockOwner(dataDir)).toMatchObject({ pid: process.pid, command: 'dirconn test' });
    await lock!.release();
  }, 20_000);

  it('a holder that exits normally releases the lock on its way out', async () => {
    await fs.mkdir(dataDir);
    const { child } = await startChild('hold-then-exit');
    await exited(child);
    const lock = await acquireLock(dataDir, { command: 'dirconn test', staleMs: STALE_MS, updateMs: UPDATE_MS });
    await lock.release();
  }, 20_000);
});

describe('acquireLock in one process', () => {
  it('creates the data directory 0700, records the owner, releases idempotently', async () => {
    const lock = await acquireLock(dataDir, { command: 'dirconn sync' });
    expect(await modeOf(dataDir)).toBe(0o700);
    expect(await modeOf(path.join(dataDir, LOCK_OWNER_FILE_NAME))).toBe(0o600);
    await expect(acquireLock(dataDir, { command: 'dirconn status' })).rejects.toMatchObject({ code: 'store.locked' });

    await Promise.all([lock.release(), lock.release()]);
    await lock.release();
    expect(await fs.readdir(dataDir)).toEqual([]);
    const again = await acquireLock(dataDir, { command: 'dirconn status' });
    await again.release();
  });

  it('without an owner sidecar the holder is "pid unknown"', async () => {
    const lock = await acquireLock(dataDir, { command: 'x' });
    await fs.rm(path.join(dataDir, LOCK_OWNER_FILE_NAME));
    const error = (await caught(() => acquireLock(dataDir, { command: 'y' }))) as DirconnError;
    expect(error.message).toContain('(pid unknown)');
    await lock.release();
  });

  it('a lost lock is reported through onCompromised and assertHeld, never as an uncaught exception', async () => {
    const onCompromised = jest.fn<(error: DirconnError) => void>();
    const lock = await acquireLock(dataDir, { command: 'dirconn sync', staleMs: STALE_MS, updateMs: UPDATE_MS, onCompromised });
    expect(() => lock.assertHeld()).not.toThrow();

    await fs.rm(path.join(dataDir, LOCK_DIR_NAME), { recursive: true }); // someone deleted the lock
    await sleep(UPDATE_MS + 700);

    expect(onCompromised).toHaveBeenCalledTimes(1);
    const error = onCompromised.mock.calls[0]![0];
    expect(error.code).toBe('store.locked');
    expect(error.message).toContain('was lost while "dirconn sync" was running');
    expect(lock.compromised).toBe(error);
    expect(() => lock.assertHeld()).toThrow(error);
    await expect(lock.release()).resolves.toBeUndefined();
  }, 20_000);

  it('without onCompromised a lost lock becomes a process warning', async () => {
    const emitWarning = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      const lock = await acquireLock(dataDir, { command: 'dirconn sync', staleMs: STALE_MS, updateMs: UPDATE_MS });
      await fs.rm(path.join(dataDir, LOCK_DIR_NAME), { recursive: true });
      await sleep(UPDATE_MS + 700);
      expect(emitWarning).toHaveBeenCalledWith(
        expect.stringContaining('was lost while "dirconn sync" was running'),
        expect.objectContaining({ type: 'DirconnLockWarning' }),
      );
      await lock.release();
    } finally {
      emitWarning.mockRestore();
    }
  }, 20_000);

  it('an unusable data directory is store.io', async () => {
    const blocker = path.join(dir, 'file');
    await fs.writeFile(blocker, '');
    await expect(acquireLock(path.join(blocker, 'sub'), { command: 'x' })).rejects.toMatchObject({ code: 'store.io' });
  });
});
