/**
 * `dirconn ui` end to end in one process: the real composition root over a temporary data directory,
 * the real handlers and the HTTP server on 127.0.0.1, driven like a browser would (token → cookie →
 * API calls with Origin), against the bundled sample source.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { acquireLock } from '@dirconn/storage';
import { createDesktopApi, type DesktopApi } from './desktop-api.js';
import { startUiServer, type RunningUiServer } from './ui-server.js';

const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

let dataDir: string;
let api: DesktopApi;
let server: RunningUiServer;
let cookie: string;

async function post(method: string, body: unknown = {}): Promise<{ status: number; json: { ok: boolean; value?: unknown; error?: { code: string; message: string } } }> {
  const response = await fetch(`${server.origin}/api/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: server.origin, cookie },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as { ok: boolean; value?: unknown; error?: { code: string; message: string } } };
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'dirconn-ui-'));
  api = await createDesktopApi({ face: 'browser', env: { DIRCONN_DATA_DIR: dataDir }, platform: process.platform, version: '9.9.9', logger: silent });
  server = await startUiServer({ call: api.call, rendererDir: null, logger: silent });
  const auth = await fetch(server.loginUrl, { redirect: 'manual' });
  expect(auth.status).toBe(303);
  cookie = (auth.headers.get('set-cookie') ?? '').split(';')[0]!;
});

afterAll(async () => {
  api.dispose();
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('dirconn ui session over real HTTP', () => {
  it('serves status from the real store with face "browser"', async () => {
    const { status, json } = await post('status');
    expect(status).toBe(200);
    expect(json).toMatchObject({ ok: true, value: { loggedIn: false, directory: null, dataDir, version: '9.9.9', face: 'browser' } });
  });

  it('configures the sample source and tests it', async () => {
    const saved = await post('setSettings', { values: { directory: 'sample', 'sync.users': true, 'sync.groups': true } });
    expect(saved.json).toMatchObject({ ok: true, value: { saved: ['directory', 'sync.users', 'sync.groups'] } });
    const test = await post('test');
    expect(test.json.ok).toBe(true);
    const counts = (test.json.value as { counts: { users: number; groups: number; enabled: number; disabled: number; deleted: number } }).counts;
    expect(counts.users).toBe(25);
    expect(counts.groups).toBe(6);
    expect(counts.enabled + counts.disabled + counts.deleted).toBe(25);
    await expect(post('status')).resolves.toMatchObject({ json: { value: { directory: { type: 'sample' } } } });
  });

  it('rejects invalid input with a usage error and an unknown method likewise', async () => {
    await expect(post('reports', { limit: 0 })).resolves.toMatchObject({ status: 200, json: { ok: false, error: { code: 'usage' } } });
    await expect(post('dropTables')).resolves.toMatchObject({ json: { ok: false, error: { code: 'usage' } } });
  });

  it('answers "in use by another dirconn process" while another process holds the store lock', async () => {
    const lock = await acquireLock(dataDir, { command: 'dirconn sync' });
    try {
      const busy = await post('setSettings', { values: { 'sync.maxRemovals': 7 } });
      expect(busy.json).toMatchObject({ ok: false, error: { code: 'store.locked', message: expect.stringContaining('in use by another dirconn process') } });
      // Reads without the lock still answer.
      await expect(post('listSettings')).resolves.toMatchObject({ json: { ok: true } });
    } finally {
      await lock.release();
    }
    await expect(post('setSettings', { values: { 'sync.maxRemovals': 7 } })).resolves.toMatchObject({ json: { ok: true } });
  });

  it('persists the schedule next to the data file', async () => {
    await expect(post('scheduleStart', { intervalMinutes: 60 })).resolves.toMatchObject({ json: { ok: true, value: { enabled: true, intervalMinutes: 60 } } });
    await expect(post('scheduleStop')).resolves.toMatchObject({ json: { ok: true, value: { enabled: false } } });
  });
});
