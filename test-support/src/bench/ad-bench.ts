// Benchmark (not a test) of `dirconn sync` against a real Samba Active Directory DC and the fake
// Bitwarden server: a full sync, a no-op sync and a delta sync after changing 1 % of the users, each
// with wall time, peak RSS and LDAP searches, next to the floor set by ldapsearch dumping the same
// entries over LDAPS. Run from the repository root after `npx tsc -b tsconfig.check.json`, as root
// (Samba; test-support/scripts/install-samba.sh):
//
//   npm run bench:ad -- --users 10000 --groups 1000
//   npm run bench:ad -- --users 2000 --groups 200 --repeat 3 --trace
//
// Steps: provision a throw-away domain (samba.ts), bulk-load N users / G groups with M members each
// (samba-seed.ts seedBulkDirectory: one ldapmodify stream per kind), then run-bench.ts: the ldapsearch
// floor (users with the attributes dirconn requests in AD mode + groups with member, paged like
// dirconn, best of 3), a fresh data dir configured through the built CLI exactly like an AD admin
// would (ldap.ad true, LDAPS with the DC's CA, DOMAIN\Administrator), login to the in-process fake,
// `dirconn --json sync` (initial: full read), again (no-op: a delta read that finds nothing), and
// after changing the mail of 1 % of the users a third time (delta: uSNChanged on the same DC). Prints
// a table, details and a `bench-result {json}` line. Cleans up the DC, the fake and the temp dirs on
// exit, error and Ctrl-C (--keep keeps the work dir).
//
// The floor's ldapsearch runs through a two-line wrapper: floor.ts sets LDAPNOINIT=1 (no ldap.conf,
// no LDAP* variables), which would also drop LDAPTLS_CACERT, and Samba only takes simple binds over
// TLS. Samba's LDAP server runs in worker processes, so no server CPU figure is reported.
//
// Test-only.

import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { ldapModify, startSambaDc } from '../samba.js';
import type { SambaDc } from '../samba.js';
import { seedBulkDirectory } from '../samba-seed.js';
import type { BulkDirectoryInfo } from '../samba-seed.js';
import type { BenchOptions, DirectoryTarget } from './bench.types.js';
import type { Cleanup } from './cleanup.js';
import { benchLog, positiveInt, runBenchCli } from './cli.js';
import type { FloorSearch } from './floor.js';
import { secs } from './format.js';

const USAGE = `usage: npm run bench:ad -- [options]   (node test-support/dist/bench/ad-bench.js [options]; as root)

  --users N              users to create (default 10000)
  --groups N             groups to create (default users/10)
  --members-per-group N  user members per group (default 50); every 10th group also nests the next
  --page-size N          ldap.pageSize and the ldapsearch page size (default 500, dirconn's default)
  --repeat N             repeat floor + syncs N times (fresh fake and data dir each), report medians
  --modify               third sync after changing 1 % of the users with --force-like full reads
                         (sync.fullSyncIntervalHours 0) instead of the delta read
  --group-change         with the 1 % users also add one user to one group (the delta then re-reads
                         every group and the user scope for member resolution)
  --large-import         sync.largeImport true (batches of 2000)
  --plain-output         run "dirconn sync" instead of "dirconn --json sync"
  --trace                DIRCONN_DEBUG=true: phase timeline (LDAP read, org read, import, rest)
  --keep                 keep the work dir (data dirs, sync output) and the DC's directory
  --help`;

interface Options extends BenchOptions {
  users: number;
  groups: number;
  membersPerGroup: number;
  groupChange: boolean;
}

function parseOptions(argv: string[]): Options | null {
  const { values } = parseArgs({
    args: argv,
    options: {
      users: { type: 'string' },
      groups: { type: 'string' },
      'members-per-group': { type: 'string' },
      'page-size': { type: 'string' },
      repeat: { type: 'string' },
      modify: { type: 'boolean', default: false },
      'group-change': { type: 'boolean', default: false },
      'large-import': { type: 'boolean', default: false },
      'plain-output': { type: 'boolean', default: false },
      trace: { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) return null;
  const users = positiveInt(values.users, 'users', 10_000);
  return {
    users,
    groups: values.groups === '0' ? 0 : positiveInt(values.groups, 'groups', Math.max(1, Math.floor(users / 10))),
    membersPerGroup: positiveInt(values['members-per-group'], 'members-per-group', 50),
    groupChange: values['group-change'],
    pageSize: positiveInt(values['page-size'], 'page-size', 500),
    repeat: positiveInt(values.repeat, 'repeat', 1),
    keep: values.keep,
    third: values.modify ? 'full' : 'delta',
    largeImport: values['large-import'],
    selfHosted: true,
    fastFake: false,
    plainOutput: values['plain-output'],
    nodeOptions: '',
    cpuProf: false,
    heapProf: false,
    trace: values.trace,
    workDir: '',
  };
}

const log = benchLog;

/** The searches of a full AD sync (ldap.provider.ts plan(), AD mode, no prefix+suffix), for the floor. */
function floorSearches(bulk: BulkDirectoryInfo): FloorSearch[] {
  return [
    {
      label: 'users',
      base: bulk.usersOu,
      scope: 'sub',
      filter: '(&(objectClass=person))',
      attributes: ['mail', 'uid', 'cn', 'displayName', 'objectGUID', 'userAccountControl', 'whenChanged'],
    },
    {
      label: 'groups',
      base: bulk.groupsOu,
      scope: 'sub',
      filter: '(&(objectClass=group))',
      attributes: ['name', 'cn', 'member', 'objectGUID', 'whenChanged'],
    },
  ];
}

/** `ldapsearch` for the floor: trusts the DC's CA although floor.ts sets LDAPNOINIT=1 (see the top). */
function ldapsearchWrapper(dir: string, dc: SambaDc): string {
  const real = execFileSync('sh', ['-c', 'command -v ldapsearch'], { encoding: 'utf8' }).trim();
  if (real === '') throw new Error('ldapsearch not found; run test-support/scripts/install-samba.sh');
  const binDir = join(dir, 'bin');
  mkdirSync(binDir, { recursive: true });
  const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
  writeFileSync(
    join(binDir, 'ldapsearch'),
    `#!/bin/sh\nunset LDAPNOINIT\nexport LDAPCONF=/dev/null LDAPRC=.dirconn-bench-none LDAPTLS_CACERT=${quote(dc.caCertPath)} LDAPTLS_REQCERT=demand\nexec ${quote(real)} "$@"\n`,
    { mode: 0o755 },
  );
  return binDir;
}

async function startDirectory(options: Options, cleanup: Cleanup): Promise<DirectoryTarget> {
  log('provisioning a Samba AD DC (samba-tool domain provision into a temp dir)…');
  const loadStart = performance.now();
  const dc = await startSambaDc({ keepDir: options.keep, log });
  cleanup.add('stop the Samba DC', () => dc.stop());
  const bulk = await seedBulkDirectory(dc, { users: options.users, groups: options.groups, membersPerGroup: options.membersPerGroup, log });
  const loadMs = performance.now() - loadStart;
  log(`DC up and loaded in ${secs(loadMs)} s (users ${secs(bulk.timings.usersMs)} s, groups ${secs(bulk.timings.groupsMs)} s); ${dc.ldapsUrl}`);

  const binDir = ldapsearchWrapper(options.workDir, dc);
  return {
    name: 'samba-ad',
    users: options.users,
    groups: options.groups,
    loadMs,
    ldapsearch: { url: dc.ldapsUrl, bindDn: dc.adminDn, passwordFile: dc.adminPasswordFile, env: { PATH: `${binDir}:${process.env['PATH'] ?? ''}` } },
    floorSearches: floorSearches(bulk),
    dirconnSettings: [
      ['directory', 'ldap'],
      ['ldap.ad', 'true'],
      ['ldap.hostname', dc.host],
      ['ldap.ssl', 'true'],
      ['ldap.port', String(dc.ldapsPort)],
      ['ldap.sslCaPath', dc.caCertPath],
      ['ldap.rootPath', dc.baseDn],
      ['ldap.username', `${dc.domain}\\${dc.adminUser}`],
      ['ldap.pageSize', String(options.pageSize)],
      ['sync.users', 'true'],
      ['sync.groups', 'true'],
      ['sync.userPath', 'OU=Bench'],
      ['sync.groupPath', 'OU=Bench Groups'],
      ...(options.third === 'full' ? ([['sync.fullSyncIntervalHours', '0']] as [string, string][]) : []),
    ],
    dirconnEnv: { DIRCONN_LDAP_PASSWORD: dc.adminPassword },
    async modifyUsers(fraction: number, rep: number): Promise<number> {
      const count = Math.max(1, Math.round(options.users * fraction));
      const step = Math.max(1, Math.floor(options.users / count));
      const changes: string[] = [];
      for (let k = 0; k < count; k++) {
        const index = k * step + ((rep - 1) % step);
        if (index >= options.users) break;
        changes.push(`dn: ${bulk.userDn(index)}\nchangetype: modify\nreplace: mail\nmail: ${bulk.userMail(index).replace('@', `.r${rep}@`)}\n-\n\n`);
      }
      if (options.groupChange && options.groups > 0 && options.users > bulk.membersPerGroup) {
        // Group 1 has users 0…m-1: add the user after them (a new member, one per repetition).
        const newcomer = (bulk.membersPerGroup + rep - 1) % options.users;
        changes.push(`dn: ${bulk.groupDn(0)}\nchangetype: modify\nadd: member\nmember: ${bulk.userDn(newcomer)}\n-\n\n`);
      }
      await ldapModify(dc, changes.join(''));
      return changes.length;
    },
  };
}

process.exitCode = await runBenchCli<Options>({
  usage: USAGE,
  parse: parseOptions,
  workDirPrefix: 'dirconn-ad-bench-',
  start: startDirectory,
  describe: (result, options) =>
    `dirconn sync bench: Samba AD DC ${result.users} users / ${result.groups} groups (${Math.min(options.membersPerGroup, options.users)} members per group, every 10th nests the next), ` +
    `LDAPS, page size ${options.pageSize}, fake Bitwarden self-hosted${options.largeImport ? ', largeImport' : ''}, ` +
    `${options.plainOutput ? 'dirconn sync' : 'dirconn --json sync'}, third sync ${options.third === 'delta' ? 'delta (uSNChanged)' : 'full (fullSyncIntervalHours 0)'}${options.groupChange ? ' with a group membership change' : ''}, ` +
    `${result.node}, ${result.cpus} CPUs; load ${secs(result.loadMs)} s`,
  showTargets: false,
});
