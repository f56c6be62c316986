// A real OpenLDAP slapd on 127.0.0.1 for integration tests and benchmarks.
//
// Every instance lives in its own temp dir: a generated slapd.conf (mdb backend,
// core/cosine/inetorgperson/nis schemas), a private test CA with server and
// client certificates, and the database. LDIF given to startSlapd is bulk-loaded
// with `slapadd -q` before the server starts; later changes go through
// ldapAdd/ldapModify/ldapDelete (ldap-utils, bound as the admin).
//
// The admin (cn=admin,<base> by default) is a real entry with a password and
// `manage` access, not the rootdn: OpenLDAP exempts the rootdn from size limits,
// and tests of `sizeLimit` need a bind DN that is subject to them. The rootdn
// (cn=root,<base>, no entry, same password) is exposed for the rare case that
// needs to bypass limits and access control.
//
// Requires slapd, slapadd, ldap-utils and openssl: test-support/scripts/install-slapd.sh.

import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, existsSync, rmSync } from 'node:fs';
import { chmod, cp, mkdir, mkdtemp, open, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';

export interface Slapd {
  host: '127.0.0.1';
  /** Plain LDAP port; StartTLS is offered on it. */
  port: number;
  ldapsPort: number;
  baseDn: string;
  /** A real entry (`cn=admin,<base>`) with manage rights; subject to size limits. */
  adminDn: string;
  adminPassword: string;
  /** The rootdn (no entry); same password as the admin; bypasses limits and ACLs. */
  rootDn: string;
  caCertPath: string;
  clientCertPath: string;
  clientKeyPath: string;
  /** The instance's temp dir (config, certificates, database). Removed by stop(). */
  dir: string;
  /** `ldap://127.0.0.1:<port>` */
  url: string;
  /** `ldaps://127.0.0.1:<ldapsPort>` */
  ldapsUrl: string;
  /** Process id of the running slapd, or undefined while it is down. */
  readonly pid: number | undefined;
  /** SIGTERM, wait for exit, remove the temp dir. Idempotent; also cleans up after kill(). */
  stop(): Promise<void>;
  /** SIGKILL at once ("the directory dies"). Keeps the data; call restart() or stop() afterwards. */
  kill(): void;
  /** Starts slapd again on the same ports with the same data (after kill(), or to bounce it). */
  restart(): Promise<void>;
}

export interface StartSlapdOptions {
  /** Default `dc=bitwarden,dc=com`. */
  baseDn?: string;
  /**
   * File paths or raw LDIF strings, bulk-loaded in order with `slapadd -q` before
   * slapd starts. Parents must come before children. If none of them contains the
   * base entry, a `dcObject`/`organization` base entry is created first.
   * `version: 1` lines are dropped (slapadd rejects them).
   */
  ldifs?: string[];
  /**
   * Server size limit for everyone but the rootdn. Default 'unlimited'. A number N
   * makes non-paged searches stop after N entries with sizeLimitExceeded (4) while
   * paged searches still return everything (OpenLDAP `size.prtotal=unlimited`).
   */
  sizeLimit?: number | 'unlimited';
  /** Extra schema files: absolute paths, or names under /etc/ldap/schema (`misc`, `ppolicy.schema`). */
  extraSchemas?: string[];
  /**
   * Generate a CA and certificates for this instance alone. Default false: all
   * instances of a process share one test CA (made once), so one instance's CA
   * trusts another's server; use true for "untrusted certificate" tests.
   */
  uniqueTls?: boolean;
  /** Default `cn=admin,<base>`. */
  adminDn?: string;
  /** Default: random. */
  adminPassword?: string;
  /**
   * Debug level for `slapd -d` (e.g. 'stats', '-1'); when set, slapd's stderr is copied
   * to ours. Default: env DIRCONN_SLAPD_DEBUG, else quiet (startup errors still reported).
   */
  debug?: string;
}

const HOST = '127.0.0.1';
const SCHEMA_DIR = '/etc/ldap/schema';
const MODULE_DIR = '/usr/lib/ldap';
const MDB_MAXSIZE = 16 * 1024 * 1024 * 1024; // sparse; only what is used is written
const START_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 10_000;
/** Temp dirs are `<tmpdir>/dirconn-slapd-*`, each with the owning process id in owner.pid. */
const DIR_PREFIX = 'dirconn-slapd-';
const OWNER_FILE = 'owner.pid';

/** Finds a binary on PATH, then in the sbin dirs (slapd/slapadd live in /usr/sbin). */
function bin(name: string): string {
  const dirs = [...(process.env['PATH'] ?? '').split(':').filter(Boolean), '/usr/sbin', '/sbin', '/usr/bin'];
  for (const d of dirs) {
    const p = join(d, name);
    if (existsSync(p)) return p;
  }
  throw new Error(`${name} not found; run test-support/scripts/install-slapd.sh`);
}

function optionalBin(name: string): string | undefined {
  try {
    return bin(name);
  } catch {
    return undefined;
  }
}

/** Environment for ldap-utils and slapd: ignore ldap.conf/.ldaprc so nothing leaks in. */
function toolEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, LDAPNOINIT: '1', ...extra };
}

interface RunResult {
  stdout: string;
  stderr: string;
}

function run(
  cmd: string,
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; input?: Readable; cwd?: string } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      env: opts.env ?? toolEnv(),
      cwd: opts.cwd,
      stdio: [opts.input ? 'pipe' : 'ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on('data', (b: Buffer) => out.push(b));
    child.stderr?.on('data', (b: Buffer) => err.push(b));
    if (opts.input && child.stdin) {
      const stdin = child.stdin;
      stdin.on('error', () => {
        /* the child exited early; its exit code and stderr tell why */
      });
      opts.input.on('error', (e) => {
        child.kill('SIGKILL');
        reject(e);
      });
      opts.input.pipe(stdin);
    }
    child.on('error', reject);
    child.on('close', (code, signal) => {
      opts.input?.destroy(); // stop reading LDIF files if the child quit early
      const stdout = Buffer.concat(out).toString('utf8');
      const stderr = Buffer.concat(err).toString('utf8');
      if (code === 0) resolve({ stdout, stderr });
      else {
        const why = signal ? `signal ${signal}` : `exit code ${String(code)}`;
        const e = new Error(`${cmd} ${args.join(' ')} failed (${why}): ${stderr.trim() || stdout.trim()}`);
        Object.assign(e, { code, stdout, stderr });
        reject(e);
      }
    });
  });
}

/** {SSHA} = base64(sha1(password + salt) + salt), as slappasswd makes it. */
export function sshaHash(password: string): string {
  const salt = randomBytes(8);
  const digest = createHash('sha1').update(password, 'utf8').update(salt).digest();
  return `{SSHA}${Buffer.concat([digest, salt]).toString('base64')}`;
}

function getFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, HOST, () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

async function twoFreePorts(): Promise<[number, number]> {
  for (;;) {
    const a = await getFreePort();
    const b = await getFreePort();
    if (a !== b) return [a, b];
  }
}

/** Normalises a DN for comparisons only: lower case, no blanks around `,` `=` `+`. */
export function normalizeDn(dn: string): string {
  return dn
    .trim()
    .replace(/\s*([,=+])\s*/g, '$1')
    .toLowerCase();
}

function isRawLdif(s: string): boolean {
  return s.includes('\n') || /^\s*(dn|version)\s*::?/i.test(s);
}

/** Does this LDIF (first 256 KiB of it) contain an entry with this DN? */
async function ldifHasDn(source: string, dn: string): Promise<boolean> {
  let head: string;
  if (isRawLdif(source)) head = source.slice(0, 256 * 1024);
  else {
    const fh = await open(source, 'r');
    try {
      const buf = Buffer.alloc(256 * 1024);
      const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
      head = buf.subarray(0, bytesRead).toString('utf8');
    } finally {
      await fh.close();
    }
  }
  const want = normalizeDn(dn);
  // Unfold continuation lines, then look at dn: / dn:: lines.
  const unfolded = head.replace(/\r?\n /g, '');
  for (const m of unfolded.matchAll(/^dn:(:?)\s*(.*)$/gim)) {
    const value = m[1] ? Buffer.from(m[2] ?? '', 'base64').toString('utf8') : (m[2] ?? '');
    if (normalizeDn(value) === want) return true;
  }
  return false;
}

/**
 * Streams sources as one LDIF for slapadd: each source ends with a blank line, and
 * a `version:` line (only allowed at the start of an LDIF file) is dropped.
 */
async function* ldifStream(sources: string[]): AsyncGenerator<string | Buffer> {
  const dropVersion = (head: string): string => head.replace(/^version:[ \t]*\d+[ \t]*\r?\n/im, '');
  for (const src of sources) {
    if (isRawLdif(src)) {
      yield dropVersion(src);
    } else {
      let first = true;
      for await (const chunk of createReadStream(src, { highWaterMark: 1024 * 1024 })) {
        const buf = chunk as Buffer;
        if (first) {
          first = false;
          // The version line sits in the first lines; only that part is rewritten.
          const cut = Math.min(buf.length, 4096);
          yield Buffer.from(dropVersion(buf.subarray(0, cut).toString('latin1')), 'latin1'); // byte-preserving
          if (buf.length > cut) yield buf.subarray(cut);
        } else {
          yield buf;
        }
      }
    }
    yield '\n\n';
  }
}

function confQuote(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function resolveSchema(s: string): string {
  if (s.includes('/')) return s;
  return join(SCHEMA_DIR, s.endsWith('.schema') ? s : `${s}.schema`);
}

function rdnValue(dn: string): { attr: string; value: string } {
  const first = dn.split(',')[0] ?? '';
  const eq = first.indexOf('=');
  return { attr: first.slice(0, eq).trim(), value: first.slice(eq + 1).trim() };
}

function baseEntryLdif(baseDn: string): string {
  const { attr, value } = rdnValue(baseDn);
  if (attr.toLowerCase() === 'dc') {
    return `dn: ${baseDn}\nobjectClass: dcObject\nobjectClass: organization\ndc: ${value}\no: ${value}\n\n`;
  }
  if (attr.toLowerCase() === 'o') return `dn: ${baseDn}\nobjectClass: organization\no: ${value}\n\n`;
  if (attr.toLowerCase() === 'ou') return `dn: ${baseDn}\nobjectClass: organizationalUnit\nou: ${value}\n\n`;
  throw new Error(`cannot create a base entry for ${baseDn}; include it in the LDIF`);
}

function adminEntryLdif(adminDn: string, hash: string): string {
  const { attr, value } = rdnValue(adminDn);
  if (attr.toLowerCase() !== 'cn') throw new Error(`adminDn must start with cn=: ${adminDn}`);
  return (
    `dn: ${adminDn}\nobjectClass: organizationalRole\nobjectClass: simpleSecurityObject\n` +
    `cn: ${value}\ndescription: dirconn test-support directory administrator\nuserPassword: ${hash}\n\n`
  );
}

interface ConfParams {
  dir: string;
  baseDn: string;
  adminDn: string;
  rootDn: string;
  passwordHash: string;
  sizeLimit: number | 'unlimited';
  schemas: string[];
  tls: TlsPaths;
}

function slapdConf(p: ConfParams): string {
  const limit =
    p.sizeLimit === 'unlimited'
      ? 'sizelimit unlimited'
      : `sizelimit size.soft=${p.sizeLimit} size.hard=${p.sizeLimit} size.prtotal=unlimited`;
  return [
    '# generated by dirconn test-support (slapd.ts); throwaway test instance',
    ...p.schemas.map((s) => `include ${confQuote(s)}`),
    `pidfile ${confQuote(join(p.dir, 'slapd.pid'))}`,
    `argsfile ${confQuote(join(p.dir, 'slapd.args'))}`,
    `modulepath ${MODULE_DIR}`,
    'moduleload back_mdb',
    'loglevel none',
    limit,
    'timelimit unlimited',
    'tool-threads 2', // slapadd indexing: ~25% faster on 2 cores
    `TLSCACertificateFile ${confQuote(p.tls.caCert)}`,
    `TLSCertificateFile ${confQuote(p.tls.serverCert)}`,
    `TLSCertificateKeyFile ${confQuote(p.tls.serverKey)}`,
    'TLSVerifyClient try',
    '',
    'database mdb',
    `suffix ${confQuote(p.baseDn)}`,
    `rootdn ${confQuote(p.rootDn)}`,
    `rootpw ${p.passwordHash}`,
    `directory ${confQuote(join(p.dir, 'db'))}`,
    `maxsize ${MDB_MAXSIZE}`,
    'dbnosync',
    'index objectClass eq',
    'index cn,uid,mail eq',
    'index member,memberUid,uniqueMember eq',
    'index entryUUID eq',
    // The admin manages everything; anyone may read (passwords: auth only).
    `access to attrs=userPassword by dn.exact=${confQuote(p.adminDn)} manage by self write by anonymous auth by * none`,
    `access to * by dn.exact=${confQuote(p.adminDn)} manage by * read`,
    '',
  ].join('\n');
}

interface TlsPaths {
  caCert: string;
  caKey: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
}

function serverSan(): string {
  const names = new Set(['localhost']);
  const h = hostname().trim().toLowerCase();
  if (/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/.test(h)) names.add(h);
  return ['IP:127.0.0.1', ...[...names].map((n) => `DNS:${n}`)].join(',');
}

/** A private CA, a server cert (127.0.0.1, localhost, this host's name) and a client cert, EC P-256. */
async function makeTls(dir: string): Promise<TlsPaths> {
  await mkdir(dir, { mode: 0o700 });
  const p: TlsPaths = {
    caCert: join(dir, 'ca.crt'),
    caKey: join(dir, 'ca.key'),
    serverCert: join(dir, 'server.crt'),
    serverKey: join(dir, 'server.key'),
    clientCert: join(dir, 'client.crt'),
    clientKey: join(dir, 'client.key'),
  };
  const openssl = bin('openssl');
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  await run(openssl, [
    'req', '-x509', ...ec, '-keyout', p.caKey, '-out', p.caCert, '-days', '3650',
    '-subj', '/O=dirconn tests/CN=dirconn test CA',
    '-addext', 'basicConstraints=critical,CA:TRUE',
    '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  const leaf = async (name: 'server' | 'client', subj: string, ext: string): Promise<void> => {
    const key = name === 'server' ? p.serverKey : p.clientKey;
    const cert = name === 'server' ? p.serverCert : p.clientCert;
    const csr = join(dir, `${name}.csr`);
    const extFile = join(dir, `${name}.ext`);
    await writeFile(extFile, ext);
    await run(openssl, ['req', '-new', ...ec, '-keyout', key, '-out', csr, '-subj', subj]);
    await run(openssl, [
      'x509', '-req', '-in', csr, '-CA', p.caCert, '-CAkey', p.caKey,
      '-set_serial', `0x${randomBytes(8).toString('hex')}`,
      '-out', cert, '-days', '3650', '-extfile', extFile,
    ]);
  };
  await Promise.all([
    leaf(
      'server',
      '/O=dirconn tests/CN=localhost',
      // libldap (ldap-utils) checks "localhost" against the machine's own host
      // name, so that name is in the SAN too.
      `subjectAltName=${serverSan()}\nbasicConstraints=CA:FALSE\n` +
        'keyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n',
    ),
    leaf(
      'client',
      '/O=dirconn tests/CN=dirconn test client',
      'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n',
    ),
  ]);
  await Promise.all([chmod(p.caKey, 0o600), chmod(p.serverKey, 0o600), chmod(p.clientKey, 0o600)]);
  return p;
}

let tlsTemplate: Promise<string> | undefined;

/**
 * Puts TLS files into `tlsDir`: by default copies of a set made once per process
 * (openssl runs cost ~100 ms per instance on a busy 2-core machine); with `unique`,
 * a fresh CA and certificates for this instance alone.
 */
async function instanceTls(tlsDir: string, unique: boolean): Promise<void> {
  if (unique) {
    await makeTls(tlsDir);
    return;
  }
  tlsTemplate ??= (async () => {
    const d = await mkdtemp(join(tmpdir(), `${DIR_PREFIX}tls-`));
    await writeFile(join(d, OWNER_FILE), `${process.pid}\n`);
    live.add({ child: undefined, dir: d }); // removed by the exit hook
    await makeTls(join(d, 'tls'));
    return join(d, 'tls');
  })().catch((e: unknown) => {
    tlsTemplate = undefined;
    throw e;
  });
  await cp(await tlsTemplate, tlsDir, { recursive: true });
}

// An anonymous simple bind request (LDAPv3), message id 1.
const ANON_BIND = Buffer.from([0x30, 0x0c, 0x02, 0x01, 0x01, 0x60, 0x07, 0x02, 0x01, 0x03, 0x04, 0x00, 0x80, 0x00]);

/** True when an LDAP server answers a bind on host:port (not merely accepts TCP). */
function probeLdap(port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect({ host: HOST, port });
    let got = Buffer.alloc(0);
    const done = (ok: boolean): void => {
      clearTimeout(timer);
      sock.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    sock.on('connect', () => sock.write(ANON_BIND));
    sock.on('data', (b: Buffer) => {
      got = Buffer.concat([got, b]);
      // LDAPMessage SEQUENCE ... messageID 1 ... [APPLICATION 1] BindResponse
      if (got.length >= 7) done(got[0] === 0x30 && got.includes(0x61));
    });
    sock.on('error', () => done(false));
    sock.on('close', () => done(false));
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

// Instances still alive when the process exits are killed and their dirs removed.
const live = new Set<{ child: ChildProcess | undefined; dir: string }>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const inst of live) {
      try {
        inst.child?.kill('SIGKILL');
      } catch {
        /* already gone */
      }
      try {
        rmSync(inst.dir, { recursive: true, force: true });
      } catch {
        /* best effort */
      }
    }
  });
}

/**
 * Removes instance dirs left behind by processes that died without cleaning up
 * (SIGKILL; their slapd died with them through setpriv's parent-death signal).
 * A dir is removed only when the process recorded in it no longer exists.
 */
let swept = false;
async function sweepStaleDirs(): Promise<void> {
  if (swept) return;
  swept = true;
  let names: string[];
  try {
    names = await readdir(tmpdir());
  } catch {
    return;
  }
  await Promise.all(
    names
      .filter((n) => n.startsWith(DIR_PREFIX))
      .map(async (n) => {
        const d = join(tmpdir(), n);
        try {
          const owner = Number((await readFile(join(d, OWNER_FILE), 'utf8')).trim());
          if (!Number.isInteger(owner) || owner <= 0 || owner === process.pid) return;
          try {
            process.kill(owner, 0);
            return; // still alive
          } catch (e) {
            if ((e as NodeJS.ErrnoException).code !== 'ESRCH') return;
          }
          await rm(d, { recursive: true, force: true });
        } catch {
          // No owner file (being created right now, or not ours): leave it.
        }
      }),
  );
}

export async function startSlapd(opts: StartSlapdOptions = {}): Promise<Slapd> {
  const baseDn = opts.baseDn ?? 'dc=bitwarden,dc=com';
  const adminDn = opts.adminDn ?? `cn=admin,${baseDn}`;
  const rootDn = `cn=root,${baseDn}`;
  const adminPassword = opts.adminPassword ?? randomBytes(12).toString('base64url');
  const sizeLimit = opts.sizeLimit ?? 'unlimited';
  if (sizeLimit !== 'unlimited' && !(Number.isInteger(sizeLimit) && sizeLimit > 0)) {
    throw new Error(`sizeLimit must be a positive integer or 'unlimited': ${String(sizeLimit)}`);
  }
  const debug = opts.debug ?? process.env['DIRCONN_SLAPD_DEBUG'];
  const slapdBin = bin('slapd');
  const slapaddBin = bin('slapadd');
  const setprivBin = optionalBin('setpriv');

  installExitHook();
  await sweepStaleDirs();
  const dir = await mkdtemp(join(tmpdir(), DIR_PREFIX));
  await writeFile(join(dir, OWNER_FILE), `${process.pid}\n`);
  const inst: { child: ChildProcess | undefined; dir: string } = { child: undefined, dir };
  live.add(inst);

  try {
    const schemas = ['core', 'cosine', 'inetorgperson', 'nis', ...(opts.extraSchemas ?? [])].map(resolveSchema);
    for (const s of schemas) if (!existsSync(s)) throw new Error(`schema not found: ${s}`);
    const passwordHash = sshaHash(adminPassword);
    const tlsDir = join(dir, 'tls');
    const tls: TlsPaths = {
      caCert: join(tlsDir, 'ca.crt'),
      caKey: join(tlsDir, 'ca.key'),
      serverCert: join(tlsDir, 'server.crt'),
      serverKey: join(tlsDir, 'server.key'),
      clientCert: join(tlsDir, 'client.crt'),
      clientKey: join(tlsDir, 'client.key'),
    };
    const confPath = join(dir, 'slapd.conf');
    await mkdir(join(dir, 'db'), { mode: 0o700 });
    await writeFile(
      confPath,
      slapdConf({ dir, baseDn, adminDn, rootDn, passwordHash, sizeLimit, schemas, tls }),
      { mode: 0o600 },
    );
    // -y reads the whole file as the password: no trailing newline.
    await writeFile(join(dir, 'admin.pw'), adminPassword, { mode: 0o600 });

    const sources = [...(opts.ldifs ?? [])];
    const hasBase = (await Promise.all(sources.map((s) => ldifHasDn(s, baseDn)))).some(Boolean);
    const all = [...(hasBase ? [] : [baseEntryLdif(baseDn)]), ...sources, adminEntryLdif(adminDn, passwordHash)];

    // slapadd does not need the TLS files: generate them meanwhile.
    // allSettled: both must be finished before a failure removes the dir.
    const [tlsDone, loaded] = await Promise.allSettled([
      instanceTls(tlsDir, opts.uniqueTls ?? false),
      run(slapaddBin, ['-q', '-f', confPath], { input: Readable.from(ldifStream(all)) }),
    ]);
    if (loaded.status === 'rejected') throw loaded.reason;
    if (tlsDone.status === 'rejected') throw tlsDone.reason;

    let port = 0;
    let ldapsPort = 0;
    let url = '';
    let ldapsUrl = '';

    let stderrTail = '';
    const launch = async (): Promise<void> => {
      stderrTail = '';
      // Level 32768 ("none") prints only unconditional messages, such as why startup failed.
      const args = ['-d', debug ?? '32768', '-h', `${url} ${ldapsUrl}`, '-f', confPath];
      // setpriv (util-linux) makes the kernel SIGKILL slapd if this process dies
      // without running exit hooks (SIGKILL, SIGTERM, a crashed jest worker).
      const [cmd, argv] = setprivBin ? [setprivBin, ['--pdeathsig', 'KILL', '--', slapdBin, ...args]] : [slapdBin, args];
      const child = spawn(cmd, argv, { env: toolEnv(), stdio: ['ignore', 'ignore', 'pipe'] });
      inst.child = child;
      // A forgotten instance must not keep the process alive; the exit hook kills it.
      child.unref();
      (child.stderr as (Readable & { unref?: () => void }) | null)?.unref?.();
      child.stderr?.on('data', (b: Buffer) => {
        stderrTail = (stderrTail + b.toString('utf8')).slice(-8192);
        if (debug) process.stderr.write(b);
      });
      // 'close' (not 'exit'): by then all of stderr has been read for the error message.
      let exited = false;
      child.once('close', () => {
        exited = true;
      });
      const deadline = Date.now() + START_TIMEOUT_MS;
      for (;;) {
        if (exited) {
          throw new Error(`slapd exited during startup (code ${String(child.exitCode)}): ${stderrTail.trim()}`);
        }
        if (await probeLdap(port)) return;
        if (Date.now() > deadline) {
          child.kill('SIGKILL');
          throw new Error(`slapd did not answer on ${url} within ${START_TIMEOUT_MS} ms: ${stderrTail.trim()}`);
        }
        await sleep(10);
      }
    };

    const waitExit = async (child: ChildProcess, signal: NodeJS.Signals): Promise<void> => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.ref(); // keep the process alive until slapd has gone
      child.kill(signal);
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<boolean>((r) => {
        timer = setTimeout(() => r(true), STOP_TIMEOUT_MS);
      });
      const timedOut = await Promise.race([exited.then(() => false), timeout]);
      clearTimeout(timer); // a pending timer would keep the process (jest) alive
      if (timedOut) {
        child.kill('SIGKILL');
        await exited;
      }
    };

    // The ports were free a moment ago; if another process took one meanwhile,
    // slapd exits at once ("Address already in use") and we try fresh ones.
    for (let attempt = 1; ; attempt++) {
      [port, ldapsPort] = await twoFreePorts();
      url = `ldap://${HOST}:${port}`;
      ldapsUrl = `ldaps://${HOST}:${ldapsPort}`;
      try {
        await launch();
        break;
      } catch (e) {
        if (attempt >= 3 || !/address already in use|errno=98/i.test(stderrTail)) throw e;
      }
    }

    let stopped = false;
    const slapd: Slapd = {
      host: HOST,
      port,
      ldapsPort,
      baseDn,
      adminDn,
      adminPassword,
      rootDn,
      caCertPath: tls.caCert,
      clientCertPath: tls.clientCert,
      clientKeyPath: tls.clientKey,
      dir,
      url,
      ldapsUrl,
      get pid(): number | undefined {
        const c = inst.child;
        return c && c.exitCode === null && c.signalCode === null ? c.pid : undefined;
      },
      async stop(): Promise<void> {
        if (stopped) return;
        stopped = true;
        if (inst.child) await waitExit(inst.child, 'SIGTERM');
        inst.child = undefined;
        live.delete(inst);
        await rm(dir, { recursive: true, force: true });
      },
      kill(): void {
        const c = inst.child;
        if (c && c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
      },
      async restart(): Promise<void> {
        if (stopped) throw new Error('slapd instance was stopped; start a new one');
        if (inst.child) await waitExit(inst.child, 'SIGTERM');
        // After SIGKILL the listening sockets are gone with the process; rebinding is immediate.
        await launch();
      },
    };
    return slapd;
  } catch (e) {
    inst.child?.kill('SIGKILL');
    live.delete(inst);
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
}

function adminArgs(s: Slapd): string[] {
  return ['-x', '-H', s.url, '-D', s.adminDn, '-y', join(s.dir, 'admin.pw')];
}

let seq = 0;
async function withTempLdif<T>(s: Slapd, text: string, f: (path: string) => Promise<T>): Promise<T> {
  const p = join(s.dir, `change-${process.pid}-${++seq}.ldif`);
  await writeFile(p, text.endsWith('\n') ? text : `${text}\n`, { mode: 0o600 });
  try {
    return await f(p);
  } finally {
    await rm(p, { force: true });
  }
}

/** Applies a change LDIF (`changetype: modify|add|delete|modrdn`) as the admin. */
export async function ldapModify(s: Slapd, ldif: string): Promise<void> {
  await withTempLdif(s, ldif, (p) => run(bin('ldapmodify'), [...adminArgs(s), '-f', p]));
}

/** Adds the entries of a content LDIF (no changetype needed) as the admin. */
export async function ldapAdd(s: Slapd, ldif: string): Promise<void> {
  await withTempLdif(s, ldif, (p) => run(bin('ldapmodify'), ['-a', ...adminArgs(s), '-f', p]));
}

/** Deletes one entry (not recursive) as the admin. */
export async function ldapDelete(s: Slapd, dn: string): Promise<void> {
  await withTempLdif(s, dn, (p) => run(bin('ldapdelete'), [...adminArgs(s), '-f', p]));
}

/**
 * ldapsearch as the admin (or anonymously), returning the LDIF text (-LLL, unwrapped).
 * Extra args go before the filter, e.g. ['-E', 'pr=5/noprompt'] or ['-s', 'base'].
 */
export async function ldapSearch(
  s: Slapd,
  opts: { base?: string; filter?: string; attrs?: string[]; args?: string[]; anonymous?: boolean } = {},
): Promise<string> {
  const auth = opts.anonymous ? ['-x', '-H', s.url] : adminArgs(s);
  const { stdout } = await run(bin('ldapsearch'), [
    ...auth,
    '-LLL',
    '-o', 'ldif-wrap=no',
    '-b', opts.base ?? s.baseDn,
    ...(opts.args ?? []),
    opts.filter ?? '(objectClass=*)',
    ...(opts.attrs ?? []),
  ]);
  return stdout;
}
