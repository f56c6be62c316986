// A real Samba Active Directory domain controller on 127.0.0.1 for integration tests and benchmarks.
//
// startSambaDc() provisions a throw-away domain (realm DIRCONN.TEST, NetBIOS domain DIRCONN) with
// `samba-tool domain provision --targetdir=<temp dir>`, so nothing touches /etc/samba or
// /var/lib/samba, then runs `samba -i` as a child process that serves LDAP only:
//
// - `server services = ldap`: no smbd, winbindd, KDC, DNS or replication. Samba still opens the
//   global-catalog ports 3268/3269 next to 389/636; all four are fixed (AD has no port settings), so
//   only one DC can run on a machine at a time (a lock file and a port probe say so clearly).
// - `interfaces = lo` + `bind interfaces only = yes`: it listens on 127.0.0.1 and ::1 only.
// - `ldap server require strong auth = yes`: a simple bind over plain LDAP fails with
//   strongAuthRequired (8, "BindSimple: Transport encryption required."); LDAPS and StartTLS work.
// - TLS uses a private CA and server certificate made here with openssl (SAN IP:127.0.0.1,
//   DNS:localhost, DNS:<dc fqdn>); the CA is `caCertPath`.
// - `ldb:nosync = true` (~3x faster adds) and the LMDB backend (~1.5x faster bulk adds than TDB,
//   provision ~2 s slower): durability does not matter for a throw-away DC.
//
// The Administrator password is the random one samba-tool generates when none is given (read from
// its output), so it never appears on a command line. Helpers bind as Administrator with
// `ldapmodify -y <password file>` over LDAPS; the password file lives in the DC's private dir (0700).
//
// Samba exits on its own when its stdin closes (`-i`), so a test process that dies without calling
// stop() does not leave a DC behind; `--maximum-runtime` is a second safety net.
//
// Must run as root (samba refuses otherwise and needs ports 389/636). Requires the packages
// installed by test-support/scripts/install-samba.sh (Debian 12: Samba 4.17).
//
// Where Samba 4.17 differs from Windows AD (checked against this harness; tests should not rely on
// the Windows behaviour being reproduced here):
// - Non-paged searches are not cut at MaxPageSize (1000), page sizes above 1000 are honoured, and a
//   client size limit (`-z`) is ignored: all entries come back with success.
// - A plain `member` request returns every value (5000 here); `member;range=a-b` works when asked
//   for explicitly (`member;range=0-1499`, then `member;range=1500-*`, ...).
// - Recycle Bin is off in a new domain, and only the system user can enable it (ldbModify). With it
//   on, groups keep listing a deleted member under its `...\0ADEL:<guid>,CN=Deleted Objects,...` DN
//   (Windows hides such deactivated links). Without it, deleting a user removes it from its groups.
// - OpenLDAP clients (ldapsearch) resolve `ldaps://localhost` back to the machine's hostname for
//   the certificate check and fail; use 127.0.0.1.
// - A search base outside the domain answers noSuchObject (32), never a referral (Windows: 10).
// - The server time limit is honoured, but a search that hits it while returning attributes fails
//   with operationsError ("ldb_wait … Operations error") instead of timeLimitExceeded.
// - A plain user sees CN=Deleted Objects (Windows hides it) but none of the tombstones in it.
// - Deleting a user drops it from its groups without moving the groups' whenChanged/uSNChanged;
//   adding or removing a member moves the group's (never the member's). An account's first bind
//   sets lastLogonTimestamp, which moves its whenChanged/uSNChanged once.

import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync, unlinkSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, open, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { connect as netConnect, createServer } from 'node:net';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';

/** A running throw-away Samba AD DC. */
export interface SambaDc {
  host: '127.0.0.1';
  /** Plain LDAP (389); StartTLS is offered. Simple binds need TLS (strong auth required). */
  ldapPort: number;
  /** LDAPS (636). */
  ldapsPort: number;
  /** Kerberos realm / DNS domain in upper case, e.g. `DIRCONN.TEST`. */
  realm: string;
  /** NetBIOS domain name, e.g. `DIRCONN`. */
  domain: string;
  /** e.g. `DC=dirconn,DC=test`. */
  baseDn: string;
  /** Always `Administrator`. Also accepted as `DIRCONN\Administrator` or `Administrator@dirconn.test`. */
  adminUser: string;
  /** Random, generated at provision time. */
  adminPassword: string;
  /** `CN=Administrator,CN=Users,<baseDn>`. */
  adminDn: string;
  /** PEM of the CA that signed the DC's TLS certificate. */
  caCertPath: string;
  /** The instance's directory (provisioned domain, smb.conf, certificates, logs). */
  dir: string;
  /** `ldap://127.0.0.1:389` */
  url: string;
  /** `ldaps://127.0.0.1:636` */
  ldapsUrl: string;
  /** The generated smb.conf; pass it to samba tools with `-s`. */
  confPath: string;
  /** File holding the Administrator password (no trailing newline, mode 0600), for `ldap* -y`. */
  adminPasswordFile: string;
  /** Samba's stdout/stderr (it logs there with `-i`). */
  logPath: string;
  /** Process id of the samba master process. */
  readonly pid: number;
  /** SIGTERM the samba process group, wait for it, then remove `dir` (unless kept). Idempotent. */
  stop(): Promise<void>;
}

export interface StartSambaDcOptions {
  /**
   * Directory for the instance. Created if missing; must be empty. Default: a new directory under
   * the OS temp dir. A given directory is kept by stop() (for inspection); a default one is removed.
   */
  dir?: string;
  /** Default `DIRCONN.TEST` (base DN `DC=dirconn,DC=test`). */
  realm?: string;
  /** NetBIOS domain. Default `DIRCONN`. */
  domain?: string;
  /** Keep the directory after stop() even when it was created here. Env: DIRCONN_SAMBA_KEEP=1. */
  keepDir?: boolean;
  /** samba exits by itself after this many seconds. Default 4 hours. */
  maxRuntimeSeconds?: number;
  /** Called with progress lines and timings (e.g. `console.error`). Default: silent. */
  log?: (line: string) => void;
}

const HOST = '127.0.0.1';
const LDAP_PORT = 389;
const LDAPS_PORT = 636;
/** Samba's global catalog listens here too whenever the ldap service runs. */
const GC_PORTS = [3268, 3269];
const HOST_NAME = 'dc1';
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;
const LOCK_PATH = join(tmpdir(), 'dirconn-samba-dc.lock');
const INSTALL_HINT = 'run test-support/scripts/install-samba.sh (as root)';

// ---------------------------------------------------------------------------------------------
// Process helpers

/** Finds a binary on PATH, then in the sbin dirs (`samba` lives in /usr/sbin). */
function bin(name: string): string {
  const dirs = [...(process.env['PATH'] ?? '').split(':').filter(Boolean), '/usr/sbin', '/sbin', '/usr/bin'];
  for (const d of dirs) {
    const p = join(d, name);
    if (existsSync(p)) return p;
  }
  throw new Error(`${name} not found; ${INSTALL_HINT}`);
}

interface RunOptions {
  env?: NodeJS.ProcessEnv;
  /** Written to the child's stdin. */
  input?: string;
  cwd?: string;
}

interface RunResult {
  stdout: string;
  stderr: string;
}

/** Error of a failed child process; `stdout`/`stderr` hold its output. */
export class CommandError extends Error {
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
  constructor(message: string, exitCode: number | null, stdout: string, stderr: string) {
    super(message);
    this.name = 'CommandError';
    this.exitCode = exitCode;
    this.stdout = stdout;
    this.stderr = stderr;
  }
}

function run(cmd: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      env: opts.env ?? process.env,
      cwd: opts.cwd,
      stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on('data', (b: Buffer) => out.push(b));
    child.stderr?.on('data', (b: Buffer) => err.push(b));
    if (opts.input !== undefined && child.stdin) {
      child.stdin.on('error', () => {
        // EPIPE: the child exited before reading everything; its exit code and stderr say why.
      });
      child.stdin.end(opts.input);
    }
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const stdout = Buffer.concat(out).toString('utf8');
      const stderr = Buffer.concat(err).toString('utf8');
      if (code === 0) {
        resolve({ stdout, stderr });
        return;
      }
      const why = signal ? `signal ${signal}` : `exit code ${String(code)}`;
      // Only the command name and its non-secret arguments are shown; callers never pass secrets
      // as arguments.
      const detail = (stderr.trim() || stdout.trim()).slice(-4000);
      reject(new CommandError(`${cmd} ${args.join(' ')} failed (${why}): ${detail}`, code, stdout, stderr));
    });
  });
}

function elapsed(since: bigint): number {
  return Number((process.hrtime.bigint() - since) / 1_000_000n);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// ---------------------------------------------------------------------------------------------
// Preconditions: root, free ports, one DC per machine

function isPidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the machine-wide lock (one Samba DC at a time: its ports are fixed). A lock left by a dead
 * process is taken over.
 */
async function acquireLock(): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fh = await open(LOCK_PATH, 'wx', 0o644);
      await fh.writeFile(`${process.pid}\n`);
      await fh.close();
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      let owner = NaN;
      try {
        owner = Number.parseInt(await readFile(LOCK_PATH, 'utf8'), 10);
      } catch (readErr) {
        if ((readErr as NodeJS.ErrnoException).code === 'ENOENT') continue; // released meanwhile
        throw readErr;
      }
      if (Number.isInteger(owner) && owner !== process.pid && isPidAlive(owner)) {
        throw new Error(
          `another Samba test DC is running (lock ${LOCK_PATH} held by pid ${owner}); ` +
            'AD ports are fixed, so only one can run at a time (run integration tests with --runInBand)',
        );
      }
      if (owner === process.pid) {
        throw new Error('this process already runs a Samba test DC; stop() it before starting another');
      }
      await rm(LOCK_PATH, { force: true }); // stale: its owner is gone
    }
  }
  throw new Error(`could not take ${LOCK_PATH}`);
}

function releaseLock(): void {
  try {
    if (Number.parseInt(readFileSync(LOCK_PATH, 'utf8'), 10) === process.pid) unlinkSync(LOCK_PATH);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
}

const OWNER_FILE = 'owner.pid';

/**
 * Removes instance dirs left in the temp dir by test processes that died without stop() (SIGKILL,
 * crash). Only dirs made here (and not kept) carry an owner file; the lock is held, so none of them
 * belongs to a running DC.
 */
async function sweepStaleDirs(): Promise<void> {
  const root = tmpdir();
  for (const name of await readdir(root)) {
    if (!name.startsWith('dirconn-samba-')) continue;
    const ownerPath = join(root, name, OWNER_FILE);
    let owner: number;
    try {
      owner = Number.parseInt(await readFile(ownerPath, 'utf8'), 10);
    } catch {
      continue; // not ours to judge (kept, or not a DC dir)
    }
    if (Number.isInteger(owner) && owner !== process.pid && !isPidAlive(owner)) {
      await rm(join(root, name), { recursive: true, force: true });
    }
  }
}

/** Resolves true when something accepts TCP connections on 127.0.0.1:port. */
function somethingListens(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = netConnect({ host: HOST, port });
    sock.setTimeout(1000);
    sock.once('connect', () => {
      sock.destroy();
      resolve(true);
    });
    sock.once('timeout', () => {
      sock.destroy();
      resolve(true); // a filtered port is not ours to take either
    });
    sock.once('error', () => resolve(false));
  });
}

/** Resolves null if we can bind 127.0.0.1:port, else the error code (EADDRINUSE, EACCES, ...). */
function bindProbe(port: number): Promise<string | null> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? String(e)));
    srv.listen({ host: HOST, port, exclusive: true }, () => srv.close(() => resolve(null)));
  });
}

async function assertPortsFree(): Promise<void> {
  for (const port of [LDAP_PORT, LDAPS_PORT, ...GC_PORTS]) {
    if (await somethingListens(port)) {
      throw new Error(
        `port ${port} on ${HOST} is already in use (another LDAP server or Samba DC?); ` +
          'the Samba test DC needs 389, 636, 3268 and 3269 (AD ports are fixed)',
      );
    }
    const code = await bindProbe(port);
    if (code !== null) {
      throw new Error(`cannot bind ${HOST}:${port} (${code}); the Samba test DC needs ports 389/636/3268/3269 free`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// TLS material

async function makeTlsMaterial(tlsDir: string, fqdn: string): Promise<{ ca: string; cert: string; key: string }> {
  const openssl = bin('openssl');
  const cnf = join(tlsDir, 'openssl.cnf');
  await writeFile(
    cnf,
    [
      '[req]',
      'distinguished_name = dn',
      'prompt = no',
      '[dn]',
      'CN = dirconn test CA',
      '[v3_ca]',
      'basicConstraints = critical, CA:TRUE',
      'keyUsage = critical, keyCertSign, cRLSign',
      'subjectKeyIdentifier = hash',
      '[v3_server]',
      'basicConstraints = critical, CA:FALSE',
      'keyUsage = critical, digitalSignature, keyEncipherment',
      'extendedKeyUsage = serverAuth',
      `subjectAltName = IP:${HOST}, DNS:localhost, DNS:${fqdn}`,
      'subjectKeyIdentifier = hash',
      'authorityKeyIdentifier = keyid',
      '',
    ].join('\n'),
  );
  const caKey = join(tlsDir, 'ca.key');
  const ca = join(tlsDir, 'ca.pem');
  const key = join(tlsDir, 'server.key');
  const csr = join(tlsDir, 'server.csr');
  const cert = join(tlsDir, 'server.pem');
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  await run(openssl, ['req', '-x509', ...ec, '-keyout', caKey, '-out', ca, '-days', '7', '-config', cnf, '-extensions', 'v3_ca']);
  await run(openssl, ['req', '-new', ...ec, '-keyout', key, '-out', csr, '-subj', `/CN=${fqdn}`, '-config', cnf]);
  await run(openssl, [
    'x509', '-req', '-in', csr, '-CA', ca, '-CAkey', caKey, '-set_serial', `0x${randomBytes(8).toString('hex')}`,
    '-days', '7', '-out', cert, '-extfile', cnf, '-extensions', 'v3_server',
  ]);
  // Samba refuses a key file that others can read.
  await chmod(key, 0o600);
  await chmod(caKey, 0o600);
  return { ca, cert, key };
}

// ---------------------------------------------------------------------------------------------
// smb.conf

function smbConf(p: {
  dir: string;
  realm: string;
  domain: string;
  tls: { ca: string; cert: string; key: string };
}): string {
  const d = p.dir;
  const lines = [
    '# Generated by dirconn test-support/src/samba.ts: a loopback-only, LDAP-only test DC.',
    '[global]',
    `netbios name = ${HOST_NAME.toUpperCase()}`,
    `realm = ${p.realm}`,
    `workgroup = ${p.domain}`,
    'server role = active directory domain controller',
    'server services = ldap',
    'interfaces = lo',
    'bind interfaces only = yes',
    // Every path samba writes to lives in the instance dir.
    `private dir = ${d}/private`,
    `binddns dir = ${d}/bind-dns`,
    `state directory = ${d}/state`,
    `cache directory = ${d}/cache`,
    `lock directory = ${d}/lock`,
    `pid directory = ${d}/run`,
    `ncalrpc dir = ${d}/run/ncalrpc`,
    `ntp signd socket directory = ${d}/run/ntp_signd`,
    `winbindd socket directory = ${d}/run/winbindd`,
    `usershare path = ${d}/usershares`,
    `log file = ${d}/log/samba.log`,
    'log level = 1',
    'idmap_ldb:use rfc2307 = yes',
    'ldb:nosync = true',
    'ldap server require strong auth = yes',
    'tls enabled = yes',
    `tls keyfile = ${p.tls.key}`,
    `tls certfile = ${p.tls.cert}`,
    `tls cafile = ${p.tls.ca}`,
    '',
  ];
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Environment for ldap-utils

/**
 * ldap-utils read ldap.conf, ~/.ldaprc and LDAP* environment variables. Drop the caller's LDAP*
 * variables and point both the system and the user config at our own file (LDAPNOINIT would also
 * drop LDAPTLS_CACERT, which we need).
 */
function ldapEnv(dc: Pick<SambaDc, 'dir' | 'caCertPath'>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('LDAP')) env[k] = v;
  const conf = join(dc.dir, 'ldap.conf');
  env['LDAPCONF'] = conf;
  env['LDAPRC'] = conf;
  env['LDAPTLS_CACERT'] = dc.caCertPath;
  env['LDAPTLS_REQCERT'] = 'demand';
  return env;
}

function bindArgs(dc: Pick<SambaDc, 'ldapsUrl' | 'adminDn' | 'adminPasswordFile'>): string[] {
  return ['-H', dc.ldapsUrl, '-x', '-D', dc.adminDn, '-y', dc.adminPasswordFile];
}

/** Resolves once LDAPS completes a TLS handshake verified against our CA, rejects on failure. */
function tlsHandshake(ca: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const sock: Socket = tlsConnect({ host: HOST, port: LDAPS_PORT, ca, timeout: 2000 });
    sock.once('secureConnect', () => {
      sock.destroy();
      resolve();
    });
    sock.once('timeout', () => {
      sock.destroy();
      reject(new Error('timeout'));
    });
    sock.once('error', reject);
  });
}

// ---------------------------------------------------------------------------------------------
// Start / stop

/**
 * DCs still running at exit (process group id -> directory to remove, or null to keep): killed
 * synchronously so no DC outlives the test process, even without stop().
 */
const liveGroups = new Map<number, string | null>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const [pgid, dir] of liveGroups) {
      try {
        process.kill(-pgid, 'SIGKILL');
      } catch {
        // already gone
      }
      if (dir) rmSync(dir, { recursive: true, force: true });
    }
    if (liveGroups.size > 0) releaseLock();
  });
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function tail(path: string, chars = 3000): Promise<string> {
  try {
    const text = await readFile(path, 'utf8');
    return text.slice(-chars);
  } catch {
    return '(no log)';
  }
}

/**
 * Provisions a throw-away AD domain and starts a Samba DC serving LDAP/LDAPS on 127.0.0.1.
 * Takes ~8 s to provision and ~1 s to start on 2 cores. Throws a clear error when not root, when
 * Samba is not installed, or when the AD ports are taken.
 */
export async function startSambaDc(opts: StartSambaDcOptions = {}): Promise<SambaDc> {
  const log = opts.log ?? (() => undefined);
  const realm = (opts.realm ?? 'DIRCONN.TEST').toUpperCase();
  const domain = (opts.domain ?? 'DIRCONN').toUpperCase();
  const baseDn = realm
    .toLowerCase()
    .split('.')
    .map((part) => `DC=${part}`)
    .join(',');
  const fqdn = `${HOST_NAME}.${realm.toLowerCase()}`;
  const keep = opts.keepDir ?? process.env['DIRCONN_SAMBA_KEEP'] === '1';
  const maxRuntime = opts.maxRuntimeSeconds ?? 4 * 3600;

  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    throw new Error('the Samba test DC must run as root (samba refuses otherwise; AD ports 389/636 are privileged)');
  }
  const sambaBin = bin('samba');
  const sambaTool = bin('samba-tool');
  bin('ldapsearch');
  bin('ldapmodify');

  await acquireLock();
  let dir = '';
  let ownDir = false;
  try {
    await assertPortsFree();

    if (opts.dir) {
      dir = opts.dir;
      await mkdir(dir, { recursive: true });
      if ((await readdir(dir)).length > 0) throw new Error(`startSambaDc: ${dir} is not empty`);
    } else {
      await sweepStaleDirs();
      dir = await mkdtemp(join(tmpdir(), 'dirconn-samba-'));
      ownDir = true;
      if (!keep) await writeFile(join(dir, OWNER_FILE), `${process.pid}\n`);
    }
    await chmod(dir, 0o700);
    for (const sub of ['tls', 'log', 'run', 'lock', 'cache', 'usershares']) await mkdir(join(dir, sub), { recursive: true });

    // 1. Provision. No --adminpass: samba-tool then generates a random one and logs it, which keeps
    //    the password off the command line.
    let t = process.hrtime.bigint();
    const prov = await run(sambaTool, [
      'domain', 'provision',
      `--targetdir=${dir}`,
      `--realm=${realm}`,
      `--domain=${domain}`,
      '--server-role=dc',
      '--use-rfc2307',
      '--dns-backend=NONE',
      `--host-name=${HOST_NAME}`,
      '--backend-store=mdb',
      '--option=ldb:nosync = true',
    ]);
    const provisionMs = elapsed(t);
    const m = /Admin password:\s+(\S+)\s*$/m.exec(prov.stdout + '\n' + prov.stderr);
    if (!m?.[1]) throw new Error('samba-tool domain provision did not report the generated Admin password');
    const adminPassword = m[1];
    log(`samba: provisioned ${realm} in ${provisionMs} ms`);

    // 2. TLS material and our own smb.conf (replacing the provisioned one).
    t = process.hrtime.bigint();
    const tls = await makeTlsMaterial(join(dir, 'tls'), fqdn);
    const confPath = join(dir, 'etc', 'smb.conf');
    await writeFile(confPath, smbConf({ dir, realm, domain, tls }));
    const adminPasswordFile = join(dir, 'private', 'admin-password');
    await writeFile(adminPasswordFile, adminPassword, { mode: 0o600 });
    await writeFile(join(dir, 'ldap.conf'), `TLS_CACERT ${tls.ca}\nTLS_REQCERT demand\n`);
    log(`samba: TLS material and smb.conf in ${elapsed(t)} ms`);

    // 3. Start samba in its own process group (detached), stdin a pipe we never close.
    t = process.hrtime.bigint();
    const logPath = join(dir, 'log', 'samba.stdout');
    const logFh = await open(logPath, 'a', 0o600);
    let child: ChildProcess;
    try {
      child = spawn(
        sambaBin,
        ['-i', '--no-process-group', '-s', confPath, `--maximum-runtime=${maxRuntime}`],
        { detached: true, stdio: ['pipe', logFh.fd, logFh.fd], env: process.env },
      );
    } finally {
      await logFh.close();
    }
    const pid = child.pid;
    if (pid === undefined) throw new Error('could not spawn samba');
    liveGroups.set(pid, ownDir && !keep ? dir : null);
    installExitHook();
    let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    const exitPromise = new Promise<void>((resolve) => {
      child.once('exit', (code, signal) => {
        exited = { code, signal };
        resolve();
      });
    });
    child.once('error', () => undefined);
    // Let the test process exit without stop(): closing the pipe then makes samba exit too.
    child.unref();
    (child.stdin as unknown as Socket | null)?.unref();

    const stopGroup = async (): Promise<void> => {
      if (groupAlive(pid)) {
        try {
          process.kill(-pid, 'SIGTERM');
        } catch {
          // gone meanwhile
        }
        const deadline = Date.now() + STOP_TIMEOUT_MS;
        while (groupAlive(pid) && Date.now() < deadline) await sleep(50);
        if (groupAlive(pid)) {
          try {
            process.kill(-pid, 'SIGKILL');
          } catch {
            // gone meanwhile
          }
          while (groupAlive(pid)) await sleep(20);
        }
      }
      if (!exited) await Promise.race([exitPromise, sleep(1000)]);
      child.stdin?.destroy();
      liveGroups.delete(pid);
    };

    // 4. Wait for LDAPS, then check that the Administrator can bind.
    try {
      const ca = await readFile(tls.ca);
      const deadline = Date.now() + START_TIMEOUT_MS;
      for (;;) {
        if (exited) {
          throw new Error(
            `samba exited during start (${exited.signal ?? `code ${String(exited.code)}`}); log ${logPath}:\n${await tail(logPath)}`,
          );
        }
        try {
          await tlsHandshake(ca);
          break;
        } catch (e) {
          if (Date.now() > deadline) {
            throw new Error(`samba did not answer on LDAPS within ${START_TIMEOUT_MS} ms (${String(e)}); log:\n${await tail(logPath)}`);
          }
          await sleep(100);
        }
      }
      const probe = { dir, caCertPath: tls.ca, ldapsUrl: `ldaps://${HOST}:${LDAPS_PORT}`, adminDn: `CN=Administrator,CN=Users,${baseDn}`, adminPasswordFile };
      await run(bin('ldapsearch'), [...bindArgs(probe), '-b', '', '-s', 'base', '-LLL', 'dn'], { env: ldapEnv(probe) });
    } catch (e) {
      await stopGroup();
      throw e;
    }
    log(`samba: started (pid ${pid}) in ${elapsed(t)} ms`);

    let stopped = false;
    const dc: SambaDc = {
      host: HOST,
      ldapPort: LDAP_PORT,
      ldapsPort: LDAPS_PORT,
      realm,
      domain,
      baseDn,
      adminUser: 'Administrator',
      adminPassword,
      adminDn: `CN=Administrator,CN=Users,${baseDn}`,
      caCertPath: tls.ca,
      dir,
      url: `ldap://${HOST}:${LDAP_PORT}`,
      ldapsUrl: `ldaps://${HOST}:${LDAPS_PORT}`,
      confPath,
      adminPasswordFile,
      logPath,
      pid,
      async stop(): Promise<void> {
        if (stopped) return;
        stopped = true;
        await stopGroup();
        releaseLock();
        if (ownDir && !keep) await rm(dir, { recursive: true, force: true });
      },
    };
    // From here on, stop() owns the lock and the directory.
    return dc;
  } catch (e) {
    releaseLock();
    if (dir && ownDir && !keep) rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------
// Tools against a running DC

/**
 * Runs `samba-tool <args> -s <smb.conf>`. Without `-H`, samba-tool works on the DC's own sam.ldb
 * as the system user (no credentials needed; safe while samba runs: LMDB is multi-process). Pass
 * `-H ldaps://127.0.0.1 -U Administrator` yourself to go through the network instead.
 * Returns stdout.
 */
export async function sambaTool(dc: SambaDc, args: string[]): Promise<string> {
  const { stdout } = await run(bin('samba-tool'), [...args, '-s', dc.confPath]);
  return stdout;
}

export interface LdapModifyOptions {
  /** `ldapmodify -a`: records without `changetype` are adds. Default false (they are modifies). */
  add?: boolean;
  /** `ldapmodify -c`: go on after a failed record. Default false. */
  continueOnError?: boolean;
  /** Extra ldapmodify arguments, e.g. `['-e', 'relax']`. */
  extraArgs?: string[];
}

/**
 * Applies LDIF (any `changetype`) through LDAPS, bound as Administrator, with `ldapmodify`. The LDIF
 * goes through stdin, so it may carry `unicodePwd` values. Returns ldapmodify's stdout.
 */
export async function ldapModify(dc: SambaDc, ldif: string, opts: LdapModifyOptions = {}): Promise<string> {
  const args = [...bindArgs(dc)];
  if (opts.add) args.push('-a');
  if (opts.continueOnError) args.push('-c');
  args.push(...(opts.extraArgs ?? []));
  const { stdout } = await run(bin('ldapmodify'), args, { env: ldapEnv(dc), input: ldif });
  return stdout;
}

/**
 * Applies LDIF with `ldbmodify` directly on the DC's sam.ldb, as the system user: no ACL checks and
 * system-only operations work (e.g. the rootDSE `enableOptionalFeature` behind enableRecycleBin,
 * which Samba refuses to Administrator over LDAP). Safe while samba runs (LMDB is multi-process).
 * Prefer ldapModify for anything a real admin could do over LDAP.
 */
export async function ldbModify(dc: SambaDc, ldif: string): Promise<string> {
  const file = join(dc.dir, 'private', `ldbmodify-${process.pid}-${randomBytes(4).toString('hex')}.ldif`);
  await writeFile(file, ldif, { mode: 0o600 });
  try {
    const { stdout } = await run(bin('ldbmodify'), ['-H', join(dc.dir, 'private', 'sam.ldb'), file]);
    return stdout;
  } finally {
    await rm(file, { force: true });
  }
}

/** `ldapModify(dc, ldif, { add: true })`. */
export function ldapAdd(dc: SambaDc, ldif: string): Promise<string> {
  return ldapModify(dc, ldif, { add: true });
}

export interface LdapSearchOptions {
  /** Default: the domain's base DN. */
  base?: string;
  /** Default `(objectClass=*)`. */
  filter?: string;
  /** Default `sub`. */
  scope?: 'base' | 'one' | 'sub' | 'children';
  /** Attributes to return; default all user attributes. */
  attrs?: string[];
  /** `-E` controls, e.g. `['!1.2.840.113556.1.4.417']` (show deleted) or `['pr=500/noprompt']`. */
  controls?: string[];
  /** Plain ldap:// with StartTLS (`-ZZ`) instead of LDAPS. */
  startTls?: boolean;
}

/**
 * Runs `ldapsearch -LLL -o ldif-wrap=no` bound as Administrator over LDAPS (or StartTLS) and
 * returns the raw LDIF. Parse it with parseLdif().
 */
export async function ldapSearch(dc: SambaDc, opts: LdapSearchOptions = {}): Promise<string> {
  const args = opts.startTls
    ? ['-H', dc.url, '-ZZ', '-x', '-D', dc.adminDn, '-y', dc.adminPasswordFile]
    : bindArgs(dc);
  args.push('-LLL', '-o', 'ldif-wrap=no', '-b', opts.base ?? dc.baseDn, '-s', opts.scope ?? 'sub');
  for (const c of opts.controls ?? []) args.push('-E', c);
  args.push(opts.filter ?? '(objectClass=*)', ...(opts.attrs ?? []));
  const { stdout } = await run(bin('ldapsearch'), args, { env: ldapEnv(dc) });
  return stdout;
}

/** One entry of parsed LDIF; attribute names keep the server's case, values are UTF-8 or base64-decoded. */
export interface LdifEntry {
  dn: string;
  attrs: Record<string, string[]>;
  /** Raw bytes of base64 (`::`) values, e.g. objectGUID, keyed like attrs. */
  binary: Record<string, Buffer[]>;
}

/** Parses LDIF as printed by ldapsearch (handles folded lines and `::` base64 values). */
export function parseLdif(text: string): LdifEntry[] {
  const entries: LdifEntry[] = [];
  for (const block of text.split(/\r?\n\r?\n/)) {
    const lines: string[] = [];
    for (const raw of block.split(/\r?\n/)) {
      if (raw.startsWith('#')) continue;
      if (raw.startsWith(' ') && lines.length > 0) lines[lines.length - 1] += raw.slice(1);
      else if (raw.length > 0) lines.push(raw);
    }
    let entry: LdifEntry | undefined;
    for (const line of lines) {
      const mm = /^([^:]+)(::?)\s?(.*)$/.exec(line);
      if (!mm) continue;
      const name = mm[1] ?? '';
      const isB64 = mm[2] === '::';
      const rawValue = mm[3] ?? '';
      const bytes = isB64 ? Buffer.from(rawValue, 'base64') : Buffer.from(rawValue, 'utf8');
      const value = bytes.toString('utf8');
      if (!entry) {
        if (name.toLowerCase() !== 'dn') break;
        entry = { dn: value, attrs: {}, binary: {} };
        continue;
      }
      (entry.attrs[name] ??= []).push(value);
      if (isB64) (entry.binary[name] ??= []).push(bytes);
    }
    if (entry) entries.push(entry);
  }
  return entries;
}

/**
 * Formats one LDIF line, base64-encoding values LDIF cannot carry as text (non-ASCII, leading
 * space/colon/`<`, trailing space, control characters).
 */
export function ldifLine(attr: string, value: string | Buffer): string {
  if (Buffer.isBuffer(value)) return `${attr}:: ${value.toString('base64')}`;
  const unsafe = /^[ :<]|[^\x20-\x7e]| $/.test(value);
  return unsafe ? `${attr}:: ${Buffer.from(value, 'utf8').toString('base64')}` : `${attr}: ${value}`;
}

/** The `unicodePwd` value AD expects: the password in double quotes, UTF-16LE. Only over TLS. */
export function unicodePwd(password: string): Buffer {
  return Buffer.from(`"${password}"`, 'utf16le');
}

/**
 * Formats AD's objectGUID bytes as a GUID string (Microsoft mixed-endian layout: the first three
 * groups are little-endian), lower case — the form used as externalId.
 */
export function guidToString(bytes: Buffer): string {
  if (bytes.length !== 16) throw new Error(`objectGUID must be 16 bytes, got ${bytes.length}`);
  const hex = (b: Buffer): string => b.toString('hex');
  const rev = (start: number, end: number): Buffer => Buffer.from(bytes.subarray(start, end)).reverse();
  return [hex(rev(0, 4)), hex(rev(4, 6)), hex(rev(6, 8)), hex(bytes.subarray(8, 10)), hex(bytes.subarray(10, 16))].join('-');
}
