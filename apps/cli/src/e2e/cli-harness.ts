/**
 * End-to-end harness: runs the BUILT CLI (`apps/cli/bin/dirconn.js` → `apps/cli/dist/main.js`) as a
 * child process against a real slapd and the in-process fake Bitwarden server, with its own data
 * directory per world. Test-only (imported by `*.integration.spec.ts` only).
 *
 * Never use spawnSync here: the fake Bitwarden server runs in the test process, so a blocked event
 * loop would leave the CLI waiting for a server that cannot answer.
 */
import { spawn as spawnChild, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DirconnError } from '@dirconn/core';
import { KEYCHAIN_SERVICE, KeychainSecretStore } from '@dirconn/storage';
import {
  directoryA,
  fixturePath,
  slapd as slapdTools,
  startFakeBitwarden,
  startSlapd,
  type FakeBitwarden,
  type FakeBitwardenOptions,
  type FakeOrganization,
  type Slapd,
  type StartSlapdOptions,
} from '@dirconn/test-support';

/** Repository root (this file is apps/cli/src/e2e/ — or apps/cli/dist/e2e/ once compiled). */
export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
/** The installed entry point. */
export const CLI_BIN = join(REPO_ROOT, 'apps/cli/bin/dirconn.js');
/** What the entry point imports: exists only after a build. */
export const CLI_MAIN = join(REPO_ROOT, 'apps/cli/dist/main.js');

/** Throws a clear message when the CLI has not been built (the e2e specs run the built CLI). */
export function assertCliBuilt(): void {
  if (!existsSync(CLI_MAIN)) {
    throw new Error(`The CLI is not built: ${CLI_MAIN} is missing. Run "npx tsc -b tsconfig.check.json" before the integration tests.`);
  }
}

/** One finished CLI run. */
export interface CliResult {
  args: string[];
  /** Exit code, or null when killed by a signal. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON when it is exactly one JSON document; undefined otherwise. */
  json?: unknown;
  durationMs: number;
}

/** Environment changes for one run: a string sets the variable, undefined removes it. */
export type EnvPatch = Record<string, string | undefined>;

export interface RunOptions {
  env?: EnvPatch;
  /** Written to stdin (stdin is closed either way, so a prompt sees end of input). */
  input?: string;
  /** The run is killed and the test fails after this long. Default 60 s. */
  timeoutMs?: number;
}

/** A running CLI process (concurrency and kill tests). */
export interface CliProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Output so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves when stderr matches `pattern` (rejects after `timeoutMs` or if the process exits first). */
  waitForStderr(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** Resolves when the process has exited. */
  exited: Promise<CliResult>;
  kill(signal?: NodeJS.Signals): void;
}

/** Variables a developer's shell may carry that would change what the CLI does. */
const INHERITED_BLOCKLIST = /^(DIRCONN_|BW_|HTTPS?_PROXY$|NO_PROXY$|https?_proxy$|no_proxy$|NO_COLOR$|FORCE_COLOR$)/;

/** process.env without dirconn/Bitwarden/proxy variables, plus `extra`. */
export function cleanEnv(extra: EnvPatch = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !INHERITED_BLOCKLIST.test(name)) env[name] = value;
  }
  return applyPatch(env, { NO_COLOR: '1', ...extra });
}

function applyPatch(base: Record<string, string>, patch: EnvPatch): Record<string, string> {
  const env = { ...base };
  for (const [name, value] of Object.entries(patch)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

function parseJson(stdout: string): unknown {
  if (stdout.trim() === '') return undefined;
  try {
    return JSON.parse(stdout) as unknown;
  } catch {
    return undefined;
  }
}

/** Text of a run for failure messages. */
export function describeRun(result: CliResult): string {
  return `$ dirconn ${result.args.join(' ')}  → exit ${String(result.code)}${result.signal ? ` (${result.signal})` : ''} in ${result.durationMs} ms\n--- stdout\n${result.stdout}--- stderr\n${result.stderr}---`;
}

/** Throws (with the run's output) unless the run exited with `code`. */
export function expectExit(result: CliResult, code: number): CliResult {
  if (result.code !== code) throw new Error(`expected exit code ${code}\n${describeRun(result)}`);
  return result;
}

/** Runs the built CLI with one base environment; remembers every run (for the secret-leak checks). */
export class Cli {
  /** Every finished run, in order. */
  readonly transcript: CliResult[] = [];
  /** Processes not finished yet (killed by {@link Cli.killAll}). */
  private readonly running = new Set<ChildProcess>();

  constructor(public env: Record<string, string>) {}

  /** Runs `dirconn <args>` to completion. */
  run(args: string[], options: RunOptions = {}): Promise<CliResult> {
    return this.spawn(args, options).exited;
  }

  /** Runs `dirconn <args>`, throwing unless it exits 0. */
  async ok(args: string[], options: RunOptions = {}): Promise<CliResult> {
    return expectExit(await this.run(args, options), 0);
  }

  /** SIGKILLs every run still going (a failed test must not leave a sync writing into a removed dir). */
  async killAll(): Promise<void> {
    const exits = [...this.running].map((child) => new Promise<void>((resolve) => {
      child.once('close', () => resolve());
      child.kill('SIGKILL');
    }));
    await Promise.all(exits);
  }

  /** Starts `dirconn <args>` and returns at once. */
  spawn(args: string[], options: RunOptions = {}): CliProcess {
    const started = Date.now();
    const child = spawnChild(process.execPath, [CLI_BIN, ...args], {
      cwd: REPO_ROOT,
      env: applyPatch(this.env, options.env ?? {}),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.running.add(child);
    let stdout = '';
    let stderr = '';
    const waiters = new Set<() => void>();
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      for (const wake of waiters) wake();
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');

    const timeoutMs = options.timeoutMs ?? 60_000;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    const exited = new Promise<CliResult>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code, signal) => {
        this.running.delete(child);
        clearTimeout(timer);
        for (const wake of waiters) wake();
        const result: CliResult = { args, code, signal, stdout, stderr, durationMs: Date.now() - started };
        const json = parseJson(stdout);
        if (json !== undefined) result.json = json;
        this.transcript.push(result);
        if (timedOut) reject(new Error(`dirconn did not finish within ${timeoutMs} ms and was killed\n${describeRun(result)}`));
        else resolve(result);
      });
    });
    const pid = child.pid;
    if (pid === undefined) throw new Error(`could not start ${process.execPath} ${CLI_BIN}`);
    let done = false;
    void exited.finally(() => {
      done = true;
    }).catch(() => undefined);

    return {
      child,
      pid,
      stdout: () => stdout,
      stderr: () => stderr,
      exited,
      kill: (signal = 'SIGKILL') => {
        child.kill(signal);
      },
      waitForStderr: (pattern, waitMs = 20_000) =>
        new Promise<void>((resolve, reject) => {
          const check = (): void => {
            if (pattern.test(stderr)) finish(null);
            else if (done || child.exitCode !== null || child.signalCode !== null) finish(new Error(`dirconn exited before stderr matched ${String(pattern)}:\n${stderr}`));
          };
          const deadline = setTimeout(() => finish(new Error(`stderr did not match ${String(pattern)} within ${waitMs} ms:\n${stderr}`)), waitMs);
          const finish = (error: Error | null): void => {
            clearTimeout(deadline);
            waiters.delete(check);
            if (error) reject(error);
            else resolve();
          };
          waiters.add(check);
          check();
        }),
    };
  }
}

// ---------------------------------------------------------------------------------------------
// Data directory

export function makeTempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `dirconn-e2e-${prefix}-`));
}

export function dataFilePath(dataDir: string): string {
  return join(dataDir, 'data.json');
}

/** The data file's bytes as text ('' when it does not exist). */
export function readDataText(dataDir: string): string {
  const path = dataFilePath(dataDir);
  return existsSync(path) ? readFileSync(path, 'utf8') : '';
}

/** The data file, parsed (throws when it is not valid JSON). */
export function readData(dataDir: string): DataFileView {
  return JSON.parse(readFileSync(dataFilePath(dataDir), 'utf8')) as DataFileView;
}

/** The parts of data.json the tests look at. */
export interface DataFileView {
  config: { server: { base: string | null }; directory: string | null; sync: Record<string, unknown>; directories: Record<string, Record<string, unknown>> };
  auth: { clientId: string | null; organizationId: string | null };
  state: Record<string, { lastSyncHash: string | null; lastUserSync: string | null; syncedUsers: { externalId: string; email: string }[] | null; pendingUsers?: { externalId: string; email: string }[] | null }>;
  plaintextSecrets?: Record<string, string>;
}

/** Texts of every run report (reports/*.json). */
export function readReportTexts(dataDir: string): string[] {
  const dir = join(dataDir, 'reports');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .map((name) => readFileSync(join(dir, name), 'utf8'));
}

/** A fresh data directory holding a copy of `templateDir`'s data.json (no reports, no lock). */
export function cloneDataDir(templateDir: string, prefix: string): string {
  const dir = makeTempDir(prefix);
  writeFileSync(dataFilePath(dir), readFileSync(dataFilePath(templateDir)), { mode: 0o600 });
  return dir;
}

// ---------------------------------------------------------------------------------------------
// Directory A settings

/**
 * The issue's settings for directory A (every key, password excluded). `ldap.rootPath` comes last: by
 * then the LDAP settings are complete, so `dirconn config` checks that the DN exists.
 */
export function directoryASettings(slapd: Slapd): [string, string][] {
  return [
    ['directory', 'ldap'],
    ['ldap.ad', 'false'],
    ['ldap.hostname', '127.0.0.1'],
    ['ldap.port', String(slapd.port)],
    ['ldap.username', slapd.adminDn],
    ['sync.userObjectClass', 'person'],
    ['sync.groupObjectClass', 'posixGroup'],
    ['sync.memberAttribute', 'memberUid'],
    ['sync.groupNameAttribute', 'cn'],
    ['sync.userEmailAttribute', 'mail'],
    ['sync.users', 'true'],
    ['sync.groups', 'true'],
    ['ldap.rootPath', directoryA.baseDn],
  ];
}

/** Sets each key with `dirconn config <key> <value>`; every run must exit 0. */
export async function configure(cli: Cli, settings: [string, string][]): Promise<void> {
  for (const [key, value] of settings) await cli.ok(['config', key, value]);
}

/**
 * The data file of a directory-A configuration made once per test process (jest --runInBand runs
 * every file in one process) through every `dirconn config` run. jest drops exit listeners of test
 * files, so templates of processes that no longer run are removed when a new one is made instead.
 */
const TEMPLATE_PREFIX = 'dirconn-e2e-template-';
const TEMPLATE_DIR = join(tmpdir(), `${TEMPLATE_PREFIX}${process.pid}`);

function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function sweepStaleTemplates(): void {
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith(TEMPLATE_PREFIX)) continue;
    const pid = Number(name.slice(TEMPLATE_PREFIX.length));
    if (Number.isInteger(pid) && pid !== process.pid && !processRuns(pid)) rmSync(join(tmpdir(), name), { recursive: true, force: true });
  }
}

/**
 * Configures `world` for directory A through the CLI: the first time with one `dirconn config` run
 * per setting (and keeps the result as a template); afterwards from a copy of the template re-pointed
 * with `dirconn config server` and `dirconn config ldap.port` (2 runs instead of 14). The main-flow
 * spec configures every key itself and does not use this.
 */
export async function configureDirectoryA(world: World): Promise<void> {
  const template = dataFilePath(TEMPLATE_DIR);
  if (existsSync(template)) {
    writeFileSync(dataFilePath(world.dataDir), readFileSync(template), { mode: 0o600 });
    await world.cli.ok(['config', 'server', world.fake.url]);
    await world.cli.ok(['config', 'ldap.port', String(world.slapd.port)]);
    return;
  }
  await world.cli.ok(['config', 'server', world.fake.url]);
  await configure(world.cli, directoryASettings(world.slapd));
  const data = readData(world.dataDir);
  if (data.auth.clientId !== null || Object.keys(data.state).length > 0 || data.plaintextSecrets !== undefined) {
    throw new Error('configureDirectoryA must run before login and sync (the template holds configuration only)');
  }
  sweepStaleTemplates();
  mkdirSync(TEMPLATE_DIR, { recursive: true, mode: 0o700 });
  writeFileSync(`${template}.tmp`, readFileSync(dataFilePath(world.dataDir)), { mode: 0o600 });
  renameSync(`${template}.tmp`, template);
}

/** Expected member counts of directory A's groups, by name. */
export const DIRECTORY_A_GROUP_SIZES: Record<string, number> = Object.fromEntries(directoryA.groups.map((g) => [g.name, g.memberDns.length]));

// ---------------------------------------------------------------------------------------------
// A world: slapd + fake Bitwarden + data dir + CLI

export interface World {
  slapd: Slapd;
  fake: FakeBitwarden;
  dataDir: string;
  cli: Cli;
  /** A CLI with this world's environment on another data directory (its runs are killed by close()). */
  cliFor(dataDir: string): Cli;
  /** A new temp dir removed by close() (optionally holding a copy of `template`'s data.json). */
  tempDir(prefix: string, template?: string): string;
  close(): Promise<void>;
}

export interface WorldOptions {
  slapd?: StartSlapdOptions;
  fake?: FakeBitwardenOptions;
  /** Extra base environment of the CLI. */
  env?: EnvPatch;
  /** Put DIRCONN_LDAP_PASSWORD into the base environment. Default true. */
  ldapPasswordInEnv?: boolean;
}

/** Starts slapd with directory A (unless other LDIFs are given), the fake, and a CLI on a new data dir. */
export async function startWorld(name: string, options: WorldOptions = {}): Promise<World> {
  assertCliBuilt();
  const slapd = await startSlapd({ ldifs: [fixturePath(directoryA.ldif)], ...options.slapd });
  let fake: FakeBitwarden;
  try {
    fake = await startFakeBitwarden(options.fake);
  } catch (error) {
    await slapd.stop();
    throw error;
  }
  const dataDir = makeTempDir(name);
  const cli = new Cli(
    cleanEnv({
      DIRCONN_DATA_DIR: dataDir,
      ...(options.ldapPasswordInEnv === false ? {} : { DIRCONN_LDAP_PASSWORD: slapd.adminPassword }),
      ...options.env,
    }),
  );
  const dirs = [dataDir];
  const clis = [cli];
  return {
    slapd,
    fake,
    dataDir,
    cli,
    cliFor(dataDir) {
      const other = new Cli({ ...cli.env, DIRCONN_DATA_DIR: dataDir });
      clis.push(other);
      return other;
    },
    tempDir(prefix, template) {
      const dir = template === undefined ? makeTempDir(prefix) : cloneDataDir(template, prefix);
      dirs.push(dir);
      return dir;
    },
    async close() {
      for (const c of clis) await c.killAll();
      await fake.close();
      await slapd.stop();
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Environment for logging in to `org` (default: the fake's default organization). */
export function loginEnv(fake: FakeBitwarden, org?: FakeOrganization): EnvPatch {
  return org ? { BW_CLIENTID: `organization.${org.id}`, BW_CLIENTSECRET: org.apiKey } : { BW_CLIENTID: fake.clientId, BW_CLIENTSECRET: fake.apiKey };
}

/** How many import requests the fake has received so far (all organizations). */
export function importCount(fake: FakeBitwarden): number {
  return fake.requests({ route: 'import' }).length;
}

/** Members of the organization with an externalId, by externalId → email. */
export function syncedMembers(fake: FakeBitwarden, orgId?: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of fake.members(orgId)) if (m.externalId !== null) out.set(m.externalId, m.email);
  return out;
}

/** Group name → sorted member externalIds. */
export function groupMembership(fake: FakeBitwarden, orgId?: string): Map<string, string[]> {
  const byId = new Map(fake.members(orgId).map((m) => [m.id, m.externalId ?? m.email]));
  const out = new Map<string, string[]>();
  for (const g of fake.groups(orgId)) out.set(g.name, g.memberIds.map((id) => byId.get(id) ?? id).sort());
  return out;
}

/** Polls `predicate` every 20 ms until true; throws after `timeoutMs`. */
export async function waitUntil(what: string, predicate: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

// ---------------------------------------------------------------------------------------------
// Directory changes (undone by the returned function)

/** Deletes entries from slapd; the returned function adds them back (same DNs and attributes). */
export async function deleteEntries(slapd: Slapd, dns: readonly string[]): Promise<() => Promise<void>> {
  const saved: string[] = [];
  for (const dn of dns) {
    const ldif = await slapdTools.ldapSearch(slapd, { base: dn, args: ['-s', 'base'], attrs: ['*'] });
    if (ldif.trim() === '') throw new Error(`no entry ${dn} to delete`);
    saved.push(ldif);
    await slapdTools.ldapDelete(slapd, dn);
  }
  return async () => {
    for (const ldif of saved) await slapdTools.ldapAdd(slapd, ldif);
  };
}

/** Replaces one attribute value; the returned function restores the old value. */
export async function replaceAttribute(slapd: Slapd, dn: string, attribute: string, value: string): Promise<() => Promise<void>> {
  const ldif = await slapdTools.ldapSearch(slapd, { base: dn, args: ['-s', 'base'], attrs: [attribute] });
  const line = ldif.split('\n').find((l) => l.toLowerCase().startsWith(`${attribute.toLowerCase()}:`));
  if (line === undefined) throw new Error(`${dn} has no ${attribute}`);
  const modify = (v: string) => slapdTools.ldapModify(slapd, `dn: ${dn}\nchangetype: modify\nreplace: ${attribute}\n${attribute}: ${v}\n`);
  await modify(value);
  const old = line.slice(line.indexOf(':') + 1).trim();
  return () => modify(old);
}

/** Adds an inetOrgPerson under `ou`; the returned function deletes it. */
export async function addUser(slapd: Slapd, user: { cn: string; ou: string; uid: string; mail: string }): Promise<{ dn: string; remove: () => Promise<void> }> {
  const dn = `cn=${user.cn},ou=${user.ou},${slapd.baseDn}`;
  const [given, ...rest] = user.cn.split(' ');
  await slapdTools.ldapAdd(
    slapd,
    `dn: ${dn}\nobjectClass: inetOrgPerson\ncn: ${user.cn}\nsn: ${rest.join(' ') || user.cn}\ngivenName: ${given ?? user.cn}\nuid: ${user.uid}\nmail: ${user.mail}\n`,
  );
  return { dn, remove: () => slapdTools.ldapDelete(slapd, dn) };
}

// ---------------------------------------------------------------------------------------------
// Secrets

/** Every occurrence of any of `secrets` in `texts`, as "label: secret-name" (never the secret itself). */
export function findSecrets(texts: { label: string; text: string }[], secrets: Record<string, string>): string[] {
  const found: string[] = [];
  for (const { label, text } of texts) {
    for (const [name, secret] of Object.entries(secrets)) if (secret !== '' && text.includes(secret)) found.push(`${label}: ${name}`);
  }
  return found;
}

/** Every run's stdout and stderr as labelled texts. */
export function transcriptTexts(cli: Cli): { label: string; text: string }[] {
  return cli.transcript.flatMap((r, i) => [
    { label: `run ${i} stdout (dirconn ${r.args.join(' ')})`, text: r.stdout },
    { label: `run ${i} stderr (dirconn ${r.args.join(' ')})`, text: r.stderr },
  ]);
}

/** Environment that makes the OS keychain unreachable (a D-Bus address nobody listens on). */
export const NO_KEYCHAIN_ENV: EnvPatch = { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/dirconn-e2e-no-dbus' };

/** null when the OS keychain answers (a store and delete under a throw-away service), else why not. */
export async function probeKeychain(): Promise<string | null> {
  const store = new KeychainSecretStore({ service: `dirconn-e2e-probe-${randomUUID().slice(0, 8)}`, timeoutMs: 5000 });
  try {
    await store.set('probe', 'probe');
    await store.delete('probe');
    return null;
  } catch (error) {
    return DirconnError.is(error) ? `${error.code}: ${error.message}` : String(error);
  }
}

/**
 * Saves the real `dirconn` keychain entries of `accounts` (a developer's own login, when the tests run
 * outside the throw-away keyring of with-keyring.sh); the returned function puts them back.
 */
export async function preserveKeychainEntries(accounts: readonly string[]): Promise<() => Promise<void>> {
  const store = new KeychainSecretStore({ service: KEYCHAIN_SERVICE, timeoutMs: 5000 });
  const saved = new Map<string, string | null>();
  for (const account of accounts) saved.set(account, await store.get(account));
  return async () => {
    for (const [account, value] of saved) {
      if (value === null) await store.delete(account);
      else await store.set(account, value);
    }
  };
}
