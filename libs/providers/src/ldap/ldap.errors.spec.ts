import { describe, expect, it } from '@jest/globals';
import {
  AdminLimitExceededError,
  ConfidentialityRequiredError,
  InsufficientAccessError,
  InvalidCredentialsError,
  NoSuchObjectError,
  OperationsError,
  SizeLimitExceededError,
  StrongAuthRequiredError,
  TimeLimitExceededError,
  UnknownStatusCodeError,
} from 'ldapts';
import { DirconnError } from '@dirconn/core';
import type { LdapErrorContext } from './ldap.errors.js';
import { adDataCode, referralTarget, translateLdapError } from './ldap.errors.js';

const ctx: LdapErrorContext = { endpoint: 'dc1.corp.example:389', transport: 'plain', username: 'CORP\\svc-bw', phase: 'bind' };
const search: LdapErrorContext = { ...ctx, phase: 'search', base: { dn: 'ou=People,dc=corp,dc=example', key: 'sync.userPath' } };
const adBind = (data: string) => new InvalidCredentialsError(`80090308: LdapErr: DSID-0C09044E, comment: AcceptSecurityContext error, data ${data}, v4563`);
const sysError = (code: string, message = code) => Object.assign(new Error(message), { code });

describe('translateLdapError', () => {
  it.each([
    ['52e', /password is wrong/],
    ['775', /locked out/],
    ['533', /disabled/],
    ['701', /account has expired/],
    ['532', /password has expired/],
    ['773', /must be changed/],
    ['525', /does not exist/],
  ])('gives AD bind failure data %s its own message', (data, message) => {
    const error = translateLdapError(adBind(data), ctx);
    expect(error).toBeInstanceOf(DirconnError);
    expect(error.code).toBe('auth.directory');
    expect(error.message).toMatch(message);
    expect(error.message).toContain('CORP\\svc-bw');
    expect(error.hint).toBeTruthy();
  });

  it('keeps distinct hints per AD data code', () => {
    const hints = new Set(['52e', '775', '533', '701', '532', '773'].map((d) => translateLdapError(adBind(d), ctx).hint));
    expect(hints.size).toBe(6);
  });

  it('maps a plain invalid-credentials error (OpenLDAP)', () => {
    const error = translateLdapError(new InvalidCredentialsError(), ctx);
    expect(error).toMatchObject({ code: 'auth.directory' });
    expect(error.message).toMatch(/invalid credentials/);
  });

  it('explains strong authentication and confidentiality requirements', () => {
    expect(translateLdapError(new StrongAuthRequiredError('00002028: The server requires binds to turn on integrity checking'), ctx)).toMatchObject({ code: 'auth.directory', hint: expect.stringMatching(/ldap\.ssl|startTls/) });
    expect(translateLdapError(new ConfidentialityRequiredError('confidentiality required'), ctx)).toMatchObject({ code: 'auth.directory', hint: expect.stringMatching(/startTls/) });
  });

  it('names the referred server of a referral', () => {
    const error = translateLdapError(new UnknownStatusCodeError(10, "0000202B: RefErr: DSID-0310082F, data 0, 1 access points\n\tref 1: 'emea.corp.example'\n"), search);
    expect(error.code).toBe('provider.referral');
    expect(error.message).toContain('emea.corp.example');
    expect(error.hint).toMatch(/global catalog/);
  });

  it('maps missing rights', () => {
    expect(translateLdapError(new InsufficientAccessError(), search)).toMatchObject({ code: 'provider.rights' });
  });

  it.each([
    [new TimeLimitExceededError(), /time limit/],
    [new SizeLimitExceededError(), /size limit/],
    [new AdminLimitExceededError(), /administrative limit/],
  ])('fails the read on %p', (error, message) => {
    const translated = translateLdapError(error, search);
    expect(translated.code).toBe('provider.incomplete-read');
    expect(translated.message).toMatch(message);
    expect(translated.message).toContain('nothing was synced');
  });

  it("fails the read on Samba's time limit reported as an operations error, naming ldap.searchTimeLimit", () => {
    const error = translateLdapError(new OperationsError('00002020: ldb_wait from ../../source4/ldap_server/ldap_backend.c:892 with LDB_WAIT_ALL: Operations error (1)'), search);
    expect(error).toMatchObject({ code: 'provider.incomplete-read', message: expect.stringContaining('nothing was synced') });
    expect(error.hint).toContain('ldap.searchTimeLimit');
    expect(translateLdapError(new OperationsError('bind failed'), ctx).code).toBe('provider.error');
  });

  it('carries the missing base DN and key in the details (to tell another domain from a typo)', () => {
    expect(translateLdapError(new NoSuchObjectError('no such object'), search).details).toEqual({ base: 'ou=People,dc=corp,dc=example', key: 'sync.userPath' });
  });

  it('names the key and DN of a missing search base', () => {
    const error = translateLdapError(new NoSuchObjectError('no such object'), search);
    expect(error.code).toBe('config.invalid');
    expect(error.message).toContain('sync.userPath');
    expect(error.message).toContain('ou=People,dc=corp,dc=example');
  });

  it.each(['ECONNREFUSED', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH'])('maps %s to provider.unreachable naming host:port', (code) => {
    const error = translateLdapError(sysError(code), { ...ctx, phase: 'connect' });
    expect(error.code).toBe('provider.unreachable');
    expect(error.message).toContain('dc1.corp.example:389');
  });

  it('maps ldapts timeouts and lost connections', () => {
    expect(translateLdapError(new Error('Connection timeout'), ctx).code).toBe('provider.unreachable');
    expect(translateLdapError(new Error('Connection closed before message response was received. Message type: SearchRequest (0x63)'), search).code).toBe('provider.unreachable');
  });

  it.each(['DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'ERR_TLS_CERT_ALTNAME_INVALID', 'CERT_HAS_EXPIRED'])('maps TLS failure %s to provider.tls with a CA hint', (code) => {
    const error = translateLdapError(sysError(code, 'certificate problem'), { ...ctx, transport: 'ldaps', phase: 'connect' });
    expect(error.code).toBe('provider.tls');
    expect(error.hint).toMatch(/sslCaPath/);
    expect(error.hint).toMatch(/sslAllowUnauthorized/);
  });

  it('explains LDAPS against a plain port', () => {
    const error = translateLdapError(sysError('ERR_SSL_WRONG_VERSION_NUMBER', 'wrong version number'), { ...ctx, transport: 'ldaps', phase: 'connect' });
    expect(error).toMatchObject({ code: 'provider.tls', hint: expect.stringMatching(/plain LDAP/) });
  });

  it('reports a cancellation as cancelled', () => {
    const controller = new AbortController();
    controller.abort();
    expect(translateLdapError(new Error('Connection closed'), { ...search, signal: controller.signal }).code).toBe('cancelled');
  });

  it('passes DirconnErrors through', () => {
    const original = new DirconnError('config.invalid', 'x');
    expect(translateLdapError(original, ctx)).toBe(original);
  });
});

describe('diagnostic parsing', () => {
  it('finds the AD data code and referral target', () => {
    expect(adDataCode('AcceptSecurityContext error, data 775, v4563')).toBe('775');
    expect(adDataCode('nothing here')).toBeUndefined();
    expect(referralTarget("ref 1: 'emea.corp.example'")).toBe('emea.corp.example');
    expect(referralTarget('see ldap://other:389/dc=x')).toBe('ldap://other:389/dc=x');
  });
});
