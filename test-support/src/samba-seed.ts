// Seed data for the Samba AD test DC (samba.ts), and helpers that change it the way an admin would.
//
// seedAd() creates, under the domain's base DN:
//
//   OU=Engineering            alice, bob, carol, dave, erin, victor (no mail)
//     OU=Platform             frank, grace
//   OU=Sales                  heidi, ivan, judy, mallory, "O'Brien, Liam" (comma in the CN),
//                             "Zoë Ünal" (non-ASCII CN), walter (no mail)
//   CN=Users (built-in)       olivia, peggy, trent, xena (no mail)
//   OU=Disabled People        yolanda, zack (userAccountControl 514: ACCOUNTDISABLE)
//   OU=Service Accounts       svc.dirconn: a plain domain user to bind as instead of Administrator
//   OU=Bulk                   bulk.00001 ... bulk.<n> (default n = 5000), all in BigGroup
//   OU=Groups                 GroupA ⊃ GroupB ⊃ GroupC (nested), CycleX ⇄ CycleY (a cycle),
//                             Engineering, Sales (includes a disabled and a mail-less user),
//                             Empty Group, BigGroup
//
// `mail` values are mixed case on purpose (a connector lower-cases them). The users without mail
// exercise the sAMAccountName + suffix fallback.
//
// How users are created (Samba 4.17):
// - Everything goes through LDAPS with ldapmodify bound as Administrator, one ldapmodify process per
//   batch (one connection, many records). Samba-tool would fork a Python process per user (~1 s
//   each).
// - Named users get `unicodePwd` (the password in double quotes, UTF-16LE, base64 in LDIF), which AD
//   only accepts over an encrypted connection, and userAccountControl 512 (or 514 when disabled).
//   They can bind with `userPassword` from the returned info.
// - Bulk users get no password and userAccountControl 544 (NORMAL_ACCOUNT | PASSWD_NOTREQD): enabled,
//   like Windows AD requires for password-less accounts. Samba 4.17 would also accept 512 without a
//   password, but hashing a password costs ~25 ms per user (Kerberos key derivation), 4-5x the cost
//   of the rest of the add.
// - Groups are added with their user members in the same record; group-in-group members (including
//   the cycle) are added afterwards with one modify, since both ends must exist first.
//
// seedBulkDirectory() (benchmarks) creates N users in OU=Bench and G groups of M members in
// OU=Bench Groups the same way, one ldapmodify stream per kind.

import type { SambaDc } from './samba.js';
import { guidToString, ldapModify, ldapSearch, ldbModify, ldifLine, parseLdif, unicodePwd } from './samba.js';
import { randomBytes } from 'node:crypto';

/** A user created by seedAd. */
export interface SeedUser {
  /** Short stable key, e.g. `alice`, `bulk.00042`. */
  key: string;
  dn: string;
  cn: string;
  sAMAccountName: string;
  /** The `mail` value as stored (mixed case), or null when the user has none. */
  mail: string | null;
  /**
   * The email a connector should derive: `mail` lower-cased, or for users without mail
   * `sAMAccountName + AdSeedInfo.emailSuffix` lower-cased.
   */
  expectedEmail: string;
  /** userAccountControl bit 2 (ACCOUNTDISABLE). */
  disabled: boolean;
  userAccountControl: number;
  /** objectGUID in GUID text form (mixed-endian, lower case): the reference's externalId. */
  objectGuid: string;
}

/** A group created by seedAd. */
export interface SeedGroup {
  key: string;
  dn: string;
  /** `name`/`cn`/`sAMAccountName` (all equal). */
  name: string;
  objectGuid: string;
  /** DNs of direct user members. */
  memberUserDns: string[];
  /** DNs of direct group members. */
  memberGroupDns: string[];
  /** Keys of all users reachable through nested groups (cycles followed once), sorted. */
  expectedUserKeys: string[];
}

export interface SeedTimings {
  ousMs: number;
  namedUsersMs: number;
  bulkUsersMs: number;
  groupsMs: number;
  readBackMs: number;
  totalMs: number;
}

export interface AdSeedInfo {
  baseDn: string;
  /** OU DNs by key: engineering, platform, sales, disabled, serviceAccounts, bulk, groups; plus `users` (CN=Users). */
  ous: Record<string, string>;
  /** Named users (not bulk, not the service account), in creation order. */
  users: SeedUser[];
  /** Every seeded user (named, service account and bulk) by key. */
  usersByKey: Map<string, SeedUser>;
  /** Bulk users (members of BigGroup), in order. */
  bulkUsers: SeedUser[];
  /** Groups by key: groupA, groupB, groupC, cycleX, cycleY, engineering, sales, empty, big. */
  groups: Record<string, SeedGroup>;
  /** The plain domain user to bind as in tests (no admin rights); not in any seeded group. */
  serviceAccount: SeedUser;
  /** Password of every named user and of the service account (bulk users have none). */
  userPassword: string;
  /** Suffix for the sAMAccountName fallback, e.g. `@dirconn.example`. */
  emailSuffix: string;
  /** Accounts that exist in every fresh domain (CN=Users): Administrator, Guest, krbtgt, dns-dc1? … */
  builtinUserDns: string[];
  timings: SeedTimings;
}

export interface SeedOptions {
  /** Members of BigGroup (bulk users). Default 5000. */
  bigGroupSize?: number;
  /** Called with progress lines and timings. Default: silent. */
  log?: (line: string) => void;
}

const UAC_NORMAL = 512;
const UAC_DISABLED_FLAG = 2;
const UAC_PASSWD_NOTREQD = 32;

interface UserSpec {
  key: string;
  cn: string;
  sam: string;
  givenName: string;
  sn: string;
  ou: string;
  mail: string | null;
  disabled: boolean;
}

interface GroupSpec {
  key: string;
  name: string;
  users: string[];
  groups: string[];
}

const NAMED_USERS: UserSpec[] = [
  { key: 'alice', cn: 'Alice Anderson', sam: 'alice.anderson', givenName: 'Alice', sn: 'Anderson', ou: 'engineering', mail: 'Alice.Anderson@DirConn.Example', disabled: false },
  { key: 'bob', cn: 'Bob Brown', sam: 'bob.brown', givenName: 'Bob', sn: 'Brown', ou: 'engineering', mail: 'bob.brown@dirconn.example', disabled: false },
  { key: 'carol', cn: 'Carol Chen', sam: 'carol.chen', givenName: 'Carol', sn: 'Chen', ou: 'engineering', mail: 'CAROL.CHEN@DIRCONN.EXAMPLE', disabled: false },
  { key: 'dave', cn: 'Dave Davis', sam: 'dave.davis', givenName: 'Dave', sn: 'Davis', ou: 'engineering', mail: 'Dave.Davis@dirconn.example', disabled: false },
  { key: 'erin', cn: 'Erin Evans', sam: 'erin.evans', givenName: 'Erin', sn: 'Evans', ou: 'engineering', mail: 'erin.EVANS@DirConn.example', disabled: false },
  { key: 'victor', cn: 'Victor Vance', sam: 'victor.vance', givenName: 'Victor', sn: 'Vance', ou: 'engineering', mail: null, disabled: false },
  { key: 'frank', cn: 'Frank Fischer', sam: 'frank.fischer', givenName: 'Frank', sn: 'Fischer', ou: 'platform', mail: 'Frank.Fischer@dirconn.example', disabled: false },
  { key: 'grace', cn: 'Grace Green', sam: 'grace.green', givenName: 'Grace', sn: 'Green', ou: 'platform', mail: 'grace.green@DIRCONN.example', disabled: false },
  { key: 'heidi', cn: 'Heidi Hill', sam: 'heidi.hill', givenName: 'Heidi', sn: 'Hill', ou: 'sales', mail: 'Heidi.Hill@dirconn.example', disabled: false },
  { key: 'ivan', cn: 'Ivan Ivanov', sam: 'ivan.ivanov', givenName: 'Ivan', sn: 'Ivanov', ou: 'sales', mail: 'IVAN.IVANOV@dirconn.example', disabled: false },
  { key: 'judy', cn: 'Judy Jones', sam: 'judy.jones', givenName: 'Judy', sn: 'Jones', ou: 'sales', mail: 'judy.jones@DirConn.Example', disabled: false },
  { key: 'mallory', cn: 'Mallory Moore', sam: 'mallory.moore', givenName: 'Mallory', sn: 'Moore', ou: 'sales', mail: 'Mallory.Moore@dirconn.example', disabled: false },
  { key: 'liam', cn: "O'Brien, Liam", sam: 'liam.obrien', givenName: 'Liam', sn: "O'Brien", ou: 'sales', mail: "Liam.OBrien@DirConn.Example", disabled: false },
  { key: 'zoe', cn: 'Zoë Ünal', sam: 'zoe.unal', givenName: 'Zoë', sn: 'Ünal', ou: 'sales', mail: 'Zoe.Unal@dirconn.example', disabled: false },
  { key: 'walter', cn: 'Walter White', sam: 'walter.white', givenName: 'Walter', sn: 'White', ou: 'sales', mail: null, disabled: false },
  { key: 'olivia', cn: 'Olivia Owens', sam: 'olivia.owens', givenName: 'Olivia', sn: 'Owens', ou: 'users', mail: 'Olivia.Owens@dirconn.example', disabled: false },
  { key: 'peggy', cn: 'Peggy Park', sam: 'peggy.park', givenName: 'Peggy', sn: 'Park', ou: 'users', mail: 'PEGGY.PARK@DIRCONN.EXAMPLE', disabled: false },
  { key: 'trent', cn: 'Trent Turner', sam: 'trent.turner', givenName: 'Trent', sn: 'Turner', ou: 'users', mail: 'trent.turner@dirconn.example', disabled: false },
  { key: 'xena', cn: 'Xena Xu', sam: 'xena.xu', givenName: 'Xena', sn: 'Xu', ou: 'users', mail: null, disabled: false },
  { key: 'yolanda', cn: 'Yolanda Young', sam: 'yolanda.young', givenName: 'Yolanda', sn: 'Young', ou: 'disabled', mail: 'Yolanda.Young@dirconn.example', disabled: true },
  { key: 'zack', cn: 'Zack Zimmer', sam: 'zack.zimmer', givenName: 'Zack', sn: 'Zimmer', ou: 'disabled', mail: 'ZACK.ZIMMER@dirconn.example', disabled: true },
];

const SERVICE_ACCOUNT: UserSpec = {
  key: 'svc', cn: 'dirconn service', sam: 'svc.dirconn', givenName: 'dirconn', sn: 'service', ou: 'serviceAccounts', mail: null, disabled: false,
};

const GROUPS: GroupSpec[] = [
  { key: 'groupA', name: 'GroupA', users: ['alice'], groups: ['groupB'] },
  { key: 'groupB', name: 'GroupB', users: ['bob'], groups: ['groupC'] },
  { key: 'groupC', name: 'GroupC', users: ['carol'], groups: [] },
  { key: 'cycleX', name: 'CycleX', users: ['erin'], groups: ['cycleY'] },
  { key: 'cycleY', name: 'CycleY', users: ['frank'], groups: ['cycleX'] },
  { key: 'engineering', name: 'Engineering', users: ['alice', 'bob', 'carol', 'dave', 'erin', 'victor', 'frank', 'grace'], groups: [] },
  { key: 'sales', name: 'Sales', users: ['heidi', 'ivan', 'judy', 'mallory', 'liam', 'zoe', 'walter', 'yolanda'], groups: [] },
  { key: 'empty', name: 'Empty Group', users: [], groups: [] },
  { key: 'big', name: 'BigGroup', users: [], groups: [] }, // members: every bulk user
];

const EMAIL_SUFFIX = '@dirconn.example';

/** Escapes an RDN value (RFC 4514): `,+"\<>;=` anywhere, `#`/space at the start, space at the end. */
export function escapeRdnValue(value: string): string {
  let out = value.replace(/[,+"\\<>;=]/g, (c) => `\\${c}`);
  if (out.startsWith('#') || out.startsWith(' ')) out = `\\${out}`;
  if (out.endsWith(' ') && !out.endsWith('\\ ')) out = `${out.slice(0, -1)}\\ `;
  return out;
}

function elapsed(since: bigint): number {
  return Number((process.hrtime.bigint() - since) / 1_000_000n);
}

/** A password that meets AD complexity (upper, lower, digit, symbol) and contains no account name. */
function randomPassword(): string {
  return `Dc1!${randomBytes(18).toString('base64url')}`;
}

function userLdif(dn: string, u: UserSpec, uac: number, password: string | null): string {
  const lines = [
    ldifLine('dn', dn),
    'changetype: add',
    'objectClass: user',
    ldifLine('cn', u.cn),
    ldifLine('sAMAccountName', u.sam),
    ldifLine('givenName', u.givenName),
    ldifLine('sn', u.sn),
    ldifLine('displayName', `${u.givenName} ${u.sn}`),
    ldifLine('userPrincipalName', `${u.sam}@${EMAIL_SUFFIX.slice(1)}`),
    `userAccountControl: ${uac}`,
  ];
  if (u.mail !== null) lines.push(ldifLine('mail', u.mail));
  if (password !== null) lines.push(ldifLine('unicodePwd', unicodePwd(password)));
  return lines.join('\n') + '\n\n';
}

/**
 * Seeds the DC (see the top of this file). ~1 s plus 3-8 ms per bulk user on 2 cores (the cost per
 * add grows with the directory, likely ldb index records growing with it); 5000 bulk users took 17-40 s
 * depending on machine load. Use `bigGroupSize` to seed less in tests that do not need BigGroup.
 * Call once per fresh DC.
 */
export async function seedAd(dc: SambaDc, opts: SeedOptions = {}): Promise<AdSeedInfo> {
  const log = opts.log ?? (() => undefined);
  const bigGroupSize = opts.bigGroupSize ?? 5000;
  const base = dc.baseDn;
  const tAll = process.hrtime.bigint();

  const ous: Record<string, string> = {
    engineering: `OU=Engineering,${base}`,
    platform: `OU=Platform,OU=Engineering,${base}`,
    sales: `OU=Sales,${base}`,
    disabled: `OU=Disabled People,${base}`,
    serviceAccounts: `OU=Service Accounts,${base}`,
    bulk: `OU=Bulk,${base}`,
    groups: `OU=Groups,${base}`,
    users: `CN=Users,${base}`,
  };
  const ouDn = (key: string): string => {
    const dn = ous[key];
    if (!dn) throw new Error(`unknown OU key ${key}`);
    return dn;
  };

  // 1. OUs (parents first; CN=Users exists already).
  let t = process.hrtime.bigint();
  const ouOrder = ['engineering', 'platform', 'sales', 'disabled', 'serviceAccounts', 'bulk', 'groups'];
  await ldapModify(
    dc,
    ouOrder.map((k) => `${ldifLine('dn', ouDn(k))}\nchangetype: add\nobjectClass: organizationalUnit\n\n`).join(''),
  );
  const ousMs = elapsed(t);

  // 2. Named users and the service account, with passwords.
  t = process.hrtime.bigint();
  const userPassword = randomPassword();
  const dnOf = (u: UserSpec): string => `CN=${escapeRdnValue(u.cn)},${ouDn(u.ou)}`;
  const uacOf = (u: UserSpec): number => (u.disabled ? UAC_NORMAL | UAC_DISABLED_FLAG : UAC_NORMAL);
  await ldapModify(
    dc,
    [...NAMED_USERS, SERVICE_ACCOUNT].map((u) => userLdif(dnOf(u), u, uacOf(u), userPassword)).join(''),
  );
  const namedUsersMs = elapsed(t);
  log(`seed: ${NAMED_USERS.length + 1} named users with passwords in ${namedUsersMs} ms`);

  // 3. Bulk users: one LDIF, one connection, no passwords.
  t = process.hrtime.bigint();
  const width = Math.max(5, String(bigGroupSize).length);
  const bulkSpecs: UserSpec[] = [];
  for (let i = 1; i <= bigGroupSize; i++) {
    const n = String(i).padStart(width, '0');
    bulkSpecs.push({ key: `bulk.${n}`, cn: `bulk.${n}`, sam: `bulk.${n}`, givenName: 'Bulk', sn: n, ou: 'bulk', mail: `bulk.${n}@bulk.dirconn.example`, disabled: false });
  }
  const bulkUac = UAC_NORMAL | UAC_PASSWD_NOTREQD;
  if (bulkSpecs.length > 0) {
    await ldapModify(dc, bulkSpecs.map((u) => userLdif(dnOf(u), u, bulkUac, null)).join(''));
  }
  const bulkUsersMs = elapsed(t);
  log(`seed: ${bulkSpecs.length} bulk users in ${bulkUsersMs} ms`);

  // 4. Groups: add with user members, then group members (both ends must exist; cycles).
  t = process.hrtime.bigint();
  const specByKey = new Map<string, UserSpec>([...NAMED_USERS, SERVICE_ACCOUNT, ...bulkSpecs].map((u) => [u.key, u]));
  const userDn = (key: string): string => {
    const u = specByKey.get(key);
    if (!u) throw new Error(`unknown user key ${key}`);
    return dnOf(u);
  };
  const groupDn = (key: string): string => {
    const g = GROUPS.find((x) => x.key === key);
    if (!g) throw new Error(`unknown group key ${key}`);
    return `CN=${escapeRdnValue(g.name)},${ouDn('groups')}`;
  };
  const directUsers = (g: GroupSpec): string[] => (g.key === 'big' ? bulkSpecs.map((u) => u.key) : g.users);
  let addLdif = '';
  for (const g of GROUPS) {
    addLdif += [ldifLine('dn', groupDn(g.key)), 'changetype: add', 'objectClass: group', ldifLine('sAMAccountName', g.name)]
      .concat(directUsers(g).map((k) => ldifLine('member', userDn(k))))
      .join('\n');
    addLdif += '\n\n';
  }
  let nestLdif = '';
  for (const g of GROUPS) {
    if (g.groups.length === 0) continue;
    nestLdif += [ldifLine('dn', groupDn(g.key)), 'changetype: modify', 'add: member']
      .concat(g.groups.map((k) => ldifLine('member', groupDn(k))))
      .join('\n');
    nestLdif += '\n-\n\n';
  }
  await ldapModify(dc, addLdif + nestLdif);
  const groupsMs = elapsed(t);
  log(`seed: ${GROUPS.length} groups in ${groupsMs} ms`);

  // 5. Read back objectGUIDs and userAccountControl (one paged search per subtree we made).
  t = process.hrtime.bigint();
  const guidByDn = new Map<string, string>();
  const uacByDn = new Map<string, number>();
  const builtinUserDns: string[] = [];
  const found = parseLdif(
    await ldapSearch(dc, {
      filter: '(|(objectClass=user)(objectClass=group))',
      attrs: ['objectGUID', 'userAccountControl', 'objectClass'],
      controls: ['pr=1000/noprompt'],
    }),
  );
  const seededDns = new Set<string>([...specByKey.values()].map((u) => dnOf(u).toLowerCase()));
  for (const e of found) {
    const guid = e.binary['objectGUID']?.[0];
    if (guid) guidByDn.set(e.dn.toLowerCase(), guidToString(guid));
    const uac = e.attrs['userAccountControl']?.[0];
    if (uac !== undefined) uacByDn.set(e.dn.toLowerCase(), Number(uac));
    const isUser = (e.attrs['objectClass'] ?? []).some((c) => c.toLowerCase() === 'user');
    const isComputer = (e.attrs['objectClass'] ?? []).some((c) => c.toLowerCase() === 'computer');
    if (isUser && !isComputer && !seededDns.has(e.dn.toLowerCase())) builtinUserDns.push(e.dn);
  }
  const readBackMs = elapsed(t);

  const toSeedUser = (u: UserSpec): SeedUser => {
    const dn = dnOf(u);
    const guid = guidByDn.get(dn.toLowerCase());
    if (!guid) throw new Error(`seeded user ${dn} not found when reading back`);
    const uac = uacByDn.get(dn.toLowerCase()) ?? NaN;
    return {
      key: u.key,
      dn,
      cn: u.cn,
      sAMAccountName: u.sam,
      mail: u.mail,
      expectedEmail: (u.mail ?? `${u.sam}${EMAIL_SUFFIX}`).trim().toLowerCase(),
      disabled: (uac & UAC_DISABLED_FLAG) !== 0,
      userAccountControl: uac,
      objectGuid: guid,
    };
  };
  const users = NAMED_USERS.map(toSeedUser);
  const bulkUsers = bulkSpecs.map(toSeedUser);
  const serviceAccount = toSeedUser(SERVICE_ACCOUNT);
  const usersByKey = new Map<string, SeedUser>([...users, serviceAccount, ...bulkUsers].map((u) => [u.key, u]));

  const closure = (key: string): string[] => {
    const seen = new Set<string>();
    const out = new Set<string>();
    const visit = (k: string): void => {
      if (seen.has(k)) return;
      seen.add(k);
      const g = GROUPS.find((x) => x.key === k);
      if (!g) throw new Error(`unknown group key ${k}`);
      for (const u of directUsers(g)) out.add(u);
      for (const child of g.groups) visit(child);
    };
    visit(key);
    return [...out].sort();
  };
  const groups: Record<string, SeedGroup> = {};
  for (const g of GROUPS) {
    const dn = groupDn(g.key);
    const guid = guidByDn.get(dn.toLowerCase());
    if (!guid) throw new Error(`seeded group ${dn} not found when reading back`);
    groups[g.key] = {
      key: g.key,
      dn,
      name: g.name,
      objectGuid: guid,
      memberUserDns: directUsers(g).map(userDn),
      memberGroupDns: g.groups.map(groupDn),
      expectedUserKeys: closure(g.key),
    };
  }

  const timings: SeedTimings = { ousMs, namedUsersMs, bulkUsersMs, groupsMs, readBackMs, totalMs: elapsed(tAll) };
  log(`seed: done in ${timings.totalMs} ms`);
  return {
    baseDn: base,
    ous,
    users,
    usersByKey,
    bulkUsers,
    groups,
    serviceAccount,
    userPassword,
    emailSuffix: EMAIL_SUFFIX,
    builtinUserDns,
    timings,
  };
}

// ---------------------------------------------------------------------------------------------
// Changes, as an admin would make them

/** The RDN (`CN=...`, already escaped) of a DN. */
function rdnOf(dn: string): string {
  const m = /^((?:[^,\\]|\\.)*)/.exec(dn);
  return m?.[1] ?? dn;
}

/** The parent DN of a DN. */
function parentOf(dn: string): string {
  return dn.slice(rdnOf(dn).length + 1);
}

/**
 * Renames and/or moves an entry (modrdn). `newRdn` like `CN=New Name` (escaped), default: keep the
 * RDN; `newParent` default: same parent. Returns the new DN. objectGUID is preserved.
 */
export async function renameUser(dc: SambaDc, oldDn: string, newRdn?: string, newParent?: string): Promise<string> {
  const rdn = newRdn ?? rdnOf(oldDn);
  const lines = [ldifLine('dn', oldDn), 'changetype: modrdn', ldifLine('newrdn', rdn), 'deleteoldrdn: 1'];
  if (newParent !== undefined) lines.push(ldifLine('newsuperior', newParent));
  await ldapModify(dc, lines.join('\n') + '\n\n');
  return `${rdn},${newParent ?? parentOf(oldDn)}`;
}

/** Sets `mail` (replace), or removes it when `mail` is null. */
export async function setMail(dc: SambaDc, dn: string, mail: string | null): Promise<void> {
  const body = mail === null ? 'delete: mail\n-' : `replace: mail\n${ldifLine('mail', mail)}\n-`;
  await ldapModify(dc, `${ldifLine('dn', dn)}\nchangetype: modify\n${body}\n\n`);
}

async function readUac(dc: SambaDc, dn: string): Promise<number> {
  const [entry] = parseLdif(await ldapSearch(dc, { base: dn, scope: 'base', filter: '(objectClass=*)', attrs: ['userAccountControl'] }));
  const v = entry?.attrs['userAccountControl']?.[0];
  if (v === undefined) throw new Error(`${dn} has no userAccountControl`);
  return Number(v);
}

async function writeUac(dc: SambaDc, dn: string, uac: number): Promise<void> {
  await ldapModify(dc, `${ldifLine('dn', dn)}\nchangetype: modify\nreplace: userAccountControl\nuserAccountControl: ${uac}\n-\n\n`);
}

/** Sets the ACCOUNTDISABLE bit (2) of userAccountControl, keeping the other bits. */
export async function disableUser(dc: SambaDc, dn: string): Promise<void> {
  await writeUac(dc, dn, (await readUac(dc, dn)) | UAC_DISABLED_FLAG);
}

/** Clears the ACCOUNTDISABLE bit (2). Needs a password or PASSWD_NOTREQD on Windows AD. */
export async function enableUser(dc: SambaDc, dn: string): Promise<void> {
  await writeUac(dc, dn, (await readUac(dc, dn)) & ~UAC_DISABLED_FLAG);
}

/**
 * Deletes an entry. Without the recycle bin (Samba's default) it becomes a tombstone under
 * `CN=Deleted Objects,<base>` that keeps only a few attributes (no `mail`); with
 * enableRecycleBin() it keeps its attributes until recycled.
 */
export async function deleteUser(dc: SambaDc, dn: string): Promise<void> {
  await ldapModify(dc, `${ldifLine('dn', dn)}\nchangetype: delete\n\n`);
}

/** Adds a member (user or group DN) to a group. */
export async function addMember(dc: SambaDc, groupDn: string, memberDn: string): Promise<void> {
  await ldapModify(dc, `${ldifLine('dn', groupDn)}\nchangetype: modify\nadd: member\n${ldifLine('member', memberDn)}\n-\n\n`);
}

/** Removes a member from a group. */
export async function removeMember(dc: SambaDc, groupDn: string, memberDn: string): Promise<void> {
  await ldapModify(dc, `${ldifLine('dn', groupDn)}\nchangetype: modify\ndelete: member\n${ldifLine('member', memberDn)}\n-\n\n`);
}

/**
 * Enables the AD Recycle Bin optional feature (off in a fresh Samba domain; cannot be turned off
 * again). Deleted objects then keep `mail`, `memberOf` etc. while `isDeleted=TRUE`, until they are
 * recycled. Samba only lets the system user do this (Administrator over LDAP gets
 * unwillingToPerform "Insufficient rights for enableoptionalfeature"), hence ldbmodify on sam.ldb.
 */
export async function enableRecycleBin(dc: SambaDc): Promise<void> {
  const recycleBinFeatureGuid = '766ddcd8-acd0-445e-f3b9-a7f9b6744f2a';
  const ldif = [
    'dn:',
    'changetype: modify',
    'add: enableOptionalFeature',
    `enableOptionalFeature: CN=Partitions,CN=Configuration,${dc.baseDn}:${recycleBinFeatureGuid}`,
    '-',
    '',
    '',
  ].join('\n');
  await ldbModify(dc, ldif);
}

// ---------------------------------------------------------------------------------------------
// Bulk directories (benchmarks)

/** Options of {@link seedBulkDirectory}. */
export interface BulkDirectoryOptions {
  users: number;
  groups: number;
  /** Direct user members per group (default 50, at most `users`). */
  membersPerGroup?: number;
  /** Every `nestEvery`-th group also gets the next group as a member (nested groups); 0 = none. Default 10. */
  nestEvery?: number;
  /** Called with progress lines. */
  log?: (line: string) => void;
}

/** What {@link seedBulkDirectory} created. */
export interface BulkDirectoryInfo {
  /** `OU=Bench,<base>`: the users. */
  usersOu: string;
  /** `OU=Bench Groups,<base>`: the groups. */
  groupsOu: string;
  users: number;
  groups: number;
  membersPerGroup: number;
  /** DN of user `i` (0-based). */
  userDn(i: number): string;
  /** `mail` of user `i` as stored. */
  userMail(i: number): string;
  /** DN of group `g` (0-based). */
  groupDn(g: number): string;
  timings: { usersMs: number; groupsMs: number; totalMs: number };
}

/**
 * A synthetic AD directory for benchmarks, as fast as Samba takes it: one ldapmodify stream of users
 * (mail, no password, userAccountControl 544), one of groups with their user members (group g has
 * users g·m … g·m+m-1, wrapping), and one modify stream nesting every `nestEvery`-th group's
 * successor into it. On 2 cores Samba 4.17 adds ~150-300 users/s and ~20-60 groups of 50 members/s.
 */
export async function seedBulkDirectory(dc: SambaDc, opts: BulkDirectoryOptions): Promise<BulkDirectoryInfo> {
  const log = opts.log ?? (() => undefined);
  const users = opts.users;
  const groups = opts.groups;
  const membersPerGroup = Math.min(opts.membersPerGroup ?? 50, users);
  const nestEvery = opts.nestEvery ?? 10;
  const usersOu = `OU=Bench,${dc.baseDn}`;
  const groupsOu = `OU=Bench Groups,${dc.baseDn}`;
  const uWidth = Math.max(6, String(users).length);
  const gWidth = Math.max(4, String(groups).length);
  const userName = (i: number): string => `bu${String(i + 1).padStart(uWidth, '0')}`;
  const userDn = (i: number): string => `CN=${userName(i)},${usersOu}`;
  const userMail = (i: number): string => `${userName(i)}@bench.dirconn.example`;
  const groupName = (g: number): string => `bench-g${String(g + 1).padStart(gWidth, '0')}`;
  const groupDn = (g: number): string => `CN=${groupName(g)},${groupsOu}`;
  const tAll = process.hrtime.bigint();

  await ldapModify(dc, [usersOu, groupsOu].map((dn) => `${ldifLine('dn', dn)}\nchangetype: add\nobjectClass: organizationalUnit\n\n`).join(''));

  let t = process.hrtime.bigint();
  const uac = UAC_NORMAL | UAC_PASSWD_NOTREQD;
  const userChunks: string[] = [];
  for (let i = 0; i < users; i++) {
    const name = userName(i);
    userChunks.push(
      `dn: ${userDn(i)}\nchangetype: add\nobjectClass: user\ncn: ${name}\nsAMAccountName: ${name}\ngivenName: Bench\nsn: ${name}\n` +
        `displayName: Bench ${name}\nuserPrincipalName: ${name}@bench.dirconn.example\nmail: ${userMail(i)}\nuserAccountControl: ${uac}\n\n`,
    );
  }
  if (users > 0) await ldapModify(dc, userChunks.join(''));
  const usersMs = elapsed(t);
  log(`bulk: ${users} users in ${usersMs} ms`);

  t = process.hrtime.bigint();
  const groupChunks: string[] = [];
  for (let g = 0; g < groups; g++) {
    const lines = [`dn: ${groupDn(g)}`, 'changetype: add', 'objectClass: group', `sAMAccountName: ${groupName(g)}`];
    for (let k = 0; k < membersPerGroup; k++) lines.push(`member: ${userDn((g * membersPerGroup + k) % users)}`);
    groupChunks.push(`${lines.join('\n')}\n\n`);
  }
  if (groups > 0) await ldapModify(dc, groupChunks.join(''));
  const nest: string[] = [];
  if (nestEvery > 0) {
    for (let g = 0; g + 1 < groups; g += nestEvery) nest.push(`dn: ${groupDn(g)}\nchangetype: modify\nadd: member\nmember: ${groupDn(g + 1)}\n-\n\n`);
  }
  if (nest.length > 0) await ldapModify(dc, nest.join(''));
  const groupsMs = elapsed(t);
  log(`bulk: ${groups} groups (${membersPerGroup} members each, ${nest.length} nested) in ${groupsMs} ms`);
  return { usersOu, groupsOu, users, groups, membersPerGroup, userDn, userMail, groupDn, timings: { usersMs, groupsMs, totalMs: elapsed(tAll) } };
}
