import { describe, expect, it } from '@jest/globals';
import { DEFAULT_SYNC_CONFIG } from '@dirconn/core';
import { normalizeAdSync } from './ldap.ad-sync.js';
import { guidToBytes, guidToString, isDisabledByUac } from './ldap.ad-values.js';
import type { LdapEntry } from './ldap.attributes.js';
import { lowerAttributes } from './ldap.attributes.js';
import { tombstoneInsideUserBase } from './ldap.deleted-objects.js';
import { isDnLike, isUnder, normalizeDn } from './ldap.dn.js';
import { externalIdOf } from './ldap.external-id.js';
import type { UserMappingSettings } from './ldap.mapping.js';
import { emailOf, mapGroupEntry, mapUserEntry } from './ldap.mapping.js';
import { MemberIndex, resolveMembers } from './ldap.members.js';
import { composeFilter, deletedObjectsBase, rootBase, searchBase, toDeltaTime, withRevisionFilter } from './ldap.search-scope.js';

const settings: UserMappingSettings = {
  userEmailAttribute: 'mail',
  useEmailPrefixSuffix: false,
  emailPrefixAttribute: null,
  emailSuffix: null,
  externalIdAttribute: 'auto',
};

const entry = (dn: string, attrs: Record<string, string | string[] | Buffer>): LdapEntry => ({ dn, ...attrs });

describe('objectGUID', () => {
  it('formats the reference §6.1.3 example in Microsoft byte order', () => {
    const bytes = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
    expect(guidToString(bytes)).toBe('33221100-5544-7766-8899-aabbccddeeff');
  });

  it('round-trips GUID text to the stored bytes (for objectGUID lookups)', () => {
    const bytes = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
    expect(guidToBytes('33221100-5544-7766-8899-AABBCCDDEEFF')).toEqual(bytes);
    expect(guidToBytes('{33221100-5544-7766-8899-aabbccddeeff}')).toEqual(bytes);
    expect(guidToBytes('not-a-guid')).toBeNull();
  });

  it('rejects a value that is not 16 bytes', () => {
    expect(() => guidToString(Buffer.alloc(15))).toThrow(RangeError);
  });

  it('is the externalId in auto mode, the DN otherwise (reference)', () => {
    const guid = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
    const withGuid = lowerAttributes(entry('CN=A,DC=x', { objectGUID: guid }));
    expect(externalIdOf('CN=A,DC=x', withGuid, 'auto')).toBe('33221100-5544-7766-8899-aabbccddeeff');
    expect(externalIdOf('CN=A,DC=x', lowerAttributes(entry('CN=A,DC=x', {})), 'auto')).toBe('CN=A,DC=x');
    expect(externalIdOf('CN=A,DC=x', withGuid, 'dn')).toBe('CN=A,DC=x');
  });

  it('fails instead of mixing id schemes when a required id attribute is missing', () => {
    const attrs = lowerAttributes(entry('cn=a,dc=x', {}));
    expect(() => externalIdOf('cn=a,dc=x', attrs, 'entryUUID')).toThrow(expect.objectContaining({ code: 'provider.error' }));
    expect(() => externalIdOf('cn=a,dc=x', attrs, 'objectGUID')).toThrow(/objectGUID/);
    expect(externalIdOf('cn=a,dc=x', lowerAttributes(entry('cn=a,dc=x', { entryUUID: 'e0a1b2c3-0000-1000-8000-000000000001' })), 'entryUUID')).toBe('e0a1b2c3-0000-1000-8000-000000000001');
    expect(() => externalIdOf('cn=a,dc=x', lowerAttributes(entry('cn=a,dc=x', { objectGUID: Buffer.alloc(4) })), 'auto')).toThrow(/4 bytes/);
  });
});

describe('userAccountControl', () => {
  it.each([
    [null, false],
    ['512', false],
    ['514', true],
    ['66050', true],
    ['66048', false],
    ['2', true],
    ['garbage', false],
  ])('%s → disabled %s', (value, disabled) => {
    expect(isDisabledByUac(value)).toBe(disabled);
  });
});

describe('email', () => {
  it('takes the first email attribute value, trimmed and lower-cased', () => {
    expect(emailOf(lowerAttributes(entry('cn=a', { mail: ['  DykeR@Example.COM ', 'other@x'] })), settings)).toBe('dyker@example.com');
  });

  it('finds the attribute whatever case the server used', () => {
    expect(emailOf(lowerAttributes(entry('cn=a', { MAIL: 'A@B.C' })), settings)).toBe('a@b.c');
  });

  it('builds prefix + suffix only when enabled and both are set', () => {
    const attrs = lowerAttributes(entry('cn=a', { sAMAccountName: 'JDoe' }));
    expect(emailOf(attrs, settings)).toBeNull();
    const ps = { ...settings, useEmailPrefixSuffix: true, emailPrefixAttribute: 'sAMAccountName', emailSuffix: '@Corp.example' };
    expect(emailOf(attrs, ps)).toBe('jdoe@corp.example');
    expect(emailOf(attrs, { ...ps, emailSuffix: null })).toBeNull();
    expect(emailOf(lowerAttributes(entry('cn=a', {})), ps)).toBeNull();
    // A mail value wins over prefix + suffix.
    expect(emailOf(lowerAttributes(entry('cn=a', { mail: 'real@x.com', sAMAccountName: 'JDoe' })), ps)).toBe('real@x.com');
  });

  it('maps a user entry (reference §6.1.3)', () => {
    const user = mapUserEntry(entry('cn=Roland Dyke,ou=HR,dc=bitwarden,dc=com', { mail: 'DykeR@X.com', uid: 'DykeR', cn: 'Roland Dyke', userAccountControl: '514' }), lowerAttributes(entry('cn=Roland Dyke,ou=HR,dc=bitwarden,dc=com', { mail: 'DykeR@X.com', uid: 'DykeR', cn: 'Roland Dyke', userAccountControl: '514' })), settings);
    expect(user).toEqual({
      externalId: 'cn=Roland Dyke,ou=HR,dc=bitwarden,dc=com',
      referenceId: 'cn=Roland Dyke,ou=HR,dc=bitwarden,dc=com',
      email: 'dyker@x.com',
      disabled: true,
      deleted: false,
      displayName: 'Roland Dyke',
      uid: 'dyker',
    });
  });

  it('maps an AD tombstone with its objectGUID and the first line of its mangled cn', () => {
    const guid = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
    const e = entry('CN=Jane\\0ADEL:33221100-5544-7766-8899-aabbccddeeff,CN=Deleted Objects,DC=corp,DC=example', { objectGUID: guid, cn: 'Jane\nDEL:33221100-5544-7766-8899-aabbccddeeff' });
    const user = mapUserEntry(e, lowerAttributes(e), { ...settings, externalIdAttribute: 'dn' }, true);
    expect(user).toMatchObject({ externalId: '33221100-5544-7766-8899-aabbccddeeff', email: null, deleted: true, displayName: 'Jane' });
  });
});

describe('DN normalisation', () => {
  it('ignores case and blanks around separators (fixes reference §6.1.5 quirk)', () => {
    expect(normalizeDn('cn=Roland Dyke,ou=Human Resources,dc=bitwarden, dc=com')).toBe(normalizeDn('CN=Roland Dyke,OU=Human Resources,DC=bitwarden,DC=com'));
    expect(normalizeDn(' CN = Roland Dyke , DC=bitwarden ')).toBe('cn=roland dyke,dc=bitwarden');
  });

  it('keeps blanks inside values', () => {
    expect(normalizeDn('cn=De LosJ,dc=x')).toBe('cn=de losj,dc=x');
  });

  it('canonicalises escapes: \\2C and \\, are the same comma, hex UTF-8 is decoded', () => {
    expect(normalizeDn('cn=Doe\\2C John,dc=x')).toBe(normalizeDn('CN=Doe\\, John, DC=x'));
    expect(normalizeDn('cn=Doe\\2C John,dc=x')).toBe('cn=doe\\, john,dc=x');
    expect(normalizeDn('cn=J\\C3\\BCrgen,dc=x')).toBe(normalizeDn('cn=Jürgen,dc=x'));
    expect(normalizeDn('cn="Doe, John",dc=x')).toBe('cn=doe\\, john,dc=x');
  });

  it('keeps an escaped trailing space', () => {
    expect(normalizeDn('cn=abc\\ ,dc=x')).toBe('cn=abc\\ ,dc=x');
    expect(normalizeDn('cn=abc\\ ,dc=x')).not.toBe(normalizeDn('cn=abc,dc=x'));
  });

  it('handles multi-valued RDNs', () => {
    expect(normalizeDn('cn=a + uid=B,dc=x')).toBe('cn=a+uid=b,dc=x');
    expect(normalizeDn('cn=a\\+b + uid=B,dc=x')).toBe('cn=a\\+b+uid=b,dc=x');
  });

  it('tells DN-like member values from uids (reference rule: both = and ,)', () => {
    expect(isDnLike('cn=a,dc=b')).toBe(true);
    expect(isDnLike('mikip')).toBe(false);
    expect(isDnLike('cn=onlyone')).toBe(false);
  });

  it('tests containment with normalisation and on RDN boundaries', () => {
    expect(isUnder('cn=A,ou=Human Resources,dc=bitwarden,dc=com', 'OU=Human Resources, DC=bitwarden, DC=com')).toBe(true);
    expect(isUnder('cn=A,ou=XHuman Resources,dc=bitwarden,dc=com', 'ou=Human Resources,dc=bitwarden,dc=com')).toBe(false);
    expect(isUnder('dc=bitwarden,dc=com', 'dc=bitwarden,dc=com')).toBe(true);
  });
});

describe('search bases (reference §6.1.1)', () => {
  it.each([
    ['dc=bitwarden,dc=com', null, 'dc=bitwarden,dc=com'],
    ['  DC=Bitwarden,DC=com ', null, 'dc=bitwarden,dc=com'],
    ['dc=bitwarden,dc=com', 'ou=Human Resources', 'ou=Human Resources,dc=bitwarden,dc=com'],
    ['DC=corp,DC=example', 'CN=Users', 'CN=Users,dc=corp,dc=example'],
    ['dc=bitwarden,dc=com', '  ', 'dc=bitwarden,dc=com'],
    ['dc=bitwarden,dc=com', 'ou=People,', 'ou=People,dc=bitwarden,dc=com'],
    // Reference: text before the first dc= is dropped (we keep that for compatibility and warn).
    ['ou=Corp,dc=bitwarden,dc=com', null, 'dc=bitwarden,dc=com'],
    ['OU=Corp, DC=bitwarden, DC=com', 'ou=People', 'ou=People,dc=bitwarden, dc=com'],
    // Fixed: a base without dc= is used whole (the reference used only the path).
    ['o=Example', null, 'o=Example'],
    ['o=Example', 'ou=People', 'ou=People,o=Example'],
    // A path that is a DN inside the root is used as is: the root itself = the whole domain (AD).
    ['DC=corp,DC=example', 'DC=corp,DC=example', 'DC=corp,DC=example'],
    ['dc=corp,dc=example', 'OU=Sales, DC=Corp,DC=Example', 'OU=Sales, DC=Corp,DC=Example'],
    ['dc=corp,dc=example', 'OU=Sales,DC=other,DC=example', 'OU=Sales,DC=other,DC=example,dc=corp,dc=example'],
  ])('rootPath %j + path %j → %j', (rootPath, path, expected) => {
    expect(searchBase(rootPath, path)).toBe(expected);
  });

  it('reports the ignored prefix', () => {
    expect(rootBase('ou=Corp,dc=bitwarden,dc=com')).toEqual({ root: 'dc=bitwarden,dc=com', ignoredPrefix: 'ou=Corp' });
    expect(rootBase('dc=bitwarden,dc=com').ignoredPrefix).toBeNull();
    // "dc=" inside a value is not an RDN boundary.
    expect(rootBase('ou=adc=x,dc=y')).toEqual({ root: 'dc=y', ignoredPrefix: 'ou=adc=x' });
  });

  it('makes a null or blank rootPath a config error, not a crash', () => {
    expect(() => searchBase(null, 'ou=x')).toThrow(expect.objectContaining({ code: 'config.incomplete' }));
    expect(() => searchBase('  ', null)).toThrow(/ldap.rootPath/);
  });

  it('puts Deleted Objects under the dc part', () => {
    expect(deletedObjectsBase('OU=Corp,DC=corp,DC=example')).toBe('CN=Deleted Objects,dc=corp,dc=example');
  });
});

describe('filters and delta time', () => {
  it('composes the reference filter shape (§5.1)', () => {
    expect(composeFilter('person', null)).toBe('(&(objectClass=person))');
    expect(composeFilter('person', '  ')).toBe('(&(objectClass=person))');
    expect(composeFilter('person', '(cn=Roland Dyke)')).toBe('(&(&(objectClass=person))(cn=Roland Dyke))');
    expect(composeFilter('person', 'cn=Roland Dyke')).toBe('(&(&(objectClass=person))(cn=Roland Dyke))');
    expect(composeFilter('a(b)', null)).toBe('(&(objectClass=a\\28b\\29))');
    expect(composeFilter('person', '(sn=M\\c3\\bcller)')).toBe('(&(&(objectClass=person))(sn=Müller))');
  });

  it('adds the revision clause (§6.1.2)', () => {
    expect(withRevisionFilter('(&(objectClass=person))', 'modifyTimestamp', '20240102030405.6Z')).toBe('(&(&(objectClass=person))(modifyTimestamp>=20240102030405.6Z))');
  });

  it('formats the delta time like the reference (§6.1.2 example)', () => {
    expect(toDeltaTime('2024-01-02T03:04:05.678Z')).toBe('20240102030405.6Z');
    expect(toDeltaTime(new Date(Date.UTC(2025, 11, 31, 23, 59, 59, 0)))).toBe('20251231235959.0Z');
  });
});

describe('AD defaults (reference §4.2)', () => {
  it('overwrites the eight attribute fields and defaults the paths when null', () => {
    const sync = { ...DEFAULT_SYNC_CONFIG, userObjectClass: 'inetOrgPerson', memberAttribute: 'uniqueMember', groupPath: 'OU=Groups' };
    expect(normalizeAdSync(sync, true)).toEqual({
      ...sync,
      userObjectClass: 'person',
      groupObjectClass: 'group',
      userEmailAttribute: 'mail',
      groupNameAttribute: 'name',
      memberAttribute: 'member',
      emailPrefixAttribute: 'sAMAccountName',
      creationDateAttribute: 'whenCreated',
      revisionDateAttribute: 'whenChanged',
      userPath: 'CN=Users',
      groupPath: 'OU=Groups',
    });
  });

  it('keeps a blank path blank (only null gets CN=Users, like the reference)', () => {
    expect(normalizeAdSync({ ...DEFAULT_SYNC_CONFIG, userPath: '' }, true).userPath).toBe('');
  });

  it('changes nothing without ad', () => {
    const sync = { ...DEFAULT_SYNC_CONFIG, userObjectClass: 'inetOrgPerson' };
    expect(normalizeAdSync(sync, false)).toBe(sync);
  });
});

describe('groups and members (reference §6.1.5, DN quirk fixed)', () => {
  const gs = { groupNameAttribute: 'cn', memberAttribute: 'memberUid', externalIdAttribute: 'auto' as const };

  it('names a group by the name attribute, then cn; skips nameless groups', () => {
    const e1 = entry('cn=Blue Team,dc=x', { name: 'Blue', cn: 'Blue Team' });
    expect(mapGroupEntry(e1, lowerAttributes(e1), { ...gs, groupNameAttribute: 'name' })?.name).toBe('Blue');
    const e2 = entry('cn=Blue Team,dc=x', { cn: 'Blue Team' });
    expect(mapGroupEntry(e2, lowerAttributes(e2), { ...gs, groupNameAttribute: 'name' })?.name).toBe('Blue Team');
    const e3 = entry('ou=nameless,dc=x', {});
    expect(mapGroupEntry(e3, lowerAttributes(e3), gs)).toBeNull();
  });

  it('resolves DN members ignoring case and spacing, uids case-insensitively, child groups by exact referenceId', () => {
    const index = new MemberIndex();
    index.addUser('cn=Roland Dyke,ou=Human Resources,dc=bitwarden,dc=com', 'id-roland', ['DykeR']);
    index.addUser('cn=Painterson Miki,ou=Product Development,dc=bitwarden,dc=com', 'id-miki', ['MikiP']);
    index.addUser('cn=Jerome De Los,ou=Peons,dc=bitwarden,dc=com', 'id-jerome', ['De LosJ']);
    index.addGroup('cn=Red Team,dc=bitwarden,dc=com');
    const e = entry('cn=Blue Team,dc=bitwarden,dc=com', {
      cn: 'Blue Team',
      memberUid: [
        'CN=Roland Dyke, OU=Human Resources, DC=bitwarden, DC=com',
        'mikip',
        'cn=Painterson Miki,ou=Product Development,dc=bitwarden,dc=com',
        'de losj',
        'cn=red team, dc=bitwarden,dc=com',
        'cn=Outside User,ou=Elsewhere,dc=bitwarden,dc=com',
        'nobody',
      ],
    });
    const raw = mapGroupEntry(e, lowerAttributes(e), gs);
    expect(raw).not.toBeNull();
    const { group, unresolved } = resolveMembers(raw!, index);
    expect(group).toEqual({
      externalId: 'cn=Blue Team,dc=bitwarden,dc=com',
      referenceId: 'cn=Blue Team,dc=bitwarden,dc=com',
      name: 'Blue Team',
      userMemberExternalIds: ['id-roland', 'id-miki', 'id-jerome'],
      groupMemberReferenceIds: ['cn=Red Team,dc=bitwarden,dc=com'],
    });
    expect(unresolved).toEqual(['cn=Outside User,ou=Elsewhere,dc=bitwarden,dc=com', 'nobody']);
  });

  it('resolves 100k users × 10k groups with map lookups, fast', () => {
    const index = new MemberIndex();
    for (let i = 0; i < 100_000; i++) index.addUser(`cn=User ${i},ou=People,dc=example,dc=com`, `id-${i}`, [`u${i}`]);
    const started = Date.now();
    let members = 0;
    for (let g = 0; g < 10_000; g++) {
      const values: string[] = [];
      for (let k = 0; k < 20; k++) values.push(`CN=User ${(g * 37 + k * 101) % 100_000}, OU=People,DC=example,DC=com`);
      members += resolveMembers({ referenceId: `cn=G${g},dc=example,dc=com`, externalId: `g${g}`, name: `G${g}`, memberValues: values }, index).group.userMemberExternalIds.length;
    }
    expect(members).toBe(200_000);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe('tombstoneInsideUserBase (issue #9 item 4)', () => {
  it('places an AD tombstone by its last parent inside sync.userPath; the whole domain takes every one', () => {
    const root = 'DC=corp,DC=example';
    expect(tombstoneInsideUserBase('OU=Staff,DC=corp,DC=example', 'ou=staff,dc=corp,dc=example', root)).toBe(true);
    expect(tombstoneInsideUserBase('OU=Team,OU=Staff,DC=corp,DC=example', 'OU=Staff,DC=corp,DC=example', root)).toBe(true);
    expect(tombstoneInsideUserBase('OU=Contractors,DC=corp,DC=example', 'OU=Staff,DC=corp,DC=example', root)).toBe(false);
    expect(tombstoneInsideUserBase(undefined, 'OU=Staff,DC=corp,DC=example', root)).toBe(false);
    expect(tombstoneInsideUserBase(undefined, 'DC=corp,DC=example', root)).toBe(true);
    expect(tombstoneInsideUserBase('OU=Contractors,DC=corp,DC=example', 'dc=corp, dc=example', root)).toBe(true);
  });
});
