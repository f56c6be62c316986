/**
 * Microsoft Entra ID source configuration (store key `directoryEntra` in the reference,
 * reference-connector.md §3.2; directory-apis.md §2.1): the type, its defaults, the `entra.*` config
 * fields and whole-config validation.
 *
 * Differences from the reference, on purpose:
 * - The Graph root follows the cloud of the authority (`graph.microsoft.us` for Government,
 *   `microsoftgraph.chinacloudapi.cn` for China); the reference sends Government data calls to the
 *   public Graph (directory-apis.md §6 #6). `entra.graphUrl` overrides it (DoD, tests).
 * - `entra.identityAuthority` also takes an `https://` URL (other clouds, a loopback fake) and the
 *   China authority; any other bare host name is an error instead of "config incomplete".
 * - A certificate (`entra.certificatePath`, PEM with the private key) can replace the client secret.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import type { ConfigField, ConfigIssue, SyncConfig } from '@dirconn/core';
import { checkEntraGroupFilter, checkEntraUserFilter } from './entra.filter.js';

/** The Entra source configuration as stored (the client secret is a secret and never part of it). */
export type EntraConfig = {
  /** Tenant id (GUID) or a verified domain (`contoso.onmicrosoft.com`). Required. */
  tenant: string | null;
  /** Application (client) id of the app registration, a GUID. Required. */
  applicationId: string | null;
  /**
   * Sign-in authority: `login.microsoftonline.com` (public, default), `login.microsoftonline.us`
   * (US Government), `login.chinacloudapi.cn` (China), or an `https://` URL.
   */
  identityAuthority: string;
  /** Microsoft Graph root, e.g. `https://graph.microsoft.com`; null = the one of the authority's cloud. */
  graphUrl: string | null;
  /** PEM file holding the app's certificate and its private key; used instead of `entra.key` when set. */
  certificatePath: string | null;
};

/** Defaults of a new Entra configuration (public cloud, client secret). */
export const ENTRA_DEFAULTS: EntraConfig = {
  tenant: null,
  applicationId: null,
  identityAuthority: 'login.microsoftonline.com',
  graphUrl: null,
  certificatePath: null,
};

/** The national clouds: authority host → Graph root (directory-apis.md §2.1). */
export const ENTRA_CLOUDS: Readonly<Record<string, string>> = {
  'login.microsoftonline.com': 'https://graph.microsoft.com',
  'login.microsoftonline.us': 'https://graph.microsoft.us',
  'login.chinacloudapi.cn': 'https://microsoftgraph.chinacloudapi.cn',
};

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DOMAIN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/i;

/** Tenant: a GUID or a domain name. */
export function tenantProblem(value: unknown): string | undefined {
  if (value === null) return undefined;
  if (typeof value !== 'string' || (!GUID.test(value.trim()) && !DOMAIN.test(value.trim()))) {
    return 'expected the tenant id (a GUID such as 3f0c7c0e-1b2a-4c3d-9e8f-0a1b2c3d4e5f) or a verified domain such as contoso.onmicrosoft.com';
  }
  return undefined;
}

/** Application id: a GUID. */
export function applicationIdProblem(value: unknown): string | undefined {
  if (value === null) return undefined;
  if (typeof value !== 'string' || !GUID.test(value.trim())) return 'expected the application (client) id of the app registration, a GUID such as 3f0c7c0e-1b2a-4c3d-9e8f-0a1b2c3d4e5f';
  return undefined;
}

/** An https:// URL without query or fragment, returned without trailing slash; null when it is not one. */
function httpsRoot(text: string): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' || url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') return null;
  return url.href.replace(/\/+$/, '');
}

/** Authority: a known cloud host (with or without https://) or any https:// URL. */
export function authorityProblem(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.trim() === '') return 'expected login.microsoftonline.com, login.microsoftonline.us, login.chinacloudapi.cn or an https:// URL';
  const text = value.trim();
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    return httpsRoot(text) === null ? 'expected an https:// URL without query string (the sign-in service only speaks https)' : undefined;
  }
  if (ENTRA_CLOUDS[text.toLowerCase()] !== undefined) return undefined;
  return `unknown authority "${text}": use login.microsoftonline.com (public), login.microsoftonline.us (US Government), login.chinacloudapi.cn (China) or a full https:// URL`;
}

/** Graph URL: an https:// URL (no query); null = follow the authority. */
export function graphUrlProblem(value: unknown): string | undefined {
  if (value === null) return undefined;
  if (typeof value !== 'string' || httpsRoot(value.trim()) === null) return 'expected an https:// URL such as https://graph.microsoft.com (no /v1.0, no query string)';
  if (/\/v1\.0$|\/beta$/i.test(value.trim().replace(/\/+$/, ''))) return 'give the Graph root without the version (https://graph.microsoft.com, not …/v1.0)';
  return undefined;
}

/** The authority as an https:// base URL without trailing slash (`https://login.microsoftonline.com`). */
export function authorityUrlOf(config: Pick<EntraConfig, 'identityAuthority'>): string {
  const text = (config.identityAuthority || ENTRA_DEFAULTS.identityAuthority).trim();
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return httpsRoot(text) ?? text;
  return `https://${text.toLowerCase()}`;
}

/** True when the authority is one of Microsoft's clouds (instance discovery works); false for custom URLs. */
export function isKnownAuthority(config: Pick<EntraConfig, 'identityAuthority'>): boolean {
  const host = new URL(authorityUrlOf(config)).host.toLowerCase();
  return ENTRA_CLOUDS[host] !== undefined && new URL(authorityUrlOf(config)).pathname === '/';
}

/** The Graph root for this configuration (no trailing slash), or null when it cannot be derived. */
export function graphRootOf(config: Pick<EntraConfig, 'identityAuthority' | 'graphUrl'>): string | null {
  if (config.graphUrl !== null && config.graphUrl.trim() !== '') return httpsRoot(config.graphUrl.trim());
  let host: string;
  try {
    host = new URL(authorityUrlOf(config)).host.toLowerCase();
  } catch {
    return null;
  }
  return ENTRA_CLOUDS[host] ?? null;
}

/** Settable fields of the `entra` section (reference names plus dirconn's own). */
export const ENTRA_FIELDS: readonly ConfigField[] = [
  { key: 'entra.tenant', kind: 'string', defaultValue: null, check: tenantProblem, description: 'Tenant id (GUID) or verified domain (contoso.onmicrosoft.com). Required.' },
  { key: 'entra.applicationId', kind: 'string', defaultValue: null, check: applicationIdProblem, description: 'Application (client) id of the app registration (a GUID). Required.' },
  { key: 'entra.key', kind: 'secret', secret: true, defaultValue: null, description: 'Client secret of the app registration (stored in the secret store, never in the data file). Required unless entra.certificatePath is set.' },
  {
    key: 'entra.identityAuthority',
    kind: 'string',
    defaultValue: 'login.microsoftonline.com',
    check: authorityProblem,
    description: 'Sign-in authority: login.microsoftonline.com (public, default), login.microsoftonline.us (US Government), login.chinacloudapi.cn (China) or an https:// URL.',
  },
  {
    key: 'entra.graphUrl',
    kind: 'string',
    defaultValue: null,
    check: graphUrlProblem,
    description: 'Microsoft Graph root URL. Default: follows the authority (https://graph.microsoft.com, https://graph.microsoft.us, https://microsoftgraph.chinacloudapi.cn); set it for DoD (https://dod-graph.microsoft.us) or a custom authority.',
  },
  { key: 'entra.certificatePath', kind: 'path', defaultValue: null, description: 'PEM file with the app registration\'s certificate and its private key: certificate credentials instead of entra.key. Default none.' },
];

function fileProblem(path: string): string | undefined {
  if (!existsSync(path)) return `file not found: ${path}`;
  try {
    if (!statSync(path).isFile()) return `not a file: ${path}`;
    const pem = readFileSync(path, 'utf8');
    if (!/-----BEGIN CERTIFICATE-----/.test(pem)) return `${path} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`;
    if (!/-----BEGIN (?:RSA |EC |ENCRYPTED )?PRIVATE KEY-----/.test(pem)) return `${path} holds no PEM private key: put the certificate and its unencrypted private key in one file`;
    if (/-----BEGIN ENCRYPTED PRIVATE KEY-----/.test(pem)) return `${path} holds an encrypted private key; decrypt it (openssl pkey -in key.pem -out plain.pem) and protect the file with permissions instead`;
  } catch (error) {
    return `cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`;
  }
  return undefined;
}

/** Whole-configuration validation of an Entra source: everything needed to sign in and read. */
export function validateEntraConfig(config: EntraConfig, sync: SyncConfig, secretPresent: boolean): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const blank = (v: string | null): boolean => v === null || v.trim() === '';
  if (blank(config.tenant)) issues.push({ key: 'entra.tenant', message: 'the tenant id or domain is not set (Entra admin center → Overview → Tenant ID)' });
  else {
    const problem = tenantProblem(config.tenant?.trim() ?? null);
    if (problem) issues.push({ key: 'entra.tenant', message: problem });
  }
  if (blank(config.applicationId)) issues.push({ key: 'entra.applicationId', message: 'the application (client) id is not set (App registrations → your app → Overview)' });
  else {
    const problem = applicationIdProblem(config.applicationId?.trim() ?? null);
    if (problem) issues.push({ key: 'entra.applicationId', message: problem });
  }
  const authority = authorityProblem(config.identityAuthority);
  if (authority) issues.push({ key: 'entra.identityAuthority', message: authority });
  const graph = graphUrlProblem(config.graphUrl);
  if (graph) issues.push({ key: 'entra.graphUrl', message: graph });
  else if (!authority && graphRootOf(config) === null) {
    issues.push({ key: 'entra.graphUrl', message: 'a custom entra.identityAuthority needs entra.graphUrl (the Microsoft Graph root of that cloud)' });
  }
  const certificate = config.certificatePath?.trim() ?? '';
  if (certificate !== '') {
    const problem = fileProblem(certificate);
    if (problem) issues.push({ key: 'entra.certificatePath', message: problem });
  } else if (!secretPresent) {
    issues.push({ key: 'entra.key', message: 'no client secret is set and no certificate (entra.certificatePath) is configured' });
  }
  const userProblem = sync.userFilter ? checkEntraUserFilter(sync.userFilter) : undefined;
  if (userProblem) issues.push({ key: 'sync.userFilter', message: userProblem });
  const groupProblem = sync.groupFilter ? checkEntraGroupFilter(sync.groupFilter) : undefined;
  if (groupProblem) issues.push({ key: 'sync.groupFilter', message: groupProblem });
  return issues;
}
