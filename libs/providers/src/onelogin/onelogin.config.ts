/**
 * OneLogin source configuration (store key `directoryOnelogin` in the reference, reference-connector.md
 * §3.5): the type, its defaults, the `onelogin.*` config fields, the filter syntax and whole-config
 * validation.
 *
 * Differences from the reference, on purpose (issue #11):
 * - `onelogin.baseUrl` overrides `https://api.<region>.onelogin.com` (branded hosts, tests).
 * - The native query (text after `|`) is checked before any request: it must be `name=value` pairs,
 *   and the paging parameters (`cursor`, `page`, `limit`) and `fields` are refused — the first
 *   would break paging, `fields` could drop the email or status dirconn needs.
 */
import { DirconnError } from '@dirconn/core';
import type { ConfigField, ConfigIssue, SyncConfig } from '@dirconn/core';
import { urlProblem } from '../shared/cloud-url.js';
import { parseCloudFilter, type SetFilter } from '../shared/set-filter.js';

/** OneLogin regions (the API host `api.<region>.onelogin.com`). */
export const ONELOGIN_REGIONS = ['us', 'eu'] as const;

/** The OneLogin source configuration as stored (the client secret is a secret and is never here). */
export type OneLoginConfig = {
  /** Client id of the API credential. Required. */
  clientId: string | null;
  /** `us` (default) or `eu`. */
  region: string;
  /** Overrides `https://api.<region>.onelogin.com` (a branded host, a test server). Default none. */
  baseUrl: string | null;
};

/** Defaults of a new OneLogin configuration. */
export const ONELOGIN_DEFAULTS: OneLoginConfig = { clientId: null, region: 'us', baseUrl: null };

/** Settable fields of the `onelogin` section. */
export const ONELOGIN_FIELDS: readonly ConfigField[] = [
  { key: 'onelogin.clientId', kind: 'string', defaultValue: null, description: 'Client id of the OneLogin API credential (Administration → Developers → API Credentials), with the "Read users" scope. Required.' },
  {
    key: 'onelogin.clientSecret',
    kind: 'secret',
    secret: true,
    defaultValue: null,
    description: 'Client secret of that API credential. Secret: --secretfile, --secretenv or --prompt (or DIRCONN_ONELOGIN_SECRET[_FILE]).',
  },
  { key: 'onelogin.region', kind: 'enum', values: ONELOGIN_REGIONS, defaultValue: 'us', description: 'Region of the OneLogin account: us (default) or eu; the API host is https://api.<region>.onelogin.com.' },
  {
    key: 'onelogin.baseUrl',
    kind: 'url',
    defaultValue: null,
    description: 'API base URL instead of https://api.<region>.onelogin.com, e.g. a branded https://acme.onelogin.com. Default unset.',
  },
];

/** A parsed OneLogin user or role filter. */
export interface OneLoginFilter {
  set: SetFilter | null;
  /** The native query as parameters (`email=*@example.com&since=…`), or null. */
  query: { text: string; params: [string, string][] } | null;
}

/** Query parameters the native query may not set (dirconn's paging, and `fields`, see the module comment). */
export const RESERVED_QUERY_PARAMS: readonly string[] = ['cursor', 'page', 'limit', 'fields'];

const EXAMPLE = 'exclude:test@example.com|email=*@example.com';

/**
 * Parses `include:a,b|<query>` where `<query>` is a raw OneLogin query string such as
 * `email=*@example.com&directory_id=7` (users) or `name=*-us` (roles). @throws config.invalid
 */
export function parseOneLoginFilter(text: string | null | undefined, key: string): OneLoginFilter {
  const parsed = parseCloudFilter(text, { key, nativeQuery: true, example: EXAMPLE });
  if (parsed.query === null) return { set: parsed.set, query: null };
  const problem = queryProblem(parsed.query);
  if (problem !== undefined) {
    throw new DirconnError('config.invalid', `Invalid ${key} "${text ?? ''}": ${problem}.`, {
      hint: `Give the OneLogin query as name=value pairs joined by &, e.g. "dirconn config ${key} ${EXAMPLE}".`,
    });
  }
  return { set: parsed.set, query: { text: parsed.query, params: [...new URLSearchParams(parsed.query.replace(/^\?/, ''))] } };
}

/** What is wrong with a raw query string, or undefined. */
function queryProblem(query: string): string | undefined {
  const pairs = query.replace(/^\?/, '').split('&');
  for (const pair of pairs) {
    const [name = '', value] = pair.split('=', 2);
    if (name.trim() === '' || value === undefined) return `"${pair}" in the query is not name=value`;
    if (RESERVED_QUERY_PARAMS.includes(name.trim().toLowerCase())) return `the query may not set "${name.trim()}" (dirconn pages through every result itself and needs every field)`;
  }
  return undefined;
}

/** Syntax check of a OneLogin filter; returns the problem or undefined. */
export function checkOneLoginFilter(filter: string): string | undefined {
  try {
    parseOneLoginFilter(filter, 'filter');
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** The API base without trailing slashes: `onelogin.baseUrl`, else `https://api.<region>.onelogin.com`. */
export function oneLoginBase(config: Pick<OneLoginConfig, 'region' | 'baseUrl'>): string {
  const override = (config.baseUrl ?? '').trim().replace(/\/+$/, '');
  if (override !== '') return override;
  const region = (config.region ?? 'us').trim().toLowerCase() || 'us';
  return `https://api.${region}.onelogin.com`;
}

/** Whole-config validation of the OneLogin source. */
export function validateOneLoginConfig(config: OneLoginConfig, sync: SyncConfig, secretPresent: boolean): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  if (!config.clientId?.trim()) issues.push({ key: 'onelogin.clientId', message: 'required: the client id of the OneLogin API credential' });
  if (!secretPresent) issues.push({ key: 'onelogin.clientSecret', message: 'not set: give the client secret with --secretfile/--secretenv/--prompt or DIRCONN_ONELOGIN_SECRET[_FILE]' });
  if (!(ONELOGIN_REGIONS as readonly string[]).includes((config.region ?? '').trim().toLowerCase())) issues.push({ key: 'onelogin.region', message: 'us or eu' });
  if (config.baseUrl?.trim()) {
    const problem = urlProblem(oneLoginBase(config));
    if (problem) issues.push({ key: 'onelogin.baseUrl', message: problem });
    else if (/\/api\/\d$/i.test(oneLoginBase(config))) issues.push({ key: 'onelogin.baseUrl', message: 'give the base URL without /api/…, e.g. https://acme.onelogin.com' });
  }
  for (const name of ['userFilter', 'groupFilter'] as const) {
    const problem = sync[name] ? checkOneLoginFilter(sync[name] ?? '') : undefined;
    if (problem) issues.push({ key: `sync.${name}`, message: problem });
  }
  return issues;
}
