/**
 * LDAP / Active Directory source configuration (store key `directoryLdap` in the reference,
 * reference-connector.md §3.1): the type, its defaults, the `ldap.*` config fields and whole-config
 * validation.
 *
 * Differences from the reference, on purpose (reference §3.1 and §13.5 quirks):
 * - `startTls=true` alone means "StartTLS over ldap://". The reference only honours it together with
 *   `ssl=true` and otherwise connects in plain text without a word. `ssl` and `startTls` together mean
 *   the same thing (StartTLS), so reference configurations keep working.
 * - A certificate file that is configured but missing is an error naming the file (the reference
 *   ignores it silently), and a client certificate without its key (or the reverse) is an error.
 * - StartTLS uses `tlsCaPath` and falls back to `sslCaPath`; the client certificate and key
 *   (`sslCertPath`/`sslKeyPath`) are used for LDAPS and StartTLS alike.
 * - `ad` keeps the reference default `true` so imported and new configurations behave like the
 *   reference, but the AD attribute defaults are applied only when `ldap` is the chosen directory
 *   (core calls `normalizeSync` of the chosen source only), never to an Okta or Google config.
 */
import { existsSync, statSync } from 'node:fs';
import { FilterParser } from 'ldapts';
import type { ConfigField, ConfigIssue, SyncConfig } from '@dirconn/core';

/** Which attribute becomes the Bitwarden `externalId` of users and groups. */
export type ExternalIdAttribute = 'auto' | 'dn' | 'entryUUID' | 'objectGUID' | 'ipaUniqueID' | 'nsUniqueId';

/** The allowed values of `ldap.externalIdAttribute`. */
export const EXTERNAL_ID_ATTRIBUTES: readonly ExternalIdAttribute[] = ['auto', 'dn', 'entryUUID', 'objectGUID', 'ipaUniqueID', 'nsUniqueId'];

/**
 * The LDAP source configuration as stored (the bind password is a secret and is never part of it;
 * the provider receives it separately).
 */
export type LdapConfig = {
  /** Server host name or IP address, without scheme or port. Required. */
  hostname: string | null;
  /** TCP port. Default 389 (use 636 for LDAPS). */
  port: number;
  /** Encrypted connection: LDAPS (`ldaps://`) unless `startTls` is also set. Default false. */
  ssl: boolean;
  /** Upgrade a plain `ldap://` connection with StartTLS (with or without `ssl`). Default false. */
  startTls: boolean;
  /** PEM CA bundle trusted for StartTLS (falls back to `sslCaPath`). Default none (system CAs). */
  tlsCaPath: string | null;
  /** PEM CA bundle trusted for LDAPS (and StartTLS when `tlsCaPath` is unset). Default none. */
  sslCaPath: string | null;
  /** PEM client certificate for mutual TLS (needs `sslKeyPath`). Default none. */
  sslCertPath: string | null;
  /** PEM private key of the client certificate. Default none. */
  sslKeyPath: string | null;
  /** Do not verify the server certificate (not recommended). Default false. */
  sslAllowUnauthorized: boolean;
  /** Base DN, e.g. `dc=example,dc=com` (search base rules: reference §6.1.1). Required. */
  rootPath: string | null;
  /** Bind name: a DN, `DOMAIN\user` or a UPN (`user@example.com`), sent as-is in a simple bind. Required. */
  username: string | null;
  /** The server is Active Directory: AD attribute defaults, objectGUID ids, deleted-user detection. Default true (reference). */
  ad: boolean;
  /** Use the paged-results control (always on for AD). Default true. */
  pagedSearch: boolean;
  /** Windows domain; not used for reading, part of the secret's identity (reference). Default none. */
  domain: string | null;
  /** Attribute used as externalId. `auto`: objectGUID when present, else the DN (reference). Default `auto`. */
  externalIdAttribute: ExternalIdAttribute;
  /** Server-side time limit per search, in seconds (0 = none). Default 300 (reference). */
  searchTimeLimit: number;
  /** Entries per page of a paged search. Default 500. */
  pageSize: number;
  /** TCP/TLS connect timeout, in seconds. Default 15. */
  connectTimeout: number;
  /** Follow referrals and continuation references to other servers (bind again there). Default false. */
  followReferrals: boolean;
};

/** Defaults of a new LDAP configuration. */
export const LDAP_DEFAULTS: LdapConfig = {
  hostname: null,
  port: 389,
  ssl: false,
  startTls: false,
  tlsCaPath: null,
  sslCaPath: null,
  sslCertPath: null,
  sslKeyPath: null,
  sslAllowUnauthorized: false,
  rootPath: null,
  username: null,
  ad: true,
  pagedSearch: true,
  domain: null,
  externalIdAttribute: 'auto',
  searchTimeLimit: 300,
  pageSize: 500,
  connectTimeout: 15,
  followReferrals: false,
};

const hostnameCheck = (value: unknown): string | undefined => {
  if (value === null) return undefined;
  if (typeof value !== 'string') return 'expected a host name';
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return 'give the host name only (no ldap:// or ldaps://); choose the protocol with ldap.ssl / ldap.startTls';
  if (/[\s/]/.test(value)) return 'expected a host name or IP address without spaces or slashes';
  return undefined;
};

/** Settable fields of the `ldap` section (reference names plus dirconn's own). */
export const LDAP_FIELDS: readonly ConfigField[] = [
  { key: 'ldap.hostname', kind: 'string', defaultValue: null, check: hostnameCheck, description: 'LDAP/AD server host name or IP address (no scheme, no port). Required.' },
  { key: 'ldap.port', kind: 'integer', min: 1, max: 65535, defaultValue: 389, description: 'TCP port. Default 389 (LDAPS usually 636).' },
  { key: 'ldap.ssl', kind: 'boolean', defaultValue: false, description: 'Encrypted connection: LDAPS (ldaps://) unless ldap.startTls is also true. Default false.' },
  { key: 'ldap.startTls', kind: 'boolean', defaultValue: false, description: 'Use StartTLS on the plain LDAP port (works with or without ldap.ssl). Default false.' },
  { key: 'ldap.tlsCaPath', kind: 'path', defaultValue: null, description: 'PEM CA bundle trusted for StartTLS (falls back to ldap.sslCaPath). Default: system CAs.' },
  { key: 'ldap.sslCaPath', kind: 'path', defaultValue: null, description: 'PEM CA bundle trusted for LDAPS (and StartTLS without ldap.tlsCaPath). Default: system CAs.' },
  { key: 'ldap.sslCertPath', kind: 'path', defaultValue: null, description: 'PEM client certificate for mutual TLS (LDAPS or StartTLS); needs ldap.sslKeyPath. Default none.' },
  { key: 'ldap.sslKeyPath', kind: 'path', defaultValue: null, description: 'PEM private key of ldap.sslCertPath. Default none.' },
  { key: 'ldap.sslAllowUnauthorized', kind: 'boolean', defaultValue: false, description: 'Do not verify the server certificate (not recommended; prefer ldap.sslCaPath). Default false.' },
  { key: 'ldap.rootPath', kind: 'dn', defaultValue: null, description: 'Base DN, e.g. dc=example,dc=com. Required. Text before the first dc= is ignored (reference behaviour); a base without dc= is used whole.' },
  { key: 'ldap.username', kind: 'string', defaultValue: null, description: 'Bind name: a DN (cn=reader,dc=example,dc=com), DOMAIN\\user or user@example.com. Required.' },
  { key: 'ldap.password', kind: 'secret', secret: true, defaultValue: null, description: 'Bind password (stored in the secret store, never in the data file). Required.' },
  { key: 'ldap.ad', kind: 'boolean', defaultValue: true, description: 'The server is Active Directory: AD attribute defaults (applied only when directory is ldap), objectGUID ids, deleted-user detection. Default true.' },
  { key: 'ldap.pagedSearch', kind: 'boolean', defaultValue: true, description: 'Use the paged-results control (always on for AD). Default true.' },
  { key: 'ldap.domain', kind: 'string', defaultValue: null, description: 'Windows domain name; not used for reading (reference compatibility). Default none.' },
  { key: 'ldap.externalIdAttribute', kind: 'enum', values: EXTERNAL_ID_ATTRIBUTES, defaultValue: 'auto', description: 'Attribute used as externalId: auto (objectGUID when present, else the DN; reference), dn, entryUUID, objectGUID, ipaUniqueID, nsUniqueId. Default auto.' },
  { key: 'ldap.searchTimeLimit', kind: 'integer', min: 0, defaultValue: 300, description: 'Server time limit per search in seconds (0 = none); hitting it fails the read. Default 300.' },
  { key: 'ldap.pageSize', kind: 'integer', min: 1, max: 100000, defaultValue: 500, description: 'Entries per page of a paged search. Default 500.' },
  { key: 'ldap.connectTimeout', kind: 'integer', min: 1, max: 600, defaultValue: 15, description: 'TCP/TLS connect timeout in seconds. Default 15.' },
  { key: 'ldap.followReferrals', kind: 'boolean', defaultValue: false, description: 'Follow referrals and continuation references to other servers, binding there with the same credentials. Default false.' },
];

/** How the connection is secured, derived from `ssl` and `startTls`. */
export type LdapTransport = 'plain' | 'ldaps' | 'starttls';

/** `startTls` (with or without `ssl`) → StartTLS; `ssl` alone → LDAPS; neither → plain LDAP. */
export function transportOf(config: Pick<LdapConfig, 'ssl' | 'startTls'>): LdapTransport {
  if (config.startTls) return 'starttls';
  return config.ssl ? 'ldaps' : 'plain';
}

/** A certificate file the chosen transport will read, with the config key it comes from. */
export interface TlsFile {
  key: 'ldap.tlsCaPath' | 'ldap.sslCaPath' | 'ldap.sslCertPath' | 'ldap.sslKeyPath';
  role: 'ca' | 'cert' | 'key';
  path: string;
}

const blank = (v: string | null | undefined): boolean => v === null || v === undefined || v.trim() === '';

/** The certificate files used for this configuration's transport (none for plain LDAP). */
export function tlsFilesOf(config: LdapConfig): TlsFile[] {
  const transport = transportOf(config);
  if (transport === 'plain') return [];
  const files: TlsFile[] = [];
  if (transport === 'starttls' && !blank(config.tlsCaPath)) files.push({ key: 'ldap.tlsCaPath', role: 'ca', path: (config.tlsCaPath ?? '').trim() });
  else if (!blank(config.sslCaPath)) files.push({ key: 'ldap.sslCaPath', role: 'ca', path: (config.sslCaPath ?? '').trim() });
  if (!blank(config.sslCertPath)) files.push({ key: 'ldap.sslCertPath', role: 'cert', path: (config.sslCertPath ?? '').trim() });
  if (!blank(config.sslKeyPath)) files.push({ key: 'ldap.sslKeyPath', role: 'key', path: (config.sslKeyPath ?? '').trim() });
  return files;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes runs of hex-escaped bytes that form UTF-8 text (`J\c3\bcrgen` → `Jürgen`). ldapts's filter
 * parser turns each `\xx` into one character and re-encodes it as UTF-8, which garbles such values;
 * the decoded form is equivalent and encodes correctly. Other escapes are left alone.
 */
export function decodeUtf8Escapes(filter: string): string {
  return filter.replace(/(?:\\[89a-fA-F][0-9a-fA-F])+/g, (run) => {
    const bytes = Buffer.from(run.replace(/\\/g, ''), 'hex');
    try {
      return utf8.decode(bytes);
    } catch {
      return run; // not text (binary); checkLdapFilter reports it
    }
  });
}

/**
 * Normalises an admin's filter text the way it is used in searches: trimmed, wrapped in parentheses
 * when it has none (`cn=x` → `(cn=x)`), UTF-8 escapes decoded. Several filters in a row
 * (`(a=1)(b=2)`) are kept: the reference appends the text inside an AND, so they are ANDed.
 */
export function normalizeFilterText(filter: string): string {
  const text = decodeUtf8Escapes(filter.trim());
  return text.startsWith('(') ? text : `(${text})`;
}

/**
 * Splits filter text into its top-level parenthesised filters, checking that parentheses balance
 * (ldapts's parser accepts some unbalanced input, e.g. a missing final `)` after an AND). Values
 * cannot contain raw parentheses (RFC 4515 escapes them as \28 / \29), so counting is exact.
 */
function topLevelFilters(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '(') {
      if (depth === 0) start = i;
      depth++;
    } else if (c === ')') {
      depth--;
      if (depth < 0) throw new Error(`unbalanced parentheses: the ")" at position ${i + 1} closes nothing`);
      if (depth === 0) parts.push(text.slice(start, i + 1));
    } else if (depth === 0 && !/\s/.test(c ?? '')) {
      throw new Error(`text outside parentheses at position ${i + 1}`);
    }
  }
  if (depth > 0) throw new Error(`unbalanced parentheses: ${depth} "(" not closed`);
  return parts;
}

/**
 * Syntax check of a user or group filter: parentheses must balance, and each top-level filter must
 * parse with ldapts's filter parser (the same parser that encodes the search). Returns the problem,
 * quoting the parser's complaint, or undefined when the filter is valid.
 */
export function checkLdapFilter(filter: string): string | undefined {
  if (filter.trim() === '') return undefined;
  try {
    const text = normalizeFilterText(filter);
    for (const part of topLevelFilters(text)) FilterParser.parseString(part);
    const binary = /\\[89a-fA-F][0-9a-fA-F]/.exec(text);
    if (binary) throw new Error(`escaped bytes that are not UTF-8 text (${binary[0]}…) cannot be sent correctly by the LDAP library; match binary attributes such as objectGUID another way`);
  } catch (error) {
    const complaint = error instanceof Error ? error.message : String(error);
    return `not a valid LDAP filter: ${complaint} (expected RFC 4515 syntax such as (&(givenName=John)(|(l=Dallas)(l=Austin))))`;
  }
  return undefined;
}

function fileProblem(path: string): string | undefined {
  if (!existsSync(path)) return `file not found: ${path}`;
  try {
    if (!statSync(path).isFile()) return `not a file: ${path}`;
  } catch (error) {
    return `cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`;
  }
  return undefined;
}

/**
 * Whole-configuration validation of an LDAP source. `sync` is the effective sync config (after
 * `normalizeSync`); AD defaults are applied here too so un-normalised input validates the same.
 */
export function validateLdapConfig(config: LdapConfig, sync: SyncConfig, secretPresent: boolean, normalize: (s: SyncConfig) => SyncConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const effective = normalize(sync);
  if (blank(config.hostname)) issues.push({ key: 'ldap.hostname', message: 'the server host name is not set' });
  else {
    const problem = hostnameCheck(config.hostname?.trim() ?? null);
    if (problem) issues.push({ key: 'ldap.hostname', message: problem });
  }
  if (!Number.isInteger(config.port) || config.port < 1 || config.port > 65535) {
    issues.push({ key: 'ldap.port', message: `expected a port between 1 and 65535, got ${String(config.port)}` });
  }
  if (blank(config.rootPath)) issues.push({ key: 'ldap.rootPath', message: 'the base DN is not set (e.g. dc=example,dc=com)' });
  if (blank(config.username)) issues.push({ key: 'ldap.username', message: 'the bind user is not set (a DN, DOMAIN\\user or user@domain); anonymous bind is not supported' });
  if (!secretPresent) issues.push({ key: 'ldap.password', message: 'the bind password is not set (anonymous bind is not supported)' });
  if (!EXTERNAL_ID_ATTRIBUTES.includes(config.externalIdAttribute)) {
    issues.push({ key: 'ldap.externalIdAttribute', message: `expected one of ${EXTERNAL_ID_ATTRIBUTES.join(', ')}` });
  }
  if (!Number.isInteger(config.pageSize) || config.pageSize < 1) issues.push({ key: 'ldap.pageSize', message: 'expected a whole number of at least 1' });
  if (!Number.isInteger(config.searchTimeLimit) || config.searchTimeLimit < 0) issues.push({ key: 'ldap.searchTimeLimit', message: 'expected a whole number of seconds (0 = no limit)' });
  if (!(config.connectTimeout > 0)) issues.push({ key: 'ldap.connectTimeout', message: 'expected a number of seconds greater than 0' });

  const files = tlsFilesOf(config);
  for (const file of files) {
    const problem = fileProblem(file.path);
    if (problem) issues.push({ key: file.key, message: problem });
  }
  if (transportOf(config) !== 'plain') {
    const hasCert = files.some((f) => f.role === 'cert');
    const hasKey = files.some((f) => f.role === 'key');
    if (hasCert && !hasKey) issues.push({ key: 'ldap.sslKeyPath', message: 'a client certificate (ldap.sslCertPath) is set without its private key' });
    if (hasKey && !hasCert) issues.push({ key: 'ldap.sslCertPath', message: 'a client key (ldap.sslKeyPath) is set without its certificate' });
  }

  for (const key of ['userFilter', 'groupFilter'] as const) {
    const filter = effective[key];
    if (filter !== null && filter.trim() !== '') {
      const problem = checkLdapFilter(filter);
      if (problem) issues.push({ key: `sync.${key}`, message: problem });
    }
  }
  if (effective.users || effective.groups) {
    // Group membership is resolved against the user scope, so the user class matters for both.
    if (blank(effective.userObjectClass)) issues.push({ key: 'sync.userObjectClass', message: 'the user object class is not set (e.g. inetOrgPerson, or person for AD)' });
  }
  if (effective.users) {
    const prefixSuffix = effective.useEmailPrefixSuffix && !blank(effective.emailPrefixAttribute) && !blank(effective.emailSuffix);
    if (blank(effective.userEmailAttribute) && !prefixSuffix) {
      issues.push({ key: 'sync.userEmailAttribute', message: 'no email attribute is set (e.g. mail) and no prefix+suffix is configured, so no user would have an email' });
    }
  }
  if (effective.useEmailPrefixSuffix) {
    if (blank(effective.emailPrefixAttribute)) issues.push({ key: 'sync.emailPrefixAttribute', message: 'sync.useEmailPrefixSuffix is on but no prefix attribute is set (e.g. uid or sAMAccountName)' });
    if (blank(effective.emailSuffix)) issues.push({ key: 'sync.emailSuffix', message: 'sync.useEmailPrefixSuffix is on but no suffix is set (e.g. @example.com)' });
  }
  if (effective.groups) {
    if (blank(effective.groupObjectClass)) issues.push({ key: 'sync.groupObjectClass', message: 'the group object class is not set (e.g. groupOfNames, posixGroup, or group for AD)' });
    if (blank(effective.memberAttribute)) issues.push({ key: 'sync.memberAttribute', message: 'the member attribute is not set (member, uniqueMember or memberUid)' });
  }
  return issues;
}
