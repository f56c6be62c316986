import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { DEFAULT_SYNC_CONFIG, parseFieldValue } from '@dirconn/core';
import {
  applicationIdProblem,
  authorityProblem,
  authorityUrlOf,
  ENTRA_DEFAULTS,
  ENTRA_FIELDS,
  graphRootOf,
  graphUrlProblem,
  isKnownAuthority,
  tenantProblem,
  validateEntraConfig,
  type EntraConfig,
} from './entra.config.js';

const TENANT = '3f0c7c0e-1b2a-4c3d-9e8f-0a1b2c3d4e5f';
const APP = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
const complete: EntraConfig = { ...ENTRA_DEFAULTS, tenant: TENANT, applicationId: APP };
const dir = mkdtempSync(join(tmpdir(), 'dirconn-entra-config-'));
const field = (key: string) => ENTRA_FIELDS.find((f) => f.key === key)!;

describe('Entra settings (issue #10: exact names)', () => {
  it('has exactly the issue\'s fields, entra.key secret, defaults public cloud', () => {
    expect(ENTRA_FIELDS.map((f) => f.key)).toEqual(['entra.tenant', 'entra.applicationId', 'entra.key', 'entra.identityAuthority', 'entra.graphUrl', 'entra.certificatePath']);
    expect(field('entra.key').secret).toBe(true);
    expect(ENTRA_DEFAULTS).toEqual({ tenant: null, applicationId: null, identityAuthority: 'login.microsoftonline.com', graphUrl: null, certificatePath: null });
  });

  it('accepts a tenant GUID or domain and rejects anything else', () => {
    expect(tenantProblem(TENANT)).toBeUndefined();
    expect(tenantProblem('contoso.onmicrosoft.com')).toBeUndefined();
    expect(tenantProblem('Contoso.com')).toBeUndefined();
    expect(tenantProblem('not a tenant')).toMatch(/GUID/);
    expect(tenantProblem('contoso')).toMatch(/verified domain/);
    expect(() => parseFieldValue(field('entra.tenant'), 'https://login.microsoftonline.com/x')).toThrow(/entra.tenant/);
  });

  it('wants a GUID application id', () => {
    expect(applicationIdProblem(APP)).toBeUndefined();
    expect(applicationIdProblem('my-app')).toMatch(/GUID/);
  });

  it('knows the three clouds and any https:// authority; the Graph root follows the cloud', () => {
    expect(authorityProblem('login.microsoftonline.com')).toBeUndefined();
    expect(authorityProblem('login.microsoftonline.us')).toBeUndefined();
    expect(authorityProblem('login.chinacloudapi.cn')).toBeUndefined();
    expect(authorityProblem('https://127.0.0.1:8443')).toBeUndefined();
    expect(authorityProblem('login.example.com')).toMatch(/unknown authority/);
    expect(authorityProblem('http://127.0.0.1:8443')).toMatch(/https/);
    expect(graphRootOf(complete)).toBe('https://graph.microsoft.com');
    // The reference sends Government data calls to the public Graph: not us.
    expect(graphRootOf({ identityAuthority: 'login.microsoftonline.us', graphUrl: null })).toBe('https://graph.microsoft.us');
    expect(graphRootOf({ identityAuthority: 'login.chinacloudapi.cn', graphUrl: null })).toBe('https://microsoftgraph.chinacloudapi.cn');
    expect(graphRootOf({ identityAuthority: 'login.microsoftonline.us', graphUrl: 'https://dod-graph.microsoft.us/' })).toBe('https://dod-graph.microsoft.us');
    expect(graphRootOf({ identityAuthority: 'https://127.0.0.1:8443', graphUrl: null })).toBeNull();
    expect(authorityUrlOf({ identityAuthority: 'LOGIN.microsoftonline.com' })).toBe('https://login.microsoftonline.com');
    expect(authorityUrlOf({ identityAuthority: 'https://127.0.0.1:8443/' })).toBe('https://127.0.0.1:8443');
    expect(isKnownAuthority({ identityAuthority: 'login.microsoftonline.us' })).toBe(true);
    expect(isKnownAuthority({ identityAuthority: 'https://127.0.0.1:8443' })).toBe(false);
  });

  it('checks entra.graphUrl', () => {
    expect(graphUrlProblem(null)).toBeUndefined();
    expect(graphUrlProblem('https://graph.microsoft.com')).toBeUndefined();
    expect(graphUrlProblem('https://graph.microsoft.com/v1.0')).toMatch(/without the version/);
    expect(graphUrlProblem('http://graph.microsoft.com')).toMatch(/https/);
  });
});

describe('validateEntraConfig', () => {
  it('passes a complete secret-based configuration', () => {
    expect(validateEntraConfig(complete, DEFAULT_SYNC_CONFIG, true)).toEqual([]);
  });

  it('names every missing piece', () => {
    expect(validateEntraConfig(ENTRA_DEFAULTS, DEFAULT_SYNC_CONFIG, false).map((i) => i.key)).toEqual(['entra.tenant', 'entra.applicationId', 'entra.key']);
  });

  it('needs entra.graphUrl for a custom authority', () => {
    const issues = validateEntraConfig({ ...complete, identityAuthority: 'https://127.0.0.1:9' }, DEFAULT_SYNC_CONFIG, true);
    expect(issues).toEqual([{ key: 'entra.graphUrl', message: expect.stringContaining('custom entra.identityAuthority') }]);
    expect(validateEntraConfig({ ...complete, identityAuthority: 'https://127.0.0.1:9', graphUrl: 'https://127.0.0.1:9' }, DEFAULT_SYNC_CONFIG, true)).toEqual([]);
  });

  it('accepts a certificate file instead of the secret, and checks its content', () => {
    const good = join(dir, 'app.pem');
    writeFileSync(good, '-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----\n-----BEGIN CERTIFICATE-----\ny\n-----END CERTIFICATE-----\n');
    expect(validateEntraConfig({ ...complete, certificatePath: good }, DEFAULT_SYNC_CONFIG, false)).toEqual([]);
    const certOnly = join(dir, 'cert.pem');
    writeFileSync(certOnly, '-----BEGIN CERTIFICATE-----\ny\n-----END CERTIFICATE-----\n');
    expect(validateEntraConfig({ ...complete, certificatePath: certOnly }, DEFAULT_SYNC_CONFIG, false)).toEqual([{ key: 'entra.certificatePath', message: expect.stringContaining('no PEM private key') }]);
    expect(validateEntraConfig({ ...complete, certificatePath: join(dir, 'missing.pem') }, DEFAULT_SYNC_CONFIG, true)).toEqual([{ key: 'entra.certificatePath', message: expect.stringContaining('file not found') }]);
  });

  it('checks both filters with the Entra grammar', () => {
    const issues = validateEntraConfig(complete, { ...DEFAULT_SYNC_CONFIG, userFilter: 'include:a|exclude:b', groupFilter: 'includeGroup:x' }, true);
    expect(issues.map((i) => i.key)).toEqual(['sync.userFilter', 'sync.groupFilter']);
  });
});
