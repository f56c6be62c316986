/**
 * In-process checks of the CLI's error surface: --json usage errors, hints on every error, "did you
 * mean" for mistyped settings, and the server URL check (the e2e specs cover the same with real servers).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { DirconnError, suggestKeys } from '@dirconn/core';
import { providerDefinitions } from '@dirconn/providers';
import { main } from './main.js';
import { Output, fallbackHint } from './output.js';

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'dirconn-cli-errors-'));
});
afterEach(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['node', 'dirconn', ...args], {
    stdout: { write: (s: string) => out.push(s), isTTY: false },
    stderr: { write: (s: string) => err.push(s), isTTY: false },
    env: { DIRCONN_DATA_DIR: dataDir, DIRCONN_PLAINTEXT_SECRETS: 'true' },
  });
  return { code, stdout: out.join(''), stderr: err.join('') };
}

describe('--json usage errors', () => {
  it.each([
    [['--json', 'sync', '--no-such-option']],
    [['sync', '--no-such-option', '--json']],
    [['--json', 'no-such-command']],
    [['--json', 'last-sync', 'everything']],
    [['--json', 'sync', '--allow-removals', 'many']],
  ])('%j → exit 2 and one {error} document on stdout', async (args) => {
    const r = await run(args);
    expect(r.code).toBe(2);
    const doc = JSON.parse(r.stdout) as { error: { code: string; message: string; hint: string } };
    expect(doc).toEqual({ error: { code: 'usage', message: expect.any(String), hint: expect.any(String) } });
    expect(doc.error.message).not.toMatch(/^error:/);
  });

  it('without --json, usage errors print nothing on stdout', async () => {
    const r = await run(['sync', '--no-such-option']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/unknown option/);
  });

  it('a --json after "--" is an argument, not the flag', async () => {
    const r = await run(['explain', '--', '--json']);
    expect(r.stdout.trim().startsWith('{')).toBe(false);
  });
});

describe('every error has a hint', () => {
  it('adds a fallback when the error has none', () => {
    const out: string[] = [];
    const output = new Output({ stdout: { write: (s: string) => out.push(s) }, stderr: { write: () => undefined }, env: {} }, { json: true, color: false, quiet: false });
    const data = output.error(new DirconnError('bitwarden.rejected', 'Bitwarden rejected the import (HTTP 400): Organization must have at least one confirmed owner.', { details: { appliedRequests: 0 } }));
    expect(data.hint).toBe(fallbackHint('bitwarden.rejected'));
    expect(JSON.parse(out.join(''))).toEqual({ error: { code: 'bitwarden.rejected', message: expect.any(String), hint: expect.any(String), details: { appliedRequests: 0 } } });
  });

  it('keeps the error own hint', () => {
    const output = new Output({ stdout: { write: () => undefined }, stderr: { write: () => undefined }, env: {} }, { json: true, color: false, quiet: false });
    expect(output.error(new DirconnError('usage', 'x', { hint: 'mine' })).hint).toBe('mine');
  });
});

describe('config', () => {
  it('suggests the setting a typo meant', () => {
    expect(suggestKeys(providerDefinitions, 'sync.usres')).toContain('sync.users');
    expect(suggestKeys(providerDefinitions, 'ldap.hostnmae')).toContain('ldap.hostname');
    expect(suggestKeys(providerDefinitions, 'sync.userfiltr')).toContain('sync.userFilter');
  });

  it.each(['ht!tp://x', 'vault.example.com://x', 'https://bad host', 'ftp://vault.example.com', 'https://vault.example.com?x=1'])('refuses the server URL %s and saves nothing', async (url) => {
    await run(['config', 'directory', 'sample']);
    const before = readFileSync(join(dataDir, 'data.json'), 'utf8');
    const r = await run(['config', 'server', url]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('Invalid value');
    expect(readFileSync(join(dataDir, 'data.json'), 'utf8')).toBe(before);
  });

  it.each([
    ['https://vault.example.com/', 'https://vault.example.com'],
    ['vault.example.com', 'https://vault.example.com'],
    ['http://127.0.0.1:8080', 'http://127.0.0.1:8080'],
    ['https://bw_intranet.corp:8443/bitwarden', 'https://bw_intranet.corp:8443/bitwarden'],
    ['EU', 'eu'],
    ['us', 'us'],
  ])('accepts the server %s (saved as %s)', async (input, saved) => {
    const r = await run(['--json', 'config', 'server', input]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ key: 'server', value: saved });
  });
});
