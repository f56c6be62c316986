/**
 * Google Workspace source configuration (store key `directoryGsuite` in the reference,
 * reference-connector.md §3.3): the type, its defaults, the `google.*` config fields, the
 * service-account key file, and whole-config validation.
 *
 * Differences from the reference, on purpose (issue #10, directory-apis.md §6 row 7):
 * - `google.domain` is optional: with only `google.customer` set (the customer id or `my_customer`),
 *   users of every domain of the account are read. The reference always sends `domain`, which hides
 *   the users of secondary domains (reference #1193).
 * - `google.keyFile` takes the service-account JSON as Google hands it out: it fills the client email,
 *   provides the private key (stored as the secret when set through `dirconn config`) and keeps the
 *   file's `token_uri`.
 * - The token and API URLs are settable (other clouds, proxies that rewrite, and tests); plain http is
 *   accepted only for loopback hosts, so an access token never crosses a network in clear text.
 */
import { readFileSync } from 'node:fs';
import { DirconnError } from '@dirconn/core';
import type { ConfigField, ConfigIssue, SyncConfig } from '@dirconn/core';
import { cloudFilterChecker, parseCloudFilter, type CloudFilter } from '../shared/set-filter.js';
import { urlProblem } from '../shared/cloud-url.js';

export { urlProblem };

/** Google's OAuth 2.0 token endpoint (the default `token_uri` of service-account key files). */
export const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';
/** The Admin SDK API root. */
export const GOOGLE_ROOT_URL = 'https://admin.googleapis.com';

/** The Google Workspace source configuration as stored (the private key is a secret and is never here). */
export type GoogleConfig = {
  /** Primary domain; when set, reads are restricted to it (reference behaviour). Optional when `customer` is set. */
  domain: string | null;
  /** Customer id (`C0abc123`) or `my_customer`; alone, every domain of the account is read. Optional when `domain` is set. */
  customer: string | null;
  /** The administrator impersonated through domain-wide delegation (the JWT `sub`). Required. */
  adminUser: string | null;
  /** Service-account email (`client_email` of the key file). Required unless `keyFile` gives it. */
  clientEmail: string | null;
  /** Path of the service-account key file (JSON). Default none. */
  keyFile: string | null;
  /** OAuth token endpoint. Default: the key file's `token_uri`, else {@link GOOGLE_TOKEN_URL}. */
  tokenUrl: string | null;
  /** Admin SDK API root. Default {@link GOOGLE_ROOT_URL}. */
  rootUrl: string;
};

/** Defaults of a new Google Workspace configuration. */
export const GOOGLE_DEFAULTS: GoogleConfig = {
  domain: null,
  customer: null,
  adminUser: null,
  clientEmail: null,
  keyFile: null,
  tokenUrl: null,
  rootUrl: GOOGLE_ROOT_URL,
};

/** Settable fields of the `google` section. */
export const GOOGLE_FIELDS: readonly ConfigField[] = [
  {
    key: 'google.domain',
    kind: 'string',
    defaultValue: null,
    description: 'Primary domain, e.g. example.com. When set, only this domain is read; leave it empty and set google.customer to read every domain of the account.',
  },
  {
    key: 'google.customer',
    kind: 'string',
    defaultValue: null,
    description: 'Customer id (Admin console → Account settings, e.g. C01abc2de) or my_customer. Alone, every domain of the account is read.',
  },
  {
    key: 'google.adminUser',
    kind: 'string',
    defaultValue: null,
    description: 'Administrator the service account acts as (domain-wide delegation), e.g. admin@example.com. Required.',
    check: (v) => (typeof v === 'string' && !/^[^@\s]+@[^@\s]+$/.test(v) ? 'an email address such as admin@example.com' : undefined),
  },
  {
    key: 'google.clientEmail',
    kind: 'string',
    defaultValue: null,
    description: 'Service-account email (client_email of the key file), e.g. dirconn@project.iam.gserviceaccount.com. Filled by google.keyFile.',
  },
  {
    key: 'google.privateKey',
    kind: 'secret',
    secret: true,
    defaultValue: null,
    description: 'Service-account private key (PEM, or the whole key file JSON). Filled by google.keyFile. Secret: --secretfile, --secretenv or --prompt.',
  },
  {
    key: 'google.keyFile',
    kind: 'path',
    defaultValue: null,
    description: 'Service-account key file (JSON) downloaded from Google Cloud: fills google.clientEmail and the private key, and keeps its token_uri.',
  },
  {
    key: 'google.tokenUrl',
    kind: 'url',
    defaultValue: null,
    description: `OAuth token endpoint. Default: the key file's token_uri, else ${GOOGLE_TOKEN_URL}.`,
  },
  {
    key: 'google.rootUrl',
    kind: 'url',
    defaultValue: GOOGLE_ROOT_URL,
    description: `Admin SDK API root. Default ${GOOGLE_ROOT_URL}.`,
  },
];

/** The Google filter options: set clause plus a native Google `query` (reference §5.2). */
const GOOGLE_FILTER = { nativeQuery: true, example: "include:alice@example.com|orgUnitPath='/Sales'" } as const;

/** Parses a Google user or group filter (`include:a,b|<query>`). @throws config.invalid */
export function parseGoogleFilter(text: string | null | undefined, key: string): CloudFilter {
  return parseCloudFilter(text, { ...GOOGLE_FILTER, key });
}

/** Syntax check of a Google filter; returns the problem or undefined. */
export const checkGoogleFilter = cloudFilterChecker(GOOGLE_FILTER);

/** What a service-account key file provides. */
export interface ServiceAccountKey {
  clientEmail: string;
  /** PEM private key (never printed). */
  privateKey: string;
  /** The file's `token_uri`, or null. */
  tokenUri: string | null;
}

/**
 * Parses a service-account key file's JSON. Messages name the file and the missing field, never the
 * content (it holds the private key).
 * @throws config.invalid
 */
export function parseServiceAccountKey(text: string, source: string): ServiceAccountKey {
  const invalid = (why: string): DirconnError =>
    new DirconnError('config.invalid', `The Google service-account key ${source} is invalid: ${why}.`, {
      hint: 'Download a JSON key for the service account (Google Cloud console → IAM → Service accounts → Keys → Add key → JSON) and set it with "dirconn config google.keyFile <path>".',
    });
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw invalid('not JSON');
  }
  if (typeof doc !== 'object' || doc === null) throw invalid('expected a JSON object');
  const record = doc as Record<string, unknown>;
  if (record['type'] !== undefined && record['type'] !== 'service_account') throw invalid(`its type is ${JSON.stringify(record['type'])}, not service_account`);
  const clientEmail = record['client_email'];
  const privateKey = record['private_key'];
  const tokenUri = record['token_uri'];
  if (typeof clientEmail !== 'string' || clientEmail.trim() === '') throw invalid('it has no client_email');
  if (typeof privateKey !== 'string' || !privateKey.includes('PRIVATE KEY')) throw invalid('it has no private_key');
  return {
    clientEmail: clientEmail.trim(),
    privateKey: normalizePrivateKey(privateKey),
    tokenUri: typeof tokenUri === 'string' && tokenUri.trim() !== '' ? tokenUri.trim() : null,
  };
}

/** Reads and parses a key file. @throws config.invalid naming the file */
export function readServiceAccountKey(path: string, read: (path: string) => string = (p) => readFileSync(p, 'utf8')): ServiceAccountKey {
  let text: string;
  try {
    text = read(path);
  } catch (error) {
    const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
    throw new DirconnError('config.invalid', `Cannot read the Google service-account key file ${path}${typeof code === 'string' ? ` (${code})` : ''}.`, {
      hint: 'Check google.keyFile: the file must exist and be readable by the user running dirconn.',
      cause: error,
    });
  }
  return parseServiceAccountKey(text, path);
}

/**
 * The private key as Google needs it (reference §3.3): leading whitespace trimmed and literal `\n`
 * sequences (a key pasted from JSON) turned into newlines. A whole key file pasted as the secret is
 * accepted too: its `private_key` is used.
 */
export function normalizePrivateKey(secret: string): string {
  const text = secret.trim();
  if (text.startsWith('{')) return parseServiceAccountKey(text, 'in google.privateKey').privateKey;
  return `${text.replace(/\\n/g, '\n').trim()}\n`;
}

/** The client email a whole key file given as the secret carries, or null (the secret is a bare PEM). */
export function clientEmailInSecret(secret: string | null): string | null {
  if (secret === null || !secret.trim().startsWith('{')) return null;
  return parseServiceAccountKey(secret.trim(), 'in google.privateKey').clientEmail;
}

/** Whole-config validation of the Google source. `readKey` is injectable for tests. */
export function validateGoogleConfig(
  config: GoogleConfig,
  sync: SyncConfig,
  secretPresent: boolean,
  readKey: (path: string) => ServiceAccountKey = (p) => readServiceAccountKey(p),
): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const blank = (v: string | null): boolean => v === null || v.trim() === '';
  if (blank(config.adminUser)) issues.push({ key: 'google.adminUser', message: 'required: the administrator the service account acts as (domain-wide delegation)' });
  if (blank(config.domain) && blank(config.customer)) {
    issues.push({ key: 'google.customer', message: 'set google.customer (or my_customer) to read every domain of the account, or google.domain to read one domain' });
  }
  let key: ServiceAccountKey | null = null;
  if (!blank(config.keyFile)) {
    try {
      key = readKey((config.keyFile ?? '').trim());
    } catch (error) {
      issues.push({ key: 'google.keyFile', message: error instanceof Error ? error.message : String(error) });
    }
  }
  if (key !== null && !blank(config.clientEmail) && key.clientEmail.toLowerCase() !== (config.clientEmail ?? '').trim().toLowerCase()) {
    issues.push({ key: 'google.clientEmail', message: `${config.clientEmail ?? ''} does not match the key file's client_email ${key.clientEmail}` });
  }
  if (blank(config.keyFile)) {
    if (blank(config.clientEmail)) issues.push({ key: 'google.clientEmail', message: 'required: the service-account email (or set google.keyFile)' });
    if (!secretPresent) issues.push({ key: 'google.privateKey', message: 'not set: give the key with --secretfile/--secretenv/--prompt, DIRCONN_GOOGLE_PRIVATE_KEY[_FILE], or set google.keyFile' });
  }
  for (const [name, value] of [['google.tokenUrl', config.tokenUrl], ['google.rootUrl', config.rootUrl]] as const) {
    const problem = value === null || value.trim() === '' ? undefined : urlProblem(value.trim());
    if (problem) issues.push({ key: name, message: problem });
  }
  for (const name of ['userFilter', 'groupFilter'] as const) {
    const problem = sync[name] ? checkGoogleFilter(sync[name] ?? '') : undefined;
    if (problem) issues.push({ key: `sync.${name}`, message: problem });
  }
  return issues;
}
