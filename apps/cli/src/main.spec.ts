/**
 * CLI at parse and run() level, in-process with in-memory streams (no servers): exit codes, the
 * one-JSON-document rule, validation where input enters, and the sample source end to end.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { ignoreClosedPipe, main } from './main.js';
import type { CliIO } from './output.js';
import { EXIT_CODE_TABLE, exitCodeFor } from './exit-codes.js';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

let dataDir: string;

function io(env: Record<string, string | undefined> = {}): CliIO & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    stdout: { write: (s: string) => out.push(s), isTTY: false },
    stderr: { write: (s: string) => err.push(s), isTTY: false },
    env: { DIRCONN_DATA_DIR: dataDir, DIRCONN_PLAINTEXT_SECRETS: 'true', ...env },
  };
}

async function run(args: string[], env: Record<string, string | undefined> = {}): Promise<Run> {
  const streams = io(env);
  const code = await main(['node', 'dirconn', ...args], streams);
  return { code, stdout: streams.out.join(''), stderr: streams.err.join('') };
}

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'dirconn-cli-spec-'));
});
afterEach(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

describe('exit codes', () => {
  it.each([
    ['usage', 2],
    ['config.invalid', 3],
    ['config.incomplete', 3],
    ['auth.directory', 4],
    ['auth.bitwarden', 4],
    ['provider.unreachable', 5],
    ['provider.incomplete-read', 5],
    ['sync.safety-stop', 6],
    ['sync.plan-stale', 6],
    ['store.locked', 7],
    ['cancelled', 130],
    ['internal', 1],
  ] as const)('%s → %i', (code, exit) => {
    expect(exitCodeFor(code)).toBe(exit);
  });

  it('documents every code it can return', () => {
    const documented = new Set(EXIT_CODE_TABLE.map(([code]) => code));
    for (const code of [0, 1, 2, 3, 4, 5, 6, 7, 130]) expect(documented.has(code)).toBe(true);
  });
});

describe('parsing and validation', () => {
  it('rejects an unknown command with exit 2', async () => {
    const r = await run(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown command/i);
  });

  it('rejects an unknown setting with exit 2 and a suggestion', async () => {
    const r = await run(['config', 'sync.userfiltr', 'x']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Unknown setting "sync.userfiltr"');
  });

  it.each([
    ['sync.users', 'maybe', /sync\.users.*true or false/],
    ['ldap.port', 'abc', /ldap\.port.*whole number/],
    ['sync.maxRemovalPercent', '150', /at most 100/],
    ['server', 'ftp://vault.example.com', /http/],
    ['directory', 'novell', /one of ldap, entra, google, okta, onelogin, sample/],
    ['sync.emailSuffix', 'example.com', /starting with @/],
    ['sync.userFilter', '(cn=foo', /sync\.userFilter/],
    ['sync.userPath', 'not a dn', /sync\.userPath/],
    ['ldap.sslCaPath', '/nonexistent/ca.pem', /cannot be read/],
  ])('config %s %s is rejected with exit 3 and nothing is saved', async (key, value, message) => {
    await run(['config', 'sync.users', 'true']);
    const before = readFileSync(join(dataDir, 'data.json'), 'utf8');
    const r = await run(['config', key, value]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(message);
    expect(readFileSync(join(dataDir, 'data.json'), 'utf8')).toBe(before);
  });

  it('never accepts a secret on argv', async () => {
    await run(['config', 'ldap.hostname', 'dc1.example.com']);
    const r = await run(['config', 'ldap.password', 'hunter2']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/never accepted as command-line arguments/);
    expect(readFileSync(join(dataDir, 'data.json'), 'utf8')).not.toContain('hunter2');
  });

  it('reads a secret from --secretenv and masks it when shown', async () => {
    const set = await run(['config', 'ldap.password', '--secretenv', 'MY_PW'], { MY_PW: 's3cret-value' });
    expect(set.code).toBe(0);
    const show = await run(['config', 'ldap.password']);
    expect(show.stdout.trim()).toBe('(set)');
    expect(show.stdout + show.stderr).not.toContain('s3cret-value');
  });

  it('prints exactly one JSON document for results and for errors', async () => {
    const ok = await run(['--json', 'config', 'sync.users', 'true']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ key: 'sync.users', value: true, saved: true });
    const bad = await run(['--json', 'config', 'sync.users', 'maybe']);
    expect(bad.code).toBe(3);
    expect(JSON.parse(bad.stdout)).toMatchObject({ error: { code: 'config.invalid' } });
  });

  it('prints the current value of a setting', async () => {
    await run(['config', 'ldap.hostname', 'dc1.example.com']);
    const r = await run(['config', 'ldap.hostname']);
    expect(r.stdout.trim()).toBe('dc1.example.com');
  });

  it('refuses sync without login with exit 4, and test without a directory with exit 3', async () => {
    const test = await run(['test']);
    expect(test.code).toBe(3);
    expect(test.stderr).toMatch(/No directory is configured/);
    await run(['config', 'directory', 'sample']);
    await run(['config', 'sync.users', 'true']);
    const sync = await run(['sync']);
    expect(sync.code).toBe(4);
    expect(sync.stderr).toMatch(/not logged in/);
  });
});

describe('sample source', () => {
  it('test and sync --dry-run work without a Bitwarden login', async () => {
    for (const args of [['config', 'directory', 'sample'], ['config', 'sync.users', 'true'], ['config', 'sync.groups', 'true']]) {
      expect((await run(args)).code).toBe(0);
    }
    const test = await run(['--json', 'test']);
    expect(test.code).toBe(0);
    const result = JSON.parse(test.stdout) as { enabledUsers: unknown[]; disabledUsers: unknown[]; groups: { displayName: string; userIds: string[] }[] };
    expect(result.enabledUsers).toHaveLength(23);
    expect(result.disabledUsers).toHaveLength(2);
    expect(result.groups.map((g) => g.displayName)).toContain('All Staff');
    expect(result.groups.find((g) => g.displayName === 'All Staff')?.userIds).toHaveLength(25);

    const dry = await run(['--json', 'sync', '--dry-run']);
    expect(dry.code).toBe(0);
    const plan = JSON.parse(dry.stdout) as { outcome: string; requestsPosted: number; plan: { orgView: string; summary: { invites: number } } };
    expect(plan.outcome).toBe('dry-run');
    expect(plan.requestsPosted).toBe(0);
    expect(plan.plan.orgView).toBe('directory-only');
    expect(plan.plan.summary.invites).toBe(25);
  });
});

describe('a closed output pipe (dirconn … | head)', () => {
  it('is not an error: EPIPE is ignored, any other stream error still surfaces', () => {
    const epipe = Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });
    const other = Object.assign(new Error('write EIO'), { code: 'EIO' });
    expect(() => ignoreClosedPipe(epipe)).not.toThrow();
    expect(() => ignoreClosedPipe(other)).toThrow('write EIO');
  });
});

describe('sync --interval and the logging options (usage)', () => {
  it.each([
    [['sync', '--interval', '5', '--allow-removals', '3'], /cannot be combined with --allow-\*, --plan or --dry-run/],
    [['sync', '--interval', '5', '--dry-run'], /cannot be combined/],
    [['sync', '--interval', '0'], /expected a number greater than 0/],
    [['sync', '--interval', 'soon'], /expected a number greater than 0/],
    [['--log-format', 'xml', 'sync'], /Allowed choices are text, json/],
    [['--log-level', 'trace', 'sync'], /Allowed choices are debug, info, warn, error/],
    [['--log-max-files', '1.5', 'sync'], /expected a whole number greater than 0/],
  ])('dirconn %j is a usage error', async (args, message) => {
    const result = await run(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it('an unwritable --log-file fails before the command runs (exit 3)', async () => {
    const result = await run(['--log-file', join(dataDir, 'missing', 'dirconn.log'), 'sync', '--dry-run']);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('Cannot open the log file');
  });
});
