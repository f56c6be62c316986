import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { DEFAULT_SERVER_CONFIG, DEFAULT_SYNC_CONFIG, parseFieldValue, resolveDirectory } from '@dirconn/core';
import type { DirconnConfig, SyncConfig } from '@dirconn/core';
import { getProviderDefinition } from '../registry.js';
import type { LdapConfig } from './ldap.config.js';
import { LDAP_DEFAULTS, LDAP_FIELDS, checkLdapFilter, decodeUtf8Escapes, tlsFilesOf, transportOf } from './ldap.config.js';
import { ldapDefinition } from './ldap.definition.js';

const dir = mkdtempSync(join(tmpdir(), 'dirconn-ldap-config-'));
const ca = join(dir, 'ca.pem');
const cert = join(dir, 'client.pem');
const key = join(dir, 'client.key');
for (const f of [ca, cert, key]) writeFileSync(f, '-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n');

const base: LdapConfig = { ...LDAP_DEFAULTS, hostname: 'ldap.example.com', rootPath: 'dc=example,dc=com', username: 'cn=reader,dc=example,dc=com', ad: false };
const sync: SyncConfig = { ...DEFAULT_SYNC_CONFIG, users: true, groups: true, userObjectClass: 'inetOrgPerson', groupObjectClass: 'groupOfNames', userEmailAttribute: 'mail', memberAttribute: 'member' };
const validate = (config: Partial<LdapConfig>, s: Partial<SyncConfig> = {}, secret = true) => ldapDefinition.validate({ ...base, ...config }, { ...sync, ...s }, secret);
const keys = (issues: { key: string }[]) => issues.map((i) => i.key);

describe('LDAP config fields', () => {
  it('has a field with a description for every config key, defaults matching LDAP_DEFAULTS', () => {
    for (const [name, value] of Object.entries(LDAP_DEFAULTS)) {
      const field = LDAP_FIELDS.find((f) => f.key === `ldap.${name}`);
      expect(field).toBeDefined();
      expect(field?.defaultValue).toEqual(value);
      expect(field?.description.length).toBeGreaterThan(10);
    }
    expect(LDAP_FIELDS.find((f) => f.key === 'ldap.password')).toMatchObject({ secret: true, kind: 'secret' });
  });

  it('uses the reference defaults (port 389, ad true, paged, no TLS) plus ours', () => {
    expect(LDAP_DEFAULTS).toMatchObject({ port: 389, ssl: false, startTls: false, sslAllowUnauthorized: false, ad: true, pagedSearch: true, externalIdAttribute: 'auto', searchTimeLimit: 300, pageSize: 500, connectTimeout: 15, followReferrals: false });
  });

  it('rejects a host name with a scheme', () => {
    const field = LDAP_FIELDS.find((f) => f.key === 'ldap.hostname')!;
    expect(() => parseFieldValue(field, 'ldaps://dc1.example.com')).toThrow(/host name only/);
    expect(parseFieldValue(field, 'dc1.example.com')).toBe('dc1.example.com');
  });

  it('accepts only the listed externalId attributes', () => {
    const field = LDAP_FIELDS.find((f) => f.key === 'ldap.externalIdAttribute')!;
    expect(parseFieldValue(field, 'entryUUID')).toBe('entryUUID');
    expect(() => parseFieldValue(field, 'uid')).toThrow(/one of/);
  });
});

describe('transport', () => {
  it('treats startTls alone as StartTLS (not plaintext like the reference)', () => {
    expect(transportOf({ ssl: false, startTls: true })).toBe('starttls');
    expect(transportOf({ ssl: true, startTls: true })).toBe('starttls');
    expect(transportOf({ ssl: true, startTls: false })).toBe('ldaps');
    expect(transportOf({ ssl: false, startTls: false })).toBe('plain');
  });

  it('uses tlsCaPath for StartTLS (falling back to sslCaPath) and sslCaPath for LDAPS', () => {
    expect(tlsFilesOf({ ...base, startTls: true, tlsCaPath: '/a', sslCaPath: '/b' })).toEqual([{ key: 'ldap.tlsCaPath', role: 'ca', path: '/a' }]);
    expect(tlsFilesOf({ ...base, startTls: true, sslCaPath: '/b' })).toEqual([{ key: 'ldap.sslCaPath', role: 'ca', path: '/b' }]);
    expect(tlsFilesOf({ ...base, ssl: true, tlsCaPath: '/a', sslCaPath: '/b', sslCertPath: '/c', sslKeyPath: '/d' }).map((f) => f.key)).toEqual(['ldap.sslCaPath', 'ldap.sslCertPath', 'ldap.sslKeyPath']);
    expect(tlsFilesOf({ ...base, sslCaPath: '/b' })).toEqual([]);
  });
});

describe('validate', () => {
  it('accepts a complete configuration', () => {
    expect(validate({})).toEqual([]);
  });

  it('names every missing required setting', () => {
    expect(keys(validate({ hostname: null, rootPath: ' ', username: null }, {}, false))).toEqual(['ldap.hostname', 'ldap.rootPath', 'ldap.username', 'ldap.password']);
  });

  it('makes a missing certificate file an error naming the file', () => {
    const issues = validate({ ssl: true, sslCaPath: join(dir, 'missing-ca.pem') });
    expect(issues).toEqual([{ key: 'ldap.sslCaPath', message: `file not found: ${join(dir, 'missing-ca.pem')}` }]);
    expect(validate({ ssl: true, sslCaPath: ca })).toEqual([]);
    expect(keys(validate({ startTls: true, tlsCaPath: dir }))).toEqual(['ldap.tlsCaPath']);
  });

  it('ignores certificate files the transport does not use', () => {
    expect(validate({ sslCaPath: join(dir, 'missing.pem') })).toEqual([]);
  });

  it('requires the key with a client certificate and the reverse', () => {
    expect(validate({ ssl: true, sslCertPath: cert })).toEqual([{ key: 'ldap.sslKeyPath', message: expect.stringContaining('without its private key') }]);
    expect(keys(validate({ startTls: true, sslKeyPath: key }))).toEqual(['ldap.sslCertPath']);
    expect(validate({ ssl: true, sslCertPath: cert, sslKeyPath: key, sslCaPath: ca })).toEqual([]);
  });

  it('checks filters and the settings a read needs', () => {
    expect(validate({}, { userFilter: '(cn=Roland Dyke' })).toEqual([{ key: 'sync.userFilter', message: expect.stringContaining('not a valid LDAP filter') }]);
    expect(keys(validate({}, { userObjectClass: null, groupObjectClass: null, memberAttribute: null, userEmailAttribute: null }))).toEqual(['sync.userObjectClass', 'sync.userEmailAttribute', 'sync.groupObjectClass', 'sync.memberAttribute']);
    expect(keys(validate({}, { useEmailPrefixSuffix: true, userEmailAttribute: null }))).toEqual(['sync.userEmailAttribute', 'sync.emailPrefixAttribute', 'sync.emailSuffix']);
  });

  it('validates against the AD defaults when ad is on', () => {
    expect(validate({ ad: true }, { userObjectClass: null, groupObjectClass: null, memberAttribute: null, userEmailAttribute: null })).toEqual([]);
  });
});

describe('checkLdapFilter', () => {
  it.each(['(cn=Roland Dyke)', 'cn=Roland Dyke', '(&(givenName=John)(|(l=Dallas)(l=Austin)))', '(&(objectClass=group)(!(cn=Sales*))(!(cn=IT*)))', '(a=1)(b=2)', '(memberOf=cn=vault,ou=groups,dc=example,dc=com)'])('accepts %s', (filter) => {
    expect(checkLdapFilter(filter)).toBeUndefined();
  });

  it.each([
    ['(cn=Roland Dyke', /unbalanced parentheses/],
    ['(&(cn=a)', /1 "\(" not closed/],
    ['(cn=a))', /closes nothing/],
    ['(cn=a) junk', /outside parentheses/],
    ['(cn=a)(sn=b\\2)', /Invalid escaped hex/],
    ['(=x)', /Invalid attribute name/i],
  ])('rejects %s quoting the parser', (filter, complaint) => {
    const problem = checkLdapFilter(filter);
    expect(problem).toMatch(/not a valid LDAP filter/);
    expect(problem).toMatch(complaint);
  });

  it('decodes hex-escaped UTF-8 (which ldapts would garble) and rejects binary escapes', () => {
    expect(decodeUtf8Escapes('(cn=J\\c3\\bcrgen)')).toBe('(cn=Jürgen)');
    expect(decodeUtf8Escapes('(cn=a\\5c\\c3\\bc\\2a)')).toBe('(cn=a\\5cü\\2a)');
    expect(decodeUtf8Escapes('(objectGUID=\\3d\\ef\\d8)')).toBe('(objectGUID=\\3d\\ef\\d8)');
    expect(checkLdapFilter('(cn=J\\c3\\bcrgen)')).toBeUndefined();
    expect(checkLdapFilter('(objectGUID=\\3d\\ef\\d8\\8c)')).toMatch(/not UTF-8 text/);
  });

  it('is the definition filter check', () => {
    expect(ldapDefinition.filter?.check?.('(cn=x')).toMatch(/not a valid LDAP filter/);
  });
});

describe('definition', () => {
  it('registers the reference names', () => {
    expect(ldapDefinition).toMatchObject({ type: 'ldap', label: 'Active Directory / LDAP', secret: { setting: 'ldap.password', account: 'secretLdap', variable: 'DIRCONN_LDAP_PASSWORD', fileVariable: 'DIRCONN_LDAP_PASSWORD_FILE' }, identityFields: ['hostname', 'domain', 'username'] });
  });

  it('applies the AD defaults only when LDAP is the chosen directory (never to another source)', () => {
    const config = (directory: 'ldap' | 'sample'): DirconnConfig => ({
      server: DEFAULT_SERVER_CONFIG,
      directory,
      sync: { ...DEFAULT_SYNC_CONFIG, users: true },
      // ldap.ad defaults to true and an LDAP config is stored next to the chosen one.
      directories: { ldap: { hostname: 'dc1', ad: true }, sample: {} },
    });
    const deps = { providers: getProviderDefinition };
    expect(resolveDirectory(deps, config('ldap')).sync).toMatchObject({ userObjectClass: 'person', memberAttribute: 'member', revisionDateAttribute: 'whenChanged', userPath: 'CN=Users' });
    const sample = resolveDirectory(deps, config('sample')).sync;
    expect(sample).toMatchObject({ userObjectClass: null, memberAttribute: null, revisionDateAttribute: null, userPath: null });
  });

  it('normalises the sync config only when ad is on', () => {
    expect(ldapDefinition.normalizeSync?.(sync, { ...base, ad: true }).memberAttribute).toBe('member');
    expect(ldapDefinition.normalizeSync?.({ ...sync, memberAttribute: 'memberUid' }, { ...base, ad: false }).memberAttribute).toBe('memberUid');
  });
});
