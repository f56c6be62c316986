// Typed expectations for the LDIF fixtures in ../ldif/, so tests assert against data.
//
// directory-a.ldif and directory-b.ldif re-create the *shapes* of the reference
// connector's OpenLDAP fixtures (docs/reference-connector.md section 12) with our own
// data. Both use the base dc=bitwarden,dc=com, so each needs its own slapd instance:
//
//   const a = await startSlapd({ ldifs: [fixturePath('directory-a.ldif')] });
//   const b = await startSlapd({ ldifs: [fixturePath('directory-b.ldif')] });

import { fileURLToPath } from 'node:url';

/** The LDIF files shipped in test-support/ldif/. */
export type FixtureName = 'directory-a.ldif' | 'directory-b.ldif';

/** Absolute path of an LDIF file in test-support/ldif/ (works from src/ and from a build dir beside it). */
export function fixturePath(name: FixtureName | (string & {})): string {
  return fileURLToPath(new URL(`../ldif/${name}`, import.meta.url));
}

/** A user entry as the server returns it. */
export interface FixtureUser {
  /** The DN as the server returns it (normalised: no blank after commas). */
  dn: string;
  /** The DN as written in the LDIF; differs from `dn` for the entries written with `dc=bitwarden, dc=com`. */
  writtenDn: string;
  cn: string;
  /** The `uid` attribute, case as stored (mixed case; one contains a space). */
  uid: string;
  /** The `mail` attribute, case as stored. */
  mail: string;
  /** What a sync must produce: `mail` trimmed and lower-cased. */
  email: string;
  /** Name of the OU the user sits directly under. */
  ou: string;
}

/** A posixGroup of directory A. */
export interface FixturePosixGroup {
  /** `cn`, which is also the expected group name. */
  name: string;
  /** The DN as the server returns it (also the expected `referenceId`/`externalId`). */
  dn: string;
  gidNumber: number;
  /** The raw `memberUid` values in file order: full user DNs or lower-cased uids. */
  memberUids: string[];
  /** The user DNs the `memberUid` values resolve to (DN by exact match, uid case-insensitively). */
  memberDns: string[];
}

/** A groupOfNames of directory B. */
export interface FixtureNamedGroup {
  name: string;
  dn: string;
  /** The raw `member` values in file order (users and groups). */
  memberDns: string[];
  /** The `member` values that are user DNs. */
  userMemberDns: string[];
  /** The `member` values that are group DNs (child groups; may be forward references or cycles). */
  childGroupDns: string[];
}

const BASE_DN = 'dc=bitwarden,dc=com';

const usersA: FixtureUser[] = [
  { dn: 'cn=Roland Dyke,ou=Human Resources,dc=bitwarden,dc=com', writtenDn: 'cn=Roland Dyke,ou=Human Resources,dc=bitwarden, dc=com', cn: 'Roland Dyke', uid: 'DykeR', mail: 'DykeR@50fd7c8c76b079a6e87db5b0f18d6fe3.bitwarden.com', email: 'dyker@50fd7c8c76b079a6e87db5b0f18d6fe3.bitwarden.com', ou: 'Human Resources' },
  { dn: 'cn=Charin Goulfine,ou=Human Resources,dc=bitwarden,dc=com', writtenDn: 'cn=Charin Goulfine,ou=Human Resources,dc=bitwarden,dc=com', cn: 'Charin Goulfine', uid: 'GoulfinC', mail: 'GoulfinC@7c523521ec8cc65ca1400babb3294fd4.bitwarden.com', email: 'goulfinc@7c523521ec8cc65ca1400babb3294fd4.bitwarden.com', ou: 'Human Resources' },
  { dn: 'cn=Angelle Guarino,ou=Human Resources,dc=bitwarden,dc=com', writtenDn: 'cn=Angelle Guarino,ou=Human Resources,dc=bitwarden,dc=com', cn: 'Angelle Guarino', uid: 'GuarinoA', mail: 'GuarinoA@33C16705CB6DE973D7F40818B0EF2F59.bitwarden.com', email: 'guarinoa@33c16705cb6de973d7f40818b0ef2f59.bitwarden.com', ou: 'Human Resources' },
  { dn: 'cn=Painterson Miki,ou=Product Development,dc=bitwarden,dc=com', writtenDn: 'cn=Painterson Miki,ou=Product Development,dc=bitwarden,dc=com', cn: 'Painterson Miki', uid: 'MikiP', mail: 'MikiP@84d4153daffa7c99ea3ef20458f13037.bitwarden.com', email: 'mikip@84d4153daffa7c99ea3ef20458f13037.bitwarden.com', ou: 'Product Development' },
  { dn: 'cn=Virgina Pichocki,ou=Product Development,dc=bitwarden,dc=com', writtenDn: 'cn=Virgina Pichocki,ou=Product Development,dc=bitwarden,dc=com', cn: 'Virgina Pichocki', uid: 'PichockV', mail: 'PichockV@e37eb8e2e6854581b8af578990e66740.bitwarden.com', email: 'pichockv@e37eb8e2e6854581b8af578990e66740.bitwarden.com', ou: 'Product Development' },
  { dn: 'cn=Steffen Carsten,ou=Product Development,dc=bitwarden,dc=com', writtenDn: 'cn=Steffen Carsten,ou=Product Development,dc=bitwarden,dc=com', cn: 'Steffen Carsten', uid: 'CarstenS', mail: 'CarstenS@c3e413b823761f33a682576727c86edc.bitwarden.com', email: 'carstens@c3e413b823761f33a682576727c86edc.bitwarden.com', ou: 'Product Development' },
  { dn: 'cn=Gwen Kardomateas,ou=Product Development,dc=bitwarden,dc=com', writtenDn: 'cn=Gwen Kardomateas,ou=Product Development,dc=bitwarden, dc=com', cn: 'Gwen Kardomateas', uid: 'KardomaG', mail: 'KardomaG@9c4438ecc1a5c6768358d003ef499e9e.bitwarden.com', email: 'kardomag@9c4438ecc1a5c6768358d003ef499e9e.bitwarden.com', ou: 'Product Development' },
  { dn: 'cn=Odessa Brannigan,ou=Product Testing,dc=bitwarden,dc=com', writtenDn: 'cn=Odessa Brannigan,ou=Product Testing,dc=bitwarden,dc=com', cn: 'Odessa Brannigan', uid: 'BrannigO', mail: 'BrannigO@581b0e24bb41a4c7be2f6292f3db0fb2.bitwarden.com', email: 'brannigo@581b0e24bb41a4c7be2f6292f3db0fb2.bitwarden.com', ou: 'Product Testing' },
  { dn: 'cn=Tobias Wrenfield,ou=Product Testing,dc=bitwarden,dc=com', writtenDn: 'cn=Tobias Wrenfield,ou=Product Testing,dc=bitwarden,dc=com', cn: 'Tobias Wrenfield', uid: 'WrenfieT', mail: 'WrenfieT@206623423A86B255E71A3D6ADAF3AEB4.bitwarden.com', email: 'wrenfiet@206623423a86b255e71a3d6adaf3aeb4.bitwarden.com', ou: 'Product Testing' },
  { dn: 'cn=Ilse Marchetti,ou=Product Testing,dc=bitwarden,dc=com', writtenDn: 'cn=Ilse Marchetti,ou=Product Testing,dc=bitwarden,dc=com', cn: 'Ilse Marchetti', uid: 'MarchetI', mail: 'MarchetI@ee496fe8b5b2f7977a540d2859fb6e24.bitwarden.com', email: 'marcheti@ee496fe8b5b2f7977a540d2859fb6e24.bitwarden.com', ou: 'Product Testing' },
  { dn: 'cn=Shiela Harada,ou=Peons,dc=bitwarden,dc=com', writtenDn: 'cn=Shiela Harada,ou=Peons,dc=bitwarden,dc=com', cn: 'Shiela Harada', uid: 'HaradaS', mail: 'HaradaS@e527dccdb1f9266b7352ca084be90af8.bitwarden.com', email: 'haradas@e527dccdb1f9266b7352ca084be90af8.bitwarden.com', ou: 'Peons' },
  { dn: 'cn=Jerome De Los,ou=Peons,dc=bitwarden,dc=com', writtenDn: 'cn=Jerome De Los,ou=Peons,dc=bitwarden,dc=com', cn: 'Jerome De Los', uid: 'De LosJ', mail: 'DeLosJ@d405fedd7324d9915d9d3a66d67882e2.bitwarden.com', email: 'delosj@d405fedd7324d9915d9d3a66d67882e2.bitwarden.com', ou: 'Peons' },
  { dn: 'cn=Priya Okonkwo,ou=Peons,dc=bitwarden,dc=com', writtenDn: 'cn=Priya Okonkwo,ou=Peons,dc=bitwarden,dc=com', cn: 'Priya Okonkwo', uid: 'OkonkwoP', mail: 'OkonkwoP@ec626e448f79b1f54de51edb4b5352ff.bitwarden.com', email: 'okonkwop@ec626e448f79b1f54de51edb4b5352ff.bitwarden.com', ou: 'Peons' },
  { dn: 'cn=Hollis Vantreese,ou=Administrative,dc=bitwarden,dc=com', writtenDn: 'cn=Hollis Vantreese,ou=Administrative,dc=bitwarden, dc=com', cn: 'Hollis Vantreese', uid: 'VantreeH', mail: 'VantreeH@2cf7243e5893d05a53fa3c8c4651288f.bitwarden.com', email: 'vantreeh@2cf7243e5893d05a53fa3c8c4651288f.bitwarden.com', ou: 'Administrative' },
  { dn: 'cn=Mireille Santoro,ou=Administrative,dc=bitwarden,dc=com', writtenDn: 'cn=Mireille Santoro,ou=Administrative,dc=bitwarden,dc=com', cn: 'Mireille Santoro', uid: 'SantoroM', mail: 'SantoroM@1eb5688098c9a41ad30654ef8c37fa04.bitwarden.com', email: 'santorom@1eb5688098c9a41ad30654ef8c37fa04.bitwarden.com', ou: 'Administrative' },
  { dn: 'cn=Kasimir Albescu,ou=Administrative,dc=bitwarden,dc=com', writtenDn: 'cn=Kasimir Albescu,ou=Administrative,dc=bitwarden,dc=com', cn: 'Kasimir Albescu', uid: 'AlbescuK', mail: 'AlbescuK@585b4ba8e83dddcd0d4b77811ded652c.bitwarden.com', email: 'albescuk@585b4ba8e83dddcd0d4b77811ded652c.bitwarden.com', ou: 'Administrative' },
  { dn: 'cn=Angus Merizzi,ou=Management,dc=bitwarden,dc=com', writtenDn: 'cn=Angus Merizzi,ou=Management,dc=bitwarden,dc=com', cn: 'Angus Merizzi', uid: 'MerizziA', mail: 'MerizziA@0bfd24c94749f693159832fa529ee795.bitwarden.com', email: 'merizzia@0bfd24c94749f693159832fa529ee795.bitwarden.com', ou: 'Management' },
  { dn: 'cn=Grissel Currer,ou=Management,dc=bitwarden,dc=com', writtenDn: 'cn=Grissel Currer,ou=Management,dc=bitwarden,dc=com', cn: 'Grissel Currer', uid: 'CurrerG', mail: 'CurrerG@8c42c2e2ca96756e4a01359393099813.bitwarden.com', email: 'currerg@8c42c2e2ca96756e4a01359393099813.bitwarden.com', ou: 'Management' },
  { dn: 'cn=Micaela Doud,ou=Janitorial,dc=bitwarden,dc=com', writtenDn: 'cn=Micaela Doud,ou=Janitorial,dc=bitwarden, dc=com', cn: 'Micaela Doud', uid: 'DoudM', mail: 'DoudM@47f7d961d09164d11d1b43c4ea072667.bitwarden.com', email: 'doudm@47f7d961d09164d11d1b43c4ea072667.bitwarden.com', ou: 'Janitorial' },
  { dn: 'cn=Loella Mak,ou=Payroll,dc=bitwarden,dc=com', writtenDn: 'cn=Loella Mak,ou=Payroll,dc=bitwarden,dc=com', cn: 'Loella Mak', uid: 'MakL', mail: 'MakL@9ff3a4532d847c7c7a16bd69dbf02e5c.bitwarden.com', email: 'makl@9ff3a4532d847c7c7a16bd69dbf02e5c.bitwarden.com', ou: 'Payroll' },
];

const groupsA: FixturePosixGroup[] = [
  { name: 'Blue Team', dn: 'cn=Blue Team,dc=bitwarden,dc=com', gidNumber: 5001, memberUids: ['cn=Loella Mak,ou=Payroll,dc=bitwarden,dc=com', 'cn=Painterson Miki,ou=Product Development,dc=bitwarden,dc=com', 'cn=Roland Dyke,ou=Human Resources,dc=bitwarden,dc=com'], memberDns: ['cn=Loella Mak,ou=Payroll,dc=bitwarden,dc=com', 'cn=Painterson Miki,ou=Product Development,dc=bitwarden,dc=com', 'cn=Roland Dyke,ou=Human Resources,dc=bitwarden,dc=com'] },
  { name: 'Red Team', dn: 'cn=Red Team,dc=bitwarden,dc=com', gidNumber: 5002, memberUids: ['cn=Shiela Harada,ou=Peons,dc=bitwarden,dc=com', 'cn=Micaela Doud,ou=Janitorial,dc=bitwarden,dc=com'], memberDns: ['cn=Shiela Harada,ou=Peons,dc=bitwarden,dc=com', 'cn=Micaela Doud,ou=Janitorial,dc=bitwarden,dc=com'] },
  { name: 'Cleaners', dn: 'cn=Cleaners,ou=Janitorial,dc=bitwarden,dc=com', gidNumber: 5003, memberUids: [], memberDns: [] },
  { name: 'DevOps Team', dn: 'cn=DevOps Team,dc=bitwarden,dc=com', gidNumber: 5004, memberUids: ['mikip', 'pichockv', 'carstens'], memberDns: ['cn=Painterson Miki,ou=Product Development,dc=bitwarden,dc=com', 'cn=Virgina Pichocki,ou=Product Development,dc=bitwarden,dc=com', 'cn=Steffen Carsten,ou=Product Development,dc=bitwarden,dc=com'] },
  { name: 'Security Team', dn: 'cn=Security Team,dc=bitwarden,dc=com', gidNumber: 5005, memberUids: ['merizzia', 'currerg'], memberDns: ['cn=Angus Merizzi,ou=Management,dc=bitwarden,dc=com', 'cn=Grissel Currer,ou=Management,dc=bitwarden,dc=com'] },
];

/**
 * Directory A (section 12.1): 10 OUs, 20 inetOrgPerson users, 5 posixGroups whose
 * memberUid values are either full user DNs or lower-cased uids.
 */
export const directoryA = {
  ldif: 'directory-a.ldif' as const,
  baseDn: BASE_DN,
  /** The 10 OUs, in file order (Accounting and Planning are empty). */
  ous: [
    'Accounting',
    'Product Development',
    'Product Testing',
    'Human Resources',
    'Payroll',
    'Janitorial',
    'Management',
    'Administrative',
    'Peons',
    'Planning',
  ],
  /** The 20 users in directory (file = entry id = search) order. */
  users: usersA,
  /** Blue, Red, Cleaners, DevOps, Security, in directory order. */
  groups: groupsA,
  /** Users per OU (OUs with none are listed with 0). */
  usersPerOu: {
    Accounting: 0,
    'Product Development': 4,
    'Product Testing': 3,
    'Human Resources': 3,
    Payroll: 1,
    Janitorial: 1,
    Management: 2,
    Administrative: 3,
    Peons: 3,
    Planning: 0,
  } as Record<string, number>,
  /** Users whose DN is written with a space (`dc=bitwarden, dc=com`) in the LDIF. */
  dnsWrittenWithSpace: usersA.filter((u) => u.writtenDn !== u.dn).map((u) => u.dn),
  /** Connector settings the reference uses for this directory (section 12.1). */
  settings: {
    ad: false,
    pagedSearch: false,
    userObjectClass: 'person',
    groupObjectClass: 'posixGroup',
    memberAttribute: 'memberUid',
    groupNameAttribute: 'cn',
    userEmailAttribute: 'mail',
  },
};

const usersB: FixtureUser[] = [
  { dn: 'cn=Roland Dyke,ou=Human Resources,dc=bitwarden,dc=com', cn: 'Roland Dyke', uid: 'rdyke', mail: 'Roland.Dyke@circular.bitwarden.com', email: 'roland.dyke@circular.bitwarden.com', ou: 'Human Resources' },
  { dn: 'cn=Teirtza Kara,ou=Human Resources,dc=bitwarden,dc=com', cn: 'Teirtza Kara', uid: 'tkara', mail: 'Teirtza.Kara@circular.bitwarden.com', email: 'teirtza.kara@circular.bitwarden.com', ou: 'Human Resources' },
  { dn: 'cn=Alice Chen,ou=Engineering,dc=bitwarden,dc=com', cn: 'Alice Chen', uid: 'achen', mail: 'Alice.Chen@circular.bitwarden.com', email: 'alice.chen@circular.bitwarden.com', ou: 'Engineering' },
  { dn: 'cn=Bob Martinez,ou=Engineering,dc=bitwarden,dc=com', cn: 'Bob Martinez', uid: 'bmartinez', mail: 'Bob.Martinez@circular.bitwarden.com', email: 'bob.martinez@circular.bitwarden.com', ou: 'Engineering' },
  { dn: 'cn=Carol Williams,ou=Engineering,dc=bitwarden,dc=com', cn: 'Carol Williams', uid: 'cwilliams', mail: 'Carol.Williams@circular.bitwarden.com', email: 'carol.williams@circular.bitwarden.com', ou: 'Engineering' },
  { dn: 'cn=David Kim,ou=Engineering,dc=bitwarden,dc=com', cn: 'David Kim', uid: 'dkim', mail: 'David.Kim@circular.bitwarden.com', email: 'david.kim@circular.bitwarden.com', ou: 'Engineering' },
  { dn: 'cn=Eva Johnson,ou=Marketing,dc=bitwarden,dc=com', cn: 'Eva Johnson', uid: 'ejohnson', mail: 'Eva.Johnson@circular.bitwarden.com', email: 'eva.johnson@circular.bitwarden.com', ou: 'Marketing' },
  { dn: 'cn=Frank Lee,ou=Marketing,dc=bitwarden,dc=com', cn: 'Frank Lee', uid: 'flee', mail: 'Frank.Lee@circular.bitwarden.com', email: 'frank.lee@circular.bitwarden.com', ou: 'Marketing' },
].map((u) => ({ ...u, writtenDn: u.dn }));

function namedGroup(name: string, memberDns: string[]): FixtureNamedGroup {
  const userDns = new Set(usersB.map((u) => u.dn));
  return {
    name,
    dn: `cn=${name},${BASE_DN}`,
    memberDns,
    userMemberDns: memberDns.filter((m) => userDns.has(m)),
    childGroupDns: memberDns.filter((m) => !userDns.has(m)),
  };
}

const groupsB: FixtureNamedGroup[] = [
  { name: 'Platform', dn: 'cn=Platform,dc=bitwarden,dc=com', memberDns: ['cn=Bob Martinez,ou=Engineering,dc=bitwarden,dc=com', 'cn=Engineering,dc=bitwarden,dc=com'] },
  { name: 'DevOps', dn: 'cn=DevOps,dc=bitwarden,dc=com', memberDns: ['cn=Alice Chen,ou=Engineering,dc=bitwarden,dc=com', 'cn=Platform,dc=bitwarden,dc=com'] },
  { name: 'QA', dn: 'cn=QA,dc=bitwarden,dc=com', memberDns: ['cn=Carol Williams,ou=Engineering,dc=bitwarden,dc=com', 'cn=David Kim,ou=Engineering,dc=bitwarden,dc=com'] },
  { name: 'Engineering', dn: 'cn=Engineering,dc=bitwarden,dc=com', memberDns: ['cn=DevOps,dc=bitwarden,dc=com', 'cn=QA,dc=bitwarden,dc=com'] },
  { name: 'Marketing', dn: 'cn=Marketing,dc=bitwarden,dc=com', memberDns: ['cn=Eva Johnson,ou=Marketing,dc=bitwarden,dc=com', 'cn=Frank Lee,ou=Marketing,dc=bitwarden,dc=com'] },
  { name: 'HR', dn: 'cn=HR,dc=bitwarden,dc=com', memberDns: ['cn=Roland Dyke,ou=Human Resources,dc=bitwarden,dc=com', 'cn=Teirtza Kara,ou=Human Resources,dc=bitwarden,dc=com'] },
  { name: 'AllStaff', dn: 'cn=AllStaff,dc=bitwarden,dc=com', memberDns: ['cn=Engineering,dc=bitwarden,dc=com', 'cn=Marketing,dc=bitwarden,dc=com', 'cn=HR,dc=bitwarden,dc=com'] },
  { name: 'Contractors', dn: 'cn=Contractors,dc=bitwarden,dc=com', memberDns: ['cn=DevOps,dc=bitwarden,dc=com', 'cn=David Kim,ou=Engineering,dc=bitwarden,dc=com'] },
  { name: 'TestNestA', dn: 'cn=TestNestA,dc=bitwarden,dc=com', memberDns: ['cn=TestNestB,dc=bitwarden,dc=com', 'cn=Roland Dyke,ou=Human Resources,dc=bitwarden,dc=com'] },
  { name: 'TestNestB', dn: 'cn=TestNestB,dc=bitwarden,dc=com', memberDns: ['cn=TestNestA,dc=bitwarden,dc=com', 'cn=Teirtza Kara,ou=Human Resources,dc=bitwarden,dc=com'] },
].map((g) => namedGroup(g.name, g.memberDns));

const emailOf = (cn: string): string => {
  const u = usersB.find((x) => x.cn === cn);
  if (!u) throw new Error(`no fixture user ${cn}`);
  return u.email;
};
const engineers = ['Alice Chen', 'Bob Martinez', 'Carol Williams', 'David Kim'].map(emailOf);
const hr = ['Roland Dyke', 'Teirtza Kara'].map(emailOf);
const marketing = ['Eva Johnson', 'Frank Lee'].map(emailOf);

/**
 * Directory B (section 12.2): 3 OUs, 8 users, 10 groupOfNames at the root with
 * forward references and the cycle Engineering -> DevOps -> Platform -> Engineering.
 */
export const directoryB = {
  ldif: 'directory-b.ldif' as const,
  baseDn: BASE_DN,
  ous: ['Human Resources', 'Engineering', 'Marketing'],
  /** The 8 users in directory order. */
  users: usersB,
  /** The 10 groups in directory order. */
  groups: groupsB,
  /**
   * Group name -> lower-cased emails of all users reachable through nested
   * membership (cycles terminate), listed in user directory order. Written out by
   * hand from the spec table, not computed, so it can check a flattening algorithm.
   */
  expectedClosure: {
    Platform: engineers,
    DevOps: engineers,
    QA: ['Carol Williams', 'David Kim'].map(emailOf),
    Engineering: engineers,
    Marketing: marketing,
    HR: hr,
    AllStaff: [...hr, ...engineers, ...marketing],
    Contractors: engineers,
    TestNestA: hr,
    TestNestB: hr,
  } as Record<string, string[]>,
  /** Connector settings for this directory (section 12.2). */
  settings: {
    ad: false,
    pagedSearch: false,
    userObjectClass: 'person',
    groupObjectClass: 'groupOfNames',
    memberAttribute: 'member',
    groupNameAttribute: 'cn',
    userEmailAttribute: 'mail',
  },
};
