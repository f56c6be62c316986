/**
 * Okta source configuration (store key `directoryOkta` in the reference, reference-connector.md §3.4):
 * the type, its defaults, the `okta.*` config fields, the filter syntax and whole-config validation.
 *
 * Differences from the reference, on purpose (issue #11):
 * - A trailing slash in `okta.orgUrl` is accepted (the reference then calls `//api/v1`).
 * - Besides the API token (`Authorization: SSWS`), an OAuth 2.0 service app can be used:
 *   `okta.clientId` + `okta.privateKeyPath` (private-key JWT, scopes `okta.users.read okta.groups.read`).
 * - `okta.rateLimitShare` caps the share of each rate-limit bucket dirconn uses, so the admin's other
 *   integrations keep working while a sync runs.
 * - The native query may be an Okta `search` expression (`search:<expr>`) as well as a `filter`.
 */
import type { ConfigField, ConfigIssue, SyncConfig } from '@dirconn/core';
import { urlProblem } from '../shared/cloud-url.js';
import { cloudFilterChecker, parseCloudFilter, type SetFilter } from '../shared/set-filter.js';

/** The scopes the OAuth service app is granted (read-only). */
export const OKTA_OAUTH_SCOPES = ['okta.users.read', 'okta.groups.read'] as const;

/** The Okta source configuration as stored (the API token is a secret and is never here). */
export type OktaConfig = {
  /** The org's URL, e.g. `https://acme.okta.com` (a trailing slash is accepted). Required. */
  orgUrl: string | null;
  /** OAuth service app client id; with `privateKeyPath`, used instead of the API token. Default none. */
  clientId: string | null;
  /** PEM private key of the OAuth service app (RS256). Default none. */
  privateKeyPath: string | null;
  /** Key id (`kid`) of that key as registered in Okta. Default none (Okta then tries every key of the app). */
  keyId: string | null;
  /** Percent of each Okta rate-limit bucket dirconn may use (1–100). Default 50. */
  rateLimitShare: number;
};

/** Defaults of a new Okta configuration. */
export const OKTA_DEFAULTS: OktaConfig = { orgUrl: null, clientId: null, privateKeyPath: null, keyId: null, rateLimitShare: 50 };

/** Settable fields of the `okta` section. */
export const OKTA_FIELDS: readonly ConfigField[] = [
  { key: 'okta.orgUrl', kind: 'url', defaultValue: null, description: 'The Okta org URL, e.g. https://acme.okta.com (a trailing slash is accepted). Required.' },
  {
    key: 'okta.token',
    kind: 'secret',
    secret: true,
    defaultValue: null,
    description: 'Okta API token (Security → API → Tokens), created by a read-only administrator; sent as "Authorization: SSWS". Secret: --secretfile, --secretenv or --prompt.',
  },
  {
    key: 'okta.clientId',
    kind: 'string',
    defaultValue: null,
    description: 'Client id of an Okta API service app (instead of a token): public key/private key client authentication, granted okta.users.read and okta.groups.read.',
  },
  { key: 'okta.privateKeyPath', kind: 'path', defaultValue: null, description: 'PEM private key (RSA) of the Okta service app named by okta.clientId.' },
  { key: 'okta.keyId', kind: 'string', defaultValue: null, description: 'Key id (kid) of the service app key, as shown in the Okta admin console. Optional.' },
  {
    key: 'okta.rateLimitShare',
    kind: 'integer',
    min: 1,
    max: 100,
    defaultValue: 50,
    description: "Percent of each Okta rate-limit bucket dirconn may use; the rest is left to the org's other integrations. Default 50.",
  },
];

/** Which Okta list parameter carries the native query. */
export type OktaQueryKind = 'filter' | 'search';

/** A parsed Okta user or group filter. */
export interface OktaFilter {
  set: SetFilter | null;
  /** The native query and whether it is a `filter` or a `search` expression, or null. */
  query: { kind: OktaQueryKind; text: string } | null;
}

const OKTA_FILTER = { nativeQuery: true, example: 'include:alice@example.com|profile.lastName eq "Smith"' } as const;

/**
 * Parses `include:a,b|<query>` where `<query>` is an Okta `filter` expression, or `search:<expr>` for
 * Okta's richer (eventually consistent) `search`. @throws config.invalid
 */
export function parseOktaFilter(text: string | null | undefined, key: string): OktaFilter {
  const parsed = parseCloudFilter(text, { ...OKTA_FILTER, key });
  if (parsed.query === null) return { set: parsed.set, query: null };
  const search = /^search\s*:/i.exec(parsed.query);
  if (search) {
    const expression = parsed.query.slice(search[0].length).trim();
    return { set: parsed.set, query: expression === '' ? null : { kind: 'search', text: expression } };
  }
  return { set: parsed.set, query: { kind: 'filter', text: parsed.query } };
}

/** The `filter`/`search` parameters of a native query. */
export function queryParams(query: OktaFilter['query']): Record<string, string | null> {
  if (query === null) return {};
  return query.kind === 'search' ? { search: query.text } : { filter: query.text };
}

/** Syntax check of an Okta filter; returns the problem or undefined. */
export const checkOktaFilter = cloudFilterChecker(OKTA_FILTER);

/** The org URL without trailing slashes (`https://acme.okta.com`). */
export function orgBase(orgUrl: string | null): string {
  return (orgUrl ?? '').trim().replace(/\/+$/, '');
}

/** True when the OAuth service app is configured (it then takes precedence over a token). */
export function usesOAuth(config: Pick<OktaConfig, 'clientId' | 'privateKeyPath'>): boolean {
  return Boolean(config.clientId?.trim() && config.privateKeyPath?.trim());
}

/** Whole-config validation of the Okta source. */
export function validateOktaConfig(config: OktaConfig, sync: SyncConfig, secretPresent: boolean): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const base = orgBase(config.orgUrl);
  if (base === '') issues.push({ key: 'okta.orgUrl', message: 'required: the Okta org URL, e.g. https://acme.okta.com' });
  else {
    const problem = urlProblem(base);
    if (problem) issues.push({ key: 'okta.orgUrl', message: problem });
    else if (/\/api\/v1$/i.test(base)) issues.push({ key: 'okta.orgUrl', message: `give the org URL without /api/v1 (${base.replace(/\/api\/v1$/i, '')})` });
  }
  const hasClient = Boolean(config.clientId?.trim());
  const hasKey = Boolean(config.privateKeyPath?.trim());
  if (hasClient !== hasKey) {
    issues.push(hasClient ? { key: 'okta.privateKeyPath', message: 'required with okta.clientId: the service app private key (PEM)' } : { key: 'okta.clientId', message: 'required with okta.privateKeyPath: the service app client id' });
  } else if (!hasClient && !secretPresent) {
    issues.push({ key: 'okta.token', message: 'not set: give the API token with --secretfile/--secretenv/--prompt or DIRCONN_OKTA_TOKEN[_FILE], or set okta.clientId and okta.privateKeyPath' });
  }
  if (!Number.isInteger(config.rateLimitShare) || config.rateLimitShare < 1 || config.rateLimitShare > 100) {
    issues.push({ key: 'okta.rateLimitShare', message: 'a whole number of percent from 1 to 100' });
  }
  for (const name of ['userFilter', 'groupFilter'] as const) {
    const problem = sync[name] ? checkOktaFilter(sync[name] ?? '') : undefined;
    if (problem) issues.push({ key: `sync.${name}`, message: problem });
  }
  return issues;
}
