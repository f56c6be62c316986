/**
 * The release build as an admin installs it (issue #13 item 1): `npm run release` builds the npm
 * tarball and the Linux single executable; the tarball is installed with `npm install -g` into a
 * temporary prefix and the executable is run with no Node.js on PATH. Each must print the version,
 * read the bundled sample exactly as the development CLI does, and survive `| head`. The single
 * executable also logs in to the fake Bitwarden server with its secret in the real OS keychain
 * (its native keyring addon ships beside it) and syncs the sample.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { startFakeBitwarden, type FakeBitwarden } from '@dirconn/test-support';
import {
  CLI_BIN,
  cleanEnv,
  findSecrets,
  loginEnv,
  makeTempDir,
  preserveKeychainEntries,
  probeKeychain,
  readDataText,
  REPO_ROOT,
  syncedMembers,
} from './cli-harness.js';

const VERSION = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const RELEASE_DIR = join(REPO_ROOT, 'dist/release');
const TARBALL = join(RELEASE_DIR, `dirconn-${VERSION}.tgz`);
const EXECUTABLE = join(RELEASE_DIR, `dirconn-${VERSION}-linux-x64`, 'dirconn');
/** Node 22 (the one running the tests) first on PATH, as `npm run` would have it. */
const NODE22_PATH = `${dirname(process.execPath)}${delimiter}${process.env['PATH'] ?? ''}`;
const REQUIRE_KEYRING = process.env['DIRCONN_REQUIRE_KEYRING'] === '1';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(file: string, args: string[], env: Record<string, string>, timeoutMs = 60_000): Promise<Run> {
  return new Promise((resolve) => {
    execFile(file, args, { env, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, cwd: REPO_ROOT }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
      resolve({ code, stdout, stderr });
    });
  });
}

async function ok(file: string, args: string[], env: Record<string, string>, timeoutMs?: number): Promise<Run> {
  const result = await run(file, args, env, timeoutMs);
  if (result.code !== 0) throw new Error(`${file} ${args.join(' ')} → exit ${String(result.code)}\n${result.stdout}\n${result.stderr}`);
  return result;
}

/** `dirconn --help | head -1` through a shell with pipefail: dirconn's own exit code and stderr. */
function helpThroughHead(file: string, env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-c', 'set -o pipefail; "$0" login --help | head -1', file], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Sets up the bundled sample in `dataDir` with `dirconn` and returns `--json test`'s document. */
async function sampleTest(file: string, args: string[], env: Record<string, string>): Promise<unknown> {
  for (const setting of [['directory', 'sample'], ['sync.users', 'true'], ['sync.groups', 'true'], ['sync.removeDisabled', 'true']]) {
    await ok(file, [...args, 'config', ...setting], env);
  }
  return JSON.parse((await ok(file, [...args, '--json', 'test'], env)).stdout) as unknown;
}

describe('release build (npm tarball and single executable)', () => {
  const dirs: string[] = [];
  let expectedTest: unknown;

  beforeAll(async () => {
    const build = await run('npm', ['run', '--silent', 'release'], cleanEnv({ PATH: NODE22_PATH }), 240_000);
    if (build.code !== 0) throw new Error(`npm run release failed (exit ${String(build.code)})\n${build.stdout}\n${build.stderr}`);
    expect(build.stdout).toMatch(/dirconn-[\d.]+\.tgz/);
    // The development CLI's view of the sample, which both release shapes must reproduce.
    const dataDir = makeTempDir('release-dev');
    dirs.push(dataDir);
    expectedTest = await sampleTest(process.execPath, [CLI_BIN], cleanEnv({ DIRCONN_DATA_DIR: dataDir }));
  }, 300_000);
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('the tarball installs with npm install -g and runs: --version, a sample test, a closed pipe', async () => {
    expect(existsSync(TARBALL)).toBe(true);
    const prefix = makeTempDir('release-prefix');
    const dataDir = makeTempDir('release-npm');
    dirs.push(prefix, dataDir);
    await ok('npm', ['install', '-g', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', TARBALL], cleanEnv({ PATH: NODE22_PATH }), 180_000);
    const dirconn = join(prefix, 'bin', 'dirconn');
    const env = cleanEnv({ PATH: NODE22_PATH, DIRCONN_DATA_DIR: dataDir });

    expect((await ok(dirconn, ['--version'], env)).stdout.trim()).toBe(VERSION);
    expect(await sampleTest(dirconn, [], env)).toEqual(expectedTest);
    const head = await helpThroughHead(dirconn, env);
    expect(head).toEqual({ code: 0, stdout: 'Usage: dirconn login [options]\n', stderr: '' });
  }, 240_000);

  it('the installed tarball refuses Node < 22 with a sentence, not a stack trace', async () => {
    const prefix = makeTempDir('release-prefix-old');
    dirs.push(prefix);
    await ok('npm', ['install', '-g', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', TARBALL], cleanEnv({ PATH: NODE22_PATH }), 180_000);
    const systemNode = '/usr/bin/node';
    const version = existsSync(systemNode) ? (await ok(systemNode, ['--version'], cleanEnv())).stdout.trim() : 'v22';
    if (!/^v(1\d|20|21)\./.test(version)) return; // the machine's Node is already 22+: nothing to refuse
    const result = await run(systemNode, [join(prefix, 'lib/node_modules/dirconn/bin/dirconn.js'), '--version'], cleanEnv());
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('dirconn needs Node.js 22 or newer');
  }, 240_000);

  it('the single executable runs with no Node.js on PATH: --version, a sample test, a closed pipe', async () => {
    expect(existsSync(EXECUTABLE)).toBe(true);
    const dataDir = makeTempDir('release-sea');
    dirs.push(dataDir);
    const env = cleanEnv({ PATH: '/nonexistent-no-node', DIRCONN_DATA_DIR: dataDir });

    expect((await ok(EXECUTABLE, ['--version'], env)).stdout.trim()).toBe(VERSION);
    expect(await sampleTest(EXECUTABLE, [], env)).toEqual(expectedTest);
    const head = await helpThroughHead(EXECUTABLE, { ...env, PATH: '/usr/bin:/bin' });
    expect(head).toEqual({ code: 0, stdout: 'Usage: dirconn login [options]\n', stderr: '' });
  }, 120_000);

  it('the single executable keeps the API key in the OS keychain and syncs the sample to the fake server', async () => {
    const keychainProblem = await probeKeychain();
    if (keychainProblem !== null) {
      if (REQUIRE_KEYRING) throw new Error(`No keychain for the single-executable login: ${keychainProblem}`);
      console.warn(`Skipping the single executable's keychain login: ${keychainProblem}`);
      return;
    }
    const restoreKeychain = await preserveKeychainEntries(['apiKeyClientSecret']);
    let fake: FakeBitwarden | undefined;
    try {
      fake = await startFakeBitwarden();
      const dataDir = makeTempDir('release-sea-sync');
      dirs.push(dataDir);
      const env = cleanEnv({ PATH: '/nonexistent-no-node', DIRCONN_DATA_DIR: dataDir });
      await sampleTest(EXECUTABLE, [], env);
      await ok(EXECUTABLE, ['config', 'server', fake.url], env);
      await ok(EXECUTABLE, ['login'], { ...env, ...(loginEnv(fake) as Record<string, string>) });
      await ok(EXECUTABLE, ['sync'], env);

      const members = syncedMembers(fake);
      const expected = (expectedTest as { enabledUsers: { externalId: string }[] }).enabledUsers.map((u) => u.externalId).sort();
      expect([...members.keys()].sort()).toEqual(expected);
      // The secret went to the keychain, not to the data file.
      expect(findSecrets([{ label: 'data.json', text: readDataText(dataDir) }], { 'API key': fake.apiKey })).toEqual([]);
    } finally {
      await fake?.close();
      await restoreKeychain();
    }
  }, 120_000);
});
