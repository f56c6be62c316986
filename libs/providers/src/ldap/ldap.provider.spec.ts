import { describe, expect, it } from '@jest/globals';
import { DEFAULT_SYNC_CONFIG, silentLogger } from '@dirconn/core';
import type { LdapConfig } from './ldap.config.js';
import { LDAP_DEFAULTS } from './ldap.config.js';
import { deltaFilter, parseLdapCursor } from './ldap.cursor.js';
import { isMembershipFilter } from './ldap.delta.js';
import { LdapProvider } from './ldap.provider.js';
import { parseLdapUrl } from './ldap.referrals.js';
import { tlsOptionsOf } from './ldap.session.js';

const config: LdapConfig = { ...LDAP_DEFAULTS, hostname: '127.0.0.1', port: 1, rootPath: 'dc=example,dc=com', username: 'cn=reader,dc=example,dc=com', ad: false, connectTimeout: 2 };
const sync = { ...DEFAULT_SYNC_CONFIG, users: true, userObjectClass: 'inetOrgPerson', userEmailAttribute: 'mail' };

describe('LdapProvider without a server', () => {
  it('refuses an empty password before connecting (no unauthenticated bind)', async () => {
    const provider = new LdapProvider({ config, sync, secret: '', logger: silentLogger });
    await expect(provider.read({ force: true, users: true, groups: false })).rejects.toMatchObject({ code: 'config.incomplete' });
  });

  it('fails with config.incomplete when the user object class is missing', async () => {
    const provider = new LdapProvider({ config, sync: { ...sync, userObjectClass: null }, secret: 'pw', logger: silentLogger });
    await expect(provider.read({ force: true, users: true, groups: false })).rejects.toMatchObject({ code: 'config.incomplete', message: expect.stringContaining('sync.userObjectClass') });
  });

  it('fails with config.incomplete on a null rootPath (the reference crashes)', async () => {
    const provider = new LdapProvider({ config: { ...config, rootPath: null }, sync, secret: 'pw', logger: silentLogger });
    await expect(provider.read({ force: true, users: true, groups: false })).rejects.toMatchObject({ code: 'config.incomplete', message: expect.stringContaining('ldap.rootPath') });
  });

  it('reports a closed port as unreachable and never puts the password in the message', async () => {
    const provider = new LdapProvider({ config, sync, secret: 'S3cr3t-Pa55', logger: silentLogger });
    const error = await provider.read({ force: true, users: true, groups: false }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'provider.unreachable', message: expect.stringContaining('127.0.0.1:1') });
    expect(JSON.stringify({ m: (error as Error).message, h: (error as { hint?: string }).hint })).not.toContain('S3cr3t-Pa55');
  });

  it('is cancelled by an aborted signal', async () => {
    const provider = new LdapProvider({ config, sync, secret: 'pw', logger: silentLogger });
    await expect(provider.read({ force: true, users: true, groups: false, signal: AbortSignal.abort() })).rejects.toMatchObject({ code: 'cancelled' });
  });
});

describe('TLS options', () => {
  it('reads the CA, certificate and key and verifies by default', () => {
    const files: Record<string, string> = { '/ca.pem': 'CA', '/c.pem': 'CERT', '/k.pem': 'KEY' };
    const read = (path: string): Buffer => Buffer.from(files[path] ?? '');
    const options = tlsOptionsOf({ ...config, ssl: true, sslCaPath: '/ca.pem', sslCertPath: '/c.pem', sslKeyPath: '/k.pem' }, 'dc1.example.com', read);
    expect(options).toMatchObject({ rejectUnauthorized: true, servername: 'dc1.example.com', ca: [Buffer.from('CA')], cert: Buffer.from('CERT'), key: Buffer.from('KEY') });
    expect(tlsOptionsOf({ ...config, ssl: true, sslAllowUnauthorized: true }, '127.0.0.1').rejectUnauthorized).toBe(false);
    expect(tlsOptionsOf({ ...config, ssl: true }, '127.0.0.1').servername).toBeUndefined();
  });

  it('names the key and file it cannot read', () => {
    expect(() => tlsOptionsOf({ ...config, startTls: true, tlsCaPath: '/nonexistent/ca.pem' }, 'h')).toThrow(expect.objectContaining({ code: 'config.invalid', message: expect.stringContaining('ldap.tlsCaPath file /nonexistent/ca.pem (ENOENT)') }));
  });
});

describe('cursor and referral URLs', () => {
  it('accepts only its own cursor shape', () => {
    const cursor = { v: 1, lastSync: '2024-01-02T03:04:05.678Z', fingerprint: 'abc', deltaCapable: true };
    expect(parseLdapCursor(cursor)).toEqual(cursor);
    expect(parseLdapCursor('2024-01-02T03:04:05.678Z')).toBeUndefined();
    expect(parseLdapCursor({ ...cursor, lastSync: 'yesterday' })).toBeUndefined();
    expect(parseLdapCursor({ ...cursor, v: 2 })).toBeUndefined();
    expect(parseLdapCursor(null)).toBeUndefined();
  });

  it('keeps the AD USN mark and the tombstone visibility, dropping malformed ones', () => {
    const cursor = { v: 1, lastSync: '2024-01-02T03:04:05.678Z', fingerprint: 'abc', deltaCapable: true };
    const usn = { server: 'CN=NTDS Settings,CN=DC1,CN=Servers,CN=Site,CN=Sites,CN=Configuration,DC=corp,DC=example', invocationId: 'ab'.repeat(16), highest: '123456' };
    expect(parseLdapCursor({ ...cursor, usn, tombstonesVisible: false })).toEqual({ ...cursor, usn, tombstonesVisible: false });
    expect(parseLdapCursor({ ...cursor, usn: { ...usn, highest: '12x' } })).toEqual(cursor);
    expect(parseLdapCursor({ ...cursor, usn: 'DC1', tombstonesVisible: 'no' })).toEqual(cursor);
  });

  it('builds time and USN delta filters', () => {
    expect(deltaFilter('(&(objectClass=person))', 'whenChanged', { kind: 'time', time: '20240102030405.6Z' })).toBe('(&(&(objectClass=person))(whenChanged>=20240102030405.6Z))');
    expect(deltaFilter('(&(objectClass=person))', 'whenChanged', { kind: 'usn', from: '12346' })).toBe('(&(&(objectClass=person))(uSNChanged>=12346))');
  });

  it('recognises membership user filters (their scope changes without a user change)', () => {
    expect(isMembershipFilter('(memberOf:1.2.840.113556.1.4.1941:=CN=Vault,OU=Groups,DC=corp,DC=example)')).toBe(true);
    expect(isMembershipFilter('(&(MEMBEROF=CN=Vault,DC=corp,DC=example)(mail=*))')).toBe(true);
    expect(isMembershipFilter('(department=Sales)')).toBe(false);
    expect(isMembershipFilter(null)).toBe(false);
  });

  it('parses referral URLs without downgrading the transport', () => {
    const current = { host: 'dc1', port: 389, transport: 'starttls' as const };
    expect(parseLdapUrl('ldap://dc2.corp.example:3268/DC=emea,DC=corp,DC=example', current)).toEqual({ endpoint: { host: 'dc2.corp.example', port: 3268, transport: 'starttls' }, dn: 'DC=emea,DC=corp,DC=example' });
    expect(parseLdapUrl('ldaps://dc2/ou=a%20b,dc=x??sub', current)).toEqual({ endpoint: { host: 'dc2', port: 636, transport: 'ldaps' }, dn: 'ou=a b,dc=x' });
    expect(parseLdapUrl('ldap://dc3', { ...current, transport: 'plain' })).toEqual({ endpoint: { host: 'dc3', port: 389, transport: 'plain' }, dn: undefined });
    expect(parseLdapUrl('http://x', current)).toBeUndefined();
  });
});
