/**
 * Syntactic checks of one setting's value where it enters (issue #7: all validation in one place for
 * every face): the field's type, the stricter server URL and host-name check, DN syntax, the source's
 * filter syntax. Checks that need I/O (a readable file, a DN that exists) are in the config use case.
 */
import { normalizeServerUrl } from '../bitwarden/urls.js';
import { DirconnError } from '../errors.js';
import type { ProviderDefinition } from '../model/provider-definition.js';
import type { ConfigKey } from './config-keys.js';
import { parseFieldValue } from './fields.js';

/** The cloud shortcuts `server eu` / `server us` (README), kept as typed: resolveServerUrls maps them. */
const CLOUD_SHORTCUTS = new Set(['eu', 'us']);

/** A host name or IP address as it may appear in a server URL (underscores tolerated for intranets). */
const HOST_NAME = /^(?=.{1,253}$)[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)*\.?$/i;

/** Parses the text typed for `key`: {@link parseFieldValue} plus the stricter URL check it lacks (it accepts "ht!tp://x"). */
export function parseSettingValue(key: ConfigKey, raw: string): unknown {
  if (key.field.key === 'server' && CLOUD_SHORTCUTS.has(raw.trim().toLowerCase())) return raw.trim().toLowerCase();
  const value = parseFieldValue(key.field, raw);
  if (key.field.kind === 'url' && typeof value === 'string') checkServerUrl(key, raw, value);
  return value;
}

function checkServerUrl(key: ConfigKey, raw: string, value: string): void {
  const invalid = (why: string) =>
    new DirconnError('config.invalid', `Invalid value "${raw}" for ${key.field.key}: ${why}.`, {
      hint: `Give a URL such as https://vault.example.com${key.field.key === 'server' ? ' (or "eu" for the EU cloud)' : ''}.`,
    });
  const text = raw.trim();
  // Without a scheme, "https://" is prepended; a "://" further in means a mistyped scheme.
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text) && text.includes('://')) throw invalid('the scheme must be http:// or https://');
  let url: URL;
  try {
    url = new URL(value);
    normalizeServerUrl(value, key.field.key);
  } catch (error) {
    throw invalid(DirconnError.is(error) ? error.message.replace(/\.$/, '') : 'not a valid URL');
  }
  const host = url.hostname;
  if (!(/^\[[0-9a-f:.]+\]$/i.test(host) || HOST_NAME.test(host))) throw invalid(`"${host}" is not a valid host name`);
  if (url.pathname.includes('//')) throw invalid('the path contains "//"');
}

/** Checks `filter` against the source's filter syntax (no check when the source has none). */
export function checkFilterSyntax(key: ConfigKey, definition: ProviderDefinition | undefined, filter: string): void {
  const syntax = definition?.filter;
  const problem = syntax?.check(filter);
  if (definition === undefined || syntax === undefined || problem === undefined) return;
  throw new DirconnError('config.invalid', `Invalid value for ${key.field.key}: ${problem}`, {
    hint: `Check the ${definition.label} filter syntax (${syntax.description}), e.g. ${syntax.example}.`,
  });
}

/** Checks that `dn` looks like a distinguished name (`ou=People` or `ou=People,dc=example,dc=com`). */
export function checkDnSyntax(key: ConfigKey, dn: string): void {
  const parts = dn.split(/(?<!\\),/);
  if (parts.some((p) => !/^\s*[A-Za-z][A-Za-z0-9-]*(\.[0-9]+)*\s*=\s*\S/.test(p) && !/^\s*[0-9.]+\s*=/.test(p))) {
    throw new DirconnError('config.invalid', `Invalid value "${dn}" for ${key.field.key}: expected a DN such as ou=People or ou=People,dc=example,dc=com.`);
  }
}

/** Text form of a setting value ('' when unset). */
export function settingText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}
