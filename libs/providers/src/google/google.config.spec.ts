import { describe, expect, it } from '@jest/globals';
import { DEFAULT_SYNC_CONFIG, type SyncConfig } from '@dirconn/core';
import {
  GOOGLE_DEFAULTS,
  GOOGLE_FIELDS,
  checkGoogleFilter,
  clientEmailInSecret,
  normalizePrivateKey,
  parseGoogleFilter,
  parseServiceAccountKey,
  readServiceAccountKey,
  urlProblem,
  validateGoogleConfig,
  type GoogleConfig,
  type ServiceAccountKey,
} from './google.config.js';

const PEM = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n';
const keyJson = (extra: Record<string, unknown> = {}): string =>
  JSON.stringify({ type: 'service_account', client_email: 'sa@proj.iam.gserviceaccount.com', private_key: PEM, token_uri: 'https://oauth2.googleapis.com/token', ...extra });

const complete: GoogleConfig = { ...GOOGLE_DEFAULTS, customer: 'my_customer', adminUser: 'admin@example.com', clientEmail: 'sa@proj.iam.gserviceaccount.com' };
const sync = (s: Partial<SyncConfig> = {}): SyncConfig => ({ ...DEFAULT_SYNC_CONFIG, users: true, ...s });
const keys = (issues: { key: string }[]): string[] => issues.map((i) => i.key);

describe('google fields', () => {
  it('are the issue\'s names, the private key being the only secret', () => {
    expect(GOOGLE_FIELDS.map((f) => f.key)).toEqual(['google.domain', 'google.customer', 'google.adminUser', 'google.clientEmail', 'google.privateKey', 'google.keyFile', 'google.tokenUrl', 'google.rootUrl']);
    expect(GOOGLE_FIELDS.filter((f) => f.secret).map((f) => f.key)).toEqual(['google.privateKey']);
    expect(GOOGLE_DEFAULTS.rootUrl).toBe('https://admin.googleapis.com');
  });

  it('checks that the admin user is an email address', () => {
    const admin = GOOGLE_FIELDS.find((f) => f.key === 'google.adminUser');
    expect(admin?.check?.('admin')).toMatch(/email address/);
    expect(admin?.check?.('admin@example.com')).toBeUndefined();
  });
});

describe('google filters (reference §5.2: <set clause>|<native query>)', () => {
  it('splits the set clause from the Google query', () => {
    const f = parseGoogleFilter("include: Alice@Example.com ,bob@example.com|orgUnitPath='/Integration testing'", 'sync.userFilter');
    expect(f.set?.mode).toBe('include');
    expect([...(f.set?.values ?? [])]).toEqual(['alice@example.com', 'bob@example.com']);
    expect(f.query).toBe("orgUnitPath='/Integration testing'");
  });

  it('accepts a query alone, and ignores segments after a second |', () => {
    expect(parseGoogleFilter('|name:Integration*', 'sync.groupFilter')).toEqual({ set: null, query: 'name:Integration*' });
    expect(parseGoogleFilter('exclude:a@x.com|isSuspended=false|ignored', 'sync.userFilter').query).toBe('isSuspended=false');
    expect(parseGoogleFilter('  ', 'sync.userFilter')).toEqual({ set: null, query: null });
  });

  it.each([
    ['include:a:b|x', /contains ":"/],
    ['only:a', /unknown keyword "only"/],
    ['include:', /no values/],
  ])('rejects %s instead of silently turning the filter off', (filter, message) => {
    expect(() => parseGoogleFilter(filter, 'sync.userFilter')).toThrow(message);
    expect(checkGoogleFilter(filter)).toMatch(message);
  });
});

describe('service-account key file', () => {
  it('gives the client email, the private key and token_uri', () => {
    expect(parseServiceAccountKey(keyJson({ token_uri: 'http://127.0.0.1:9/token' }), 'k.json')).toEqual({ clientEmail: 'sa@proj.iam.gserviceaccount.com', privateKey: PEM, tokenUri: 'http://127.0.0.1:9/token' });
    expect(parseServiceAccountKey(keyJson({ token_uri: undefined }), 'k.json').tokenUri).toBeNull();
  });

  it('names the file and the problem, never the content', () => {
    expect(() => parseServiceAccountKey('{nope', 'k.json')).toThrow(/k\.json is invalid: not JSON/);
    expect(() => parseServiceAccountKey(keyJson({ type: 'authorized_user' }), 'k.json')).toThrow(/type is "authorized_user"/);
    expect(() => parseServiceAccountKey(keyJson({ client_email: '' }), 'k.json')).toThrow(/no client_email/);
    let message = '';
    try {
      parseServiceAccountKey(keyJson({ private_key: 'oops' }), 'k.json');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/no private_key/);
    expect(message).not.toContain('MIIE');
  });

  it('reports an unreadable file with its system code', () => {
    const failing = (): string => {
      throw Object.assign(new Error('nope'), { code: 'ENOENT' });
    };
    expect(() => readServiceAccountKey('/x/k.json', failing)).toThrow(expect.objectContaining({ code: 'config.invalid', message: expect.stringContaining('/x/k.json (ENOENT)') }));
  });
});

describe('private key normalisation (reference §3.3)', () => {
  it('turns literal \\n into newlines and trims leading whitespace', () => {
    expect(normalizePrivateKey(`  ${PEM.replace(/\n/g, '\\n')}`)).toBe(PEM);
    expect(normalizePrivateKey(PEM)).toBe(PEM);
  });

  it('accepts a whole key file as the secret', () => {
    expect(normalizePrivateKey(keyJson())).toBe(PEM);
    expect(clientEmailInSecret(keyJson())).toBe('sa@proj.iam.gserviceaccount.com');
    expect(clientEmailInSecret(PEM)).toBeNull();
    expect(clientEmailInSecret(null)).toBeNull();
  });
});

describe('token and API URLs', () => {
  it('must be https, or http on a loopback host', () => {
    expect(urlProblem('https://oauth2.googleapis.com/token')).toBeUndefined();
    expect(urlProblem('http://127.0.0.1:8080/token')).toBeUndefined();
    expect(urlProblem('http://localhost:8080')).toBeUndefined();
    expect(urlProblem('http://proxy.example.com/token')).toMatch(/must use https/);
    expect(urlProblem('nope')).toMatch(/not a URL/);
  });
});

describe('validateGoogleConfig', () => {
  const fileKey: ServiceAccountKey = { clientEmail: 'sa@proj.iam.gserviceaccount.com', privateKey: PEM, tokenUri: null };

  it('accepts a complete config with the key as a secret', () => {
    expect(validateGoogleConfig(complete, sync(), true)).toEqual([]);
    expect(validateGoogleConfig({ ...complete, customer: null, domain: 'example.com' }, sync(), true)).toEqual([]);
  });

  it('lists every missing piece', () => {
    expect(keys(validateGoogleConfig(GOOGLE_DEFAULTS, sync(), false))).toEqual(['google.adminUser', 'google.customer', 'google.clientEmail', 'google.privateKey']);
  });

  it('takes the client email and key from google.keyFile', () => {
    const config = { ...complete, clientEmail: null, keyFile: '/k.json' };
    expect(validateGoogleConfig(config, sync(), false, () => fileKey)).toEqual([]);
    expect(keys(validateGoogleConfig({ ...config, clientEmail: 'other@proj.iam.gserviceaccount.com' }, sync(), false, () => fileKey))).toEqual(['google.clientEmail']);
    const unreadable = (): ServiceAccountKey => {
      throw new Error('Cannot read the Google service-account key file /k.json (ENOENT).');
    };
    expect(validateGoogleConfig(config, sync(), true, unreadable)).toEqual([{ key: 'google.keyFile', message: expect.stringContaining('ENOENT') }]);
  });

  it('rejects clear-text URLs off loopback and bad filters', () => {
    const issues = validateGoogleConfig({ ...complete, tokenUrl: 'http://evil.example.com/token', rootUrl: 'http://127.0.0.1:1' }, sync({ userFilter: 'include:a:b', groupFilter: '|name:X*' }), true);
    expect(keys(issues)).toEqual(['google.tokenUrl', 'sync.userFilter']);
  });
});
