// Benchmark (not a test) of `dirconn sync` against a real OpenLDAP slapd and the fake Bitwarden
// server: how close a full sync gets to the floor set by ldapsearch reading the same entries, and
// its peak memory. Run from the repository root after `npx tsc -b tsconfig.check.json`:
//
//   npm run bench -- --users 10000 --groups 1000
//   npm run bench -- --users 100000 --groups 10000 --large-import --trace
//   npm run bench -- --users 100000 --groups 10000 --large-import --delta --fast-fake
//   npm run bench -- --users 100000 --groups 10000 --large-import --cpu-prof
//
// At 100k users / 10k groups / 50 members the single import body is ~32 MB, over the server's (and
// the fake's) 30,000,000-byte limit (HTTP 413): use --large-import there.
//
// Steps: generate N users / G groups (generate-ldif.ts) into a temp LDIF, bulk-load it into a fresh
// slapd, measure the ldapsearch floor (users with the attributes dirconn requests + groups with
// member, paged like dirconn), then (run-bench.ts) configure a throw-away data dir through the built
// CLI, log in to the in-process fake, run `dirconn --json sync` (initial), again (no-op), and with
// --delta/--modify a third time after changing 1 % of the users. Prints a table, details, the target
// verdict (100k users / 10k groups: < 3x ldapsearch, < 400 MB peak RSS) and a `bench-result {json}`
// line. Cleans up slapd, the fake and the temp dirs on exit, error and Ctrl-C (--keep keeps the
// work dir: LDIF, data dirs, sync output, profiles).
//
// Requires slapd + ldap-utils (test-support/scripts/install-slapd.sh). Test-only.

import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { generateDirectory, generatedUser, writeDirectoryLdif } from '../generate-ldif.js';
import type { GenerateDirectoryOptions } from '../generate-ldif.js';
import { ldapModify, startSlapd } from '../slapd.js';
import type { Slapd } from '../slapd.js';
import type { BenchOptions, DirectoryTarget } from './bench.types.js';
import type { Cleanup } from './cleanup.js';
import { benchLog, positiveInt, runBenchCli } from './cli.js';
import type { FloorSearch } from './floor.js';
import { secs } from './format.js';

const USAGE = `usage: npm run bench -- [options]   (node test-support/dist/bench/ldap-bench.js [options])

  --users N              users to generate (default 1000)
  --groups N             groups to generate (default users/10)
  --members-per-group N  user members per group (default 50)
  --page-size N          ldap.pageSize and the ldapsearch page size (default 500, dirconn's default)
  --repeat N             repeat floor + syncs N times (fresh fake and data dir each), report medians
  --delta                sync.revisionDateAttribute modifyTimestamp, and a third sync after changing
                         the mail of 1 % of the users (delta read)
  --modify               a third sync after changing 1 % of the users, without delta reads (full read)
  --large-import         sync.largeImport true (batches of 2000)
  --cloud                fake as a cloud server (2000-member cap per import; needs --large-import)
  --external-id ATTR     ldap.externalIdAttribute (default entryUUID; auto = DN on OpenLDAP)
  --fast-fake            memoise the fake's member/group lookups during read requests (mostly
                         unnecessary now that the fake indexes its state; kept for comparison)
  --plain-output         run "dirconn sync" instead of "dirconn --json sync" (no whole-plan JSON)
  --cpu-prof             V8 CPU profile of every sync (NODE_OPTIONS=--cpu-prof), summarised; implies --keep
  --heap-prof            V8 heap profile of every sync (NODE_OPTIONS=--heap-prof; what is still live at
                         exit, not the peak); implies --keep
  --node-options=OPTS    extra NODE_OPTIONS for the syncs, e.g. --node-options=--max-old-space-size=300
  --trace                DIRCONN_DEBUG=true: phase timeline (startup, LDAP read, token + org read,
                         plan, import, finish) with the peak RSS of each phase
  --keep                 keep the work dir (LDIF, data dirs, sync output, profiles)
  --help`;

const BASE_DN = 'dc=bitwarden,dc=com';
/** Backdated timestamps for --delta: slapadd would stamp every entry "now", inside the delta look-back. */
const OLD_TIMESTAMP = '20200101000000Z';

interface Options extends BenchOptions {
  users: number;
  groups: number;
  membersPerGroup: number;
  externalId: string;
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
      delta: { type: 'boolean', default: false },
      modify: { type: 'boolean', default: false },
      'large-import': { type: 'boolean', default: false },
      cloud: { type: 'boolean', default: false },
      'external-id': { type: 'string', default: 'entryUUID' },
      'fast-fake': { type: 'boolean', default: false },
      'plain-output': { type: 'boolean', default: false },
      'node-options': { type: 'string', default: '' },
      'cpu-prof': { type: 'boolean', default: false },
      'heap-prof': { type: 'boolean', default: false },
      trace: { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) return null;
  const users = positiveInt(values.users, 'users', 1000);
  if (values.delta && values.modify) throw new Error('--delta and --modify are exclusive (--delta already changes 1 % of the users)');
  if (values.cloud && !values['large-import'] && users > 2000) throw new Error('--cloud caps an import at 2000 members: add --large-import');
  return {
    users,
    groups: values.groups === '0' ? 0 : positiveInt(values.groups, 'groups', Math.max(1, Math.floor(users / 10))),
    membersPerGroup: positiveInt(values['members-per-group'], 'members-per-group', 50),
    externalId: values['external-id'],
    pageSize: positiveInt(values['page-size'], 'page-size', 500),
    repeat: positiveInt(values.repeat, 'repeat', 1),
    keep: values.keep || values['cpu-prof'] || values['heap-prof'], // profiles are kept for inspection
    third: values.delta ? 'delta' : values.modify ? 'full' : 'none',
    largeImport: values['large-import'],
    selfHosted: !values.cloud,
    fastFake: values['fast-fake'],
    plainOutput: values['plain-output'],
    nodeOptions: values['node-options'],
    cpuProf: values['cpu-prof'],
    heapProf: values['heap-prof'],
    trace: values.trace,
    workDir: '',
  };
}

const log = benchLog;

/** generateDirectory with backdated createTimestamp/modifyTimestamp on every entry (for --delta). */
function* backdated(gen: GenerateDirectoryOptions): Generator<string> {
  for (const chunk of generateDirectory(gen)) {
    yield chunk
      .split('\n\n')
      .map((entry) => (/^dn:/m.test(entry) ? `${entry}\ncreateTimestamp: ${OLD_TIMESTAMP}\nmodifyTimestamp: ${OLD_TIMESTAMP}` : entry))
      .join('\n\n');
  }
}

/** The attributes the LDAP provider requests (ldap.provider.ts plan(): userAttributes / groupAttributes, non-AD). */
function floorSearches(externalId: string, revision: string | null): FloorSearch[] {
  const idAttribute = externalId === 'auto' || externalId === 'dn' ? null : externalId;
  const wantsGuid = externalId === 'auto' || externalId === 'objectGUID';
  const unique = (list: (string | null | false)[]): string[] => [...new Set(list.filter((a): a is string => typeof a === 'string' && a !== ''))];
  return [
    {
      label: 'users',
      base: BASE_DN,
      scope: 'sub',
      filter: '(&(objectClass=inetOrgPerson))',
      attributes: unique(['mail', 'uid', 'cn', 'displayName', wantsGuid && 'objectGUID', 'userAccountControl', revision, idAttribute, 'entryUUID']),
    },
    {
      label: 'groups',
      base: BASE_DN,
      scope: 'sub',
      filter: '(&(objectClass=groupOfNames))',
      attributes: unique(['cn', 'member', wantsGuid && 'objectGUID', revision, idAttribute]),
    },
  ];
}

async function startDirectory(options: Options, cleanup: Cleanup): Promise<{ slapd: Slapd; target: DirectoryTarget }> {
  const gen: GenerateDirectoryOptions = { users: options.users, groups: options.groups, baseDn: BASE_DN, membersPerGroup: options.membersPerGroup };
  const ldif = join(options.workDir, 'directory.ldif');
  log(`generating ${options.users} users / ${options.groups} groups (${Math.min(options.membersPerGroup, options.users)} members per group) into ${ldif}…`);
  const genStart = performance.now();
  if (options.third === 'delta') await pipeline(Readable.from(backdated(gen)), createWriteStream(ldif));
  else await writeDirectoryLdif(ldif, gen);
  const genMs = performance.now() - genStart;
  log('starting slapd (slapadd -q bulk load)…');
  const loadStart = performance.now();
  const slapd = await startSlapd({ baseDn: BASE_DN, ldifs: [ldif] });
  cleanup.add('stop slapd', () => slapd.stop());
  const loadMs = performance.now() - loadStart;
  log(`generated in ${secs(genMs)} s, loaded and started in ${secs(loadMs)} s (${slapd.url})`);

  const revision = options.third === 'delta' ? 'modifyTimestamp' : null;
  const target: DirectoryTarget = {
    name: 'openldap',
    users: options.users,
    groups: options.groups,
    loadMs: genMs + loadMs,
    ldapsearch: { url: slapd.url, bindDn: slapd.adminDn, passwordFile: join(slapd.dir, 'admin.pw') },
    floorSearches: floorSearches(options.externalId, revision),
    dirconnSettings: [
      ['directory', 'ldap'],
      ['ldap.ad', 'false'],
      ['ldap.hostname', slapd.host],
      ['ldap.port', String(slapd.port)],
      ['ldap.rootPath', slapd.baseDn],
      ['ldap.username', slapd.adminDn],
      ['ldap.pageSize', String(options.pageSize)],
      ['ldap.externalIdAttribute', options.externalId],
      ['sync.users', 'true'],
      ['sync.groups', 'true'],
      ['sync.userObjectClass', 'inetOrgPerson'],
      ['sync.groupObjectClass', 'groupOfNames'],
      ['sync.memberAttribute', 'member'],
      ['sync.userEmailAttribute', 'mail'],
      ['sync.groupNameAttribute', 'cn'],
      ...(revision !== null ? ([['sync.revisionDateAttribute', revision]] as [string, string][]) : []),
    ],
    dirconnEnv: { DIRCONN_LDAP_PASSWORD: slapd.adminPassword },
    get serverPid() {
      return slapd.pid;
    },
    async modifyUsers(fraction: number, rep: number): Promise<number> {
      const count = Math.max(1, Math.round(options.users * fraction));
      const step = Math.max(1, Math.floor(options.users / count));
      const changes: string[] = [];
      for (let k = 0; k < count; k++) {
        const index = k * step + ((rep - 1) % step);
        if (index >= options.users) break;
        const user = generatedUser(gen, index);
        const mail = user.mail.replace('@', `.r${rep}@`);
        changes.push(`dn: ${user.dn}\nchangetype: modify\nreplace: mail\nmail: ${mail}\n-\n`);
      }
      await ldapModify(slapd, changes.join('\n'));
      return changes.length;
    },
  };
  return { slapd, target };
}

process.exitCode = await runBenchCli<Options>({
  usage: USAGE,
  parse: parseOptions,
  workDirPrefix: 'dirconn-bench-',
  start: async (options, cleanup) => (await startDirectory(options, cleanup)).target,
  describe: (result, options) =>
    `dirconn sync bench: OpenLDAP ${result.users} users / ${result.groups} groups (${Math.min(options.membersPerGroup, options.users)} members per group), page size ${options.pageSize}, ` +
    `fake Bitwarden ${options.selfHosted ? 'self-hosted' : 'cloud'}${options.fastFake ? ' (fast reads)' : ''}${options.largeImport ? ', largeImport' : ''}, ` +
    `${options.plainOutput ? 'dirconn sync' : 'dirconn --json sync'}${options.nodeOptions ? ` (NODE_OPTIONS ${options.nodeOptions})` : ''}, ${result.node}, ${result.cpus} CPUs ` +
    `(load average ${result.loadAvg.start} → ${result.loadAvg.end}); directory generated + loaded in ${secs(result.loadMs)} s`,
  showTargets: true,
});
