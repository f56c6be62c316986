// Deterministic, streaming generator of large LDAP directories for volume tests
// and benchmarks (the reference keeps 50..11,000-user LDIF files; we generate ours).
//
// Every user and group is a pure function of (options, index), so a test can ask
// for the expected DN, uid, mail or members of any entry without parsing the LDIF,
// and 100k users / 10k groups stream to a file in constant memory.
//
// Layout under the base DN: the 10 OUs of directory A for users (round-robin), and
// `ou=Groups` for groupOfNames groups whose `member` values are user DNs, plus,
// for a share of groups, the DN of another group (forward references and cycles
// happen, as in real directories).

import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { directoryA } from './fixtures.js';

export interface GenerateDirectoryOptions {
  /** Number of inetOrgPerson users. */
  users: number;
  /** Number of groupOfNames groups (under `ou=Groups`). */
  groups: number;
  /** Base DN, e.g. `dc=bitwarden,dc=com`. */
  baseDn: string;
  /** User members per group (distinct, chosen pseudo-randomly). Default 10, capped at `users`. */
  membersPerGroup?: number;
  /** PRNG seed; the same options always give the same LDIF. Default 1. */
  seed?: number;
  /** Share of groups (0..1) that also have another group as a member. Default 0.05. */
  nestedGroupRatio?: number;
  /** Emit the base entry (dcObject + organization) first. Default true. */
  includeBase?: boolean;
  /** Mail domain. Default: the base DN's dc values joined by dots (`bitwarden.com`). */
  mailDomain?: string;
}

/** The OUs users are spread over (round-robin by index): directory A's. */
export const GENERATED_USER_OUS: readonly string[] = directoryA.ous;

/** The OU that holds the generated groups. */
export const GENERATED_GROUP_OU = 'Groups';

const FIRST_NAMES = [
  'Ada', 'Bruno', 'Celia', 'Dmitri', 'Elif', 'Farid', 'Greta', 'Hector', 'Ines', 'Jonas',
  'Keiko', 'Lars', 'Mara', 'Nikhil', 'Oona', 'Pavel', 'Quinn', 'Rosa', 'Sven', 'Tamsin',
  'Ugo', 'Vera', 'Wendell', 'Xiomara', 'Yusuf', 'Zelda', 'Amara', 'Benedikt', 'Carmen', 'Dario',
  'Esther', 'Felix', 'Gulnara', 'Henrik', 'Ilona', 'Jasper', 'Kalinda', 'Lucian', 'Maelle', 'Nobuo',
];
const LAST_NAMES = [
  'Abernathy', 'Bergstrom', 'Castellanos', 'Dubois', 'Eriksen', 'Fontaine', 'Gallagher', 'Hashimoto',
  'Iglesias', 'Jablonski', 'Kowalczyk', 'Lindqvist', 'Moreau', 'Nakagawa', 'Okafor', 'Petrovic',
  'Quintero', 'Rasmussen', 'Salazar', 'Thibodeaux', 'Umarov', 'Valentini', 'Whitcombe', 'Xenakis',
  'Yamamoto', 'Zielinski', 'Achterberg', 'Balogun', 'Chaudhry', 'Delacroix', 'Esposito', 'Fairbanks',
];

/** murmur3's 32-bit finaliser: a good cheap integer hash. */
function fmix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** mulberry32: a small, fast, seedable PRNG returning floats in [0, 1). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A stream of random numbers that depends only on (seed, kind, index). */
function rngFor(seed: number, kind: number, index: number): () => number {
  return prng(fmix32(Math.imul(fmix32(seed), 31) ^ fmix32(index + Math.imul(kind, 0x9e3779b9))));
}

const KIND_USER = 1;
const KIND_GROUP = 2;

function pick<T>(list: readonly T[], r: number): T {
  const v = list[Math.floor(r * list.length)];
  if (v === undefined) throw new Error('pick from empty list');
  return v;
}

function defaultMailDomain(baseDn: string): string {
  const dcs = baseDn
    .split(',')
    .map((p) => p.trim())
    .filter((p) => /^dc=/i.test(p))
    .map((p) => p.slice(3).trim().toLowerCase());
  return dcs.length ? dcs.join('.') : 'example.com';
}

/** Escapes an RDN value (RFC 4514) for the characters our generated names can contain. */
function escapeRdn(v: string): string {
  return v.replace(/([,+"\\<>;=])/g, '\\$1').replace(/^([ #])/, '\\$1').replace(/ $/, '\\ ');
}

export interface GeneratedUser {
  index: number;
  dn: string;
  cn: string;
  givenName: string;
  sn: string;
  /** Mixed case, unique: `<surname, 7 letters><initial><index>`. */
  uid: string;
  /** `<uid>@<mailDomain>`, mixed case. */
  mail: string;
  ou: string;
}

export interface GeneratedGroup {
  index: number;
  dn: string;
  /** `cn`, e.g. `Group 00042`. */
  name: string;
  /** User member DNs, in the order written. */
  userMemberDns: string[];
  /** Group member DNs (zero or one), written after the users. */
  childGroupDns: string[];
}

/** The generated user at `index` (0-based), without generating the others. */
export function generatedUser(opts: GenerateDirectoryOptions, index: number): GeneratedUser {
  const rnd = rngFor(opts.seed ?? 1, KIND_USER, index);
  const givenName = pick(FIRST_NAMES, rnd());
  const sn = pick(LAST_NAMES, rnd());
  const ou = GENERATED_USER_OUS[index % GENERATED_USER_OUS.length] ?? 'Peons';
  const uid = `${sn.slice(0, 7)}${givenName.slice(0, 1)}${index}`;
  const cn = `${givenName} ${sn} ${index}`;
  const domain = opts.mailDomain ?? defaultMailDomain(opts.baseDn);
  return {
    index,
    dn: `cn=${escapeRdn(cn)},ou=${escapeRdn(ou)},${opts.baseDn}`,
    cn,
    givenName,
    sn,
    uid,
    mail: `${uid}@${domain}`,
    ou,
  };
}

function groupName(index: number): string {
  return `Group ${String(index).padStart(5, '0')}`;
}

function groupDn(opts: GenerateDirectoryOptions, index: number): string {
  return `cn=${groupName(index)},ou=${GENERATED_GROUP_OU},${opts.baseDn}`;
}

/** The generated group at `index` (0-based), without generating the others. */
export function generatedGroup(opts: GenerateDirectoryOptions, index: number): GeneratedGroup {
  const rnd = rngFor(opts.seed ?? 1, KIND_GROUP, index);
  const want = Math.min(Math.max(0, opts.membersPerGroup ?? 10), opts.users);
  const chosen: number[] = [];
  if (want * 2 >= opts.users) {
    // Dense: a random window of consecutive users.
    const start = Math.floor(rnd() * opts.users);
    for (let k = 0; k < want; k++) chosen.push((start + k) % opts.users);
  } else {
    const seen = new Set<number>();
    while (chosen.length < want) {
      const u = Math.floor(rnd() * opts.users);
      if (!seen.has(u)) {
        seen.add(u);
        chosen.push(u);
      }
    }
  }
  const childGroupDns: string[] = [];
  const ratio = opts.nestedGroupRatio ?? 0.05;
  const nest = opts.groups > 1 && rnd() < ratio;
  if (nest || (chosen.length === 0 && opts.groups > 1)) {
    // Any other group: earlier (backward), later (forward reference), cycles possible.
    const other = (index + 1 + Math.floor(rnd() * (opts.groups - 1))) % opts.groups;
    childGroupDns.push(groupDn(opts, other));
  }
  return {
    index,
    dn: groupDn(opts, index),
    name: groupName(index),
    userMemberDns: chosen.map((u) => generatedUser(opts, u).dn),
    childGroupDns,
  };
}

function userEntry(u: GeneratedUser): string {
  return (
    `dn: ${u.dn}\nobjectClass: inetOrgPerson\ncn: ${u.cn}\nsn: ${u.sn}\ngivenName: ${u.givenName}\n` +
    `uid: ${u.uid}\nmail: ${u.mail}\nou: ${u.ou}\nemployeeNumber: ${u.index}\n\n`
  );
}

function groupEntry(g: GeneratedGroup): string {
  const members = [...g.userMemberDns, ...g.childGroupDns];
  if (members.length === 0) {
    throw new Error(`${g.dn}: groupOfNames needs at least one member (users: 0, groups: 1)`);
  }
  return `dn: ${g.dn}\nobjectClass: groupOfNames\ncn: ${g.name}\n${members.map((m) => `member: ${m}\n`).join('')}\n`;
}

const CHUNK_ENTRIES = 500;

/**
 * Yields the directory as LDIF text chunks (whole entries, about 500 per chunk):
 * base entry, OUs, users, then groups. Deterministic for the same options. No
 * `version:` line, so the output can go straight to slapadd.
 */
export function* generateDirectory(opts: GenerateDirectoryOptions): Generator<string> {
  if (!Number.isInteger(opts.users) || opts.users < 0) throw new Error(`users must be >= 0: ${opts.users}`);
  if (!Number.isInteger(opts.groups) || opts.groups < 0) throw new Error(`groups must be >= 0: ${opts.groups}`);
  const base = opts.baseDn;
  let head = `# generated by dirconn test-support generate-ldif.ts: ${opts.users} users, ${opts.groups} groups, seed ${opts.seed ?? 1}\n\n`;
  if (opts.includeBase ?? true) {
    const first = base.split(',')[0] ?? '';
    const value = first.slice(first.indexOf('=') + 1).trim();
    if (!/^dc=/i.test(first.trim())) throw new Error(`includeBase needs a dc= base DN: ${base}`);
    head += `dn: ${base}\nobjectClass: dcObject\nobjectClass: organization\ndc: ${value}\no: ${value}\n\n`;
  }
  for (const ou of GENERATED_USER_OUS) head += `dn: ou=${escapeRdn(ou)},${base}\nobjectClass: organizationalUnit\nou: ${ou}\n\n`;
  if (opts.groups > 0) {
    head += `dn: ou=${GENERATED_GROUP_OU},${base}\nobjectClass: organizationalUnit\nou: ${GENERATED_GROUP_OU}\n\n`;
  }
  yield head;

  let buf: string[] = [];
  for (let i = 0; i < opts.users; i++) {
    buf.push(userEntry(generatedUser(opts, i)));
    if (buf.length >= CHUNK_ENTRIES) {
      yield buf.join('');
      buf = [];
    }
  }
  for (let j = 0; j < opts.groups; j++) {
    buf.push(groupEntry(generatedGroup(opts, j)));
    if (buf.length >= CHUNK_ENTRIES) {
      yield buf.join('');
      buf = [];
    }
  }
  if (buf.length) yield buf.join('');
}

/** Streams generateDirectory(opts) to `path` (overwriting it) in constant memory. */
export async function writeDirectoryLdif(path: string, opts: GenerateDirectoryOptions): Promise<void> {
  await pipeline(Readable.from(generateDirectory(opts)), createWriteStream(path));
}
