/**
 * Bitwarden server URL derivation (bitwarden-api.md §1, reference-connector.md §8): explicit
 * `api`/`identity` win; else `base + "/api"` and `base + "/identity"`; else the US cloud. The EU
 * cloud is recognised from its web vault address (or the `eu` shortcut) because it is not served
 * under `<base>/api`.
 */
import { DirconnError } from '../errors.js';
import type { ServerConfig } from '../config/config.js';

/** Which Bitwarden cloud the URLs point at; null for self-hosted servers and Vaultwarden. */
export type BitwardenCloud = 'us' | 'eu';

/** The resolved endpoints of one Bitwarden server. Every URL is normalised (no trailing slash). */
export interface ServerUrls {
  /** API base; public routes live under `<api>/public/`. */
  api: string;
  /** Identity base; the token endpoint is `<identity>/connect/token`. */
  identity: string;
  /** Web vault (admin console) address, for messages and links. */
  webVault: string;
  /** `us`/`eu` when the API is one of Bitwarden's clouds, else null (self-hosted, Vaultwarden). */
  cloud: BitwardenCloud | null;
}

interface CloudUrls {
  api: string;
  identity: string;
  webVault: string;
}

/** Official cloud endpoints. */
export const BITWARDEN_CLOUD_URLS: Readonly<Record<BitwardenCloud, CloudUrls>> = {
  us: { api: 'https://api.bitwarden.com', identity: 'https://identity.bitwarden.com', webVault: 'https://vault.bitwarden.com' },
  eu: { api: 'https://api.bitwarden.eu', identity: 'https://identity.bitwarden.eu', webVault: 'https://vault.bitwarden.eu' },
};

/** Base values (after normalisation) that mean "this cloud" rather than a self-hosted server. */
const CLOUD_BASES: ReadonlyArray<[string, BitwardenCloud]> = [
  ['https://bitwarden.com', 'us'],
  ['https://vault.bitwarden.com', 'us'],
  ['https://bitwarden.eu', 'eu'],
  ['https://vault.bitwarden.eu', 'eu'],
];

/**
 * Normalises one URL the way the reference connector saves it: trim, add `https://` when there is
 * no scheme, lower-case scheme and host, drop trailing slashes. Query strings, fragments, user info
 * and schemes other than http/https are refused.
 *
 * @param value the URL as the admin typed it
 * @param field the config key, for the error message (e.g. `server.api`)
 * @throws DirconnError `config.invalid`
 */
export function normalizeServerUrl(value: string, field = 'server'): string {
  const trimmed = value.trim();
  if (trimmed === '') throw new DirconnError('config.invalid', `${field} is empty.`, { hint: `Unset ${field} or give a URL such as https://vault.example.com.` });
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new DirconnError('config.invalid', `${field} is not a valid URL: "${trimmed}".`, { hint: 'Expected something like https://vault.example.com.' });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new DirconnError('config.invalid', `${field} must be an http or https URL, not "${url.protocol}".`);
  }
  if (url.search !== '' || url.hash !== '') {
    throw new DirconnError('config.invalid', `${field} must not contain a query string or fragment.`);
  }
  if (url.username !== '' || url.password !== '') {
    throw new DirconnError('config.invalid', `${field} must not contain a user name or password.`);
  }
  const path = url.pathname.replace(/\/+$/, '');
  return `${url.protocol}//${url.host}${path}`;
}

function cloudOfBase(base: string): BitwardenCloud | null {
  for (const [candidate, cloud] of CLOUD_BASES) if (candidate === base) return cloud;
  return null;
}

function cloudOfApi(api: string): BitwardenCloud | null {
  if (api === BITWARDEN_CLOUD_URLS.us.api) return 'us';
  if (api === BITWARDEN_CLOUD_URLS.eu.api) return 'eu';
  return null;
}

/**
 * Resolves the API, identity and web-vault URLs of the configured server.
 *
 * - `api` / `identity` set → used as given (normalised), each independently;
 * - else `base` set → `<base>/api` and `<base>/identity`, except that `bitwarden.eu`,
 *   `vault.bitwarden.eu` or the shortcut `eu` mean the EU cloud (and `bitwarden.com`,
 *   `vault.bitwarden.com` or `us` the US cloud);
 * - else the US cloud.
 *
 * @throws DirconnError `config.invalid` when a URL cannot be parsed
 */
export function resolveServerUrls(server: Pick<ServerConfig, 'base' | 'api' | 'identity'>): ServerUrls {
  const rawBase = server.base?.trim() ?? '';
  let defaults: CloudUrls;
  if (rawBase === '' || rawBase.toLowerCase() === 'us') {
    defaults = BITWARDEN_CLOUD_URLS.us;
  } else if (rawBase.toLowerCase() === 'eu') {
    defaults = BITWARDEN_CLOUD_URLS.eu;
  } else {
    const base = normalizeServerUrl(rawBase, 'server');
    const cloud = cloudOfBase(base);
    defaults = cloud !== null ? BITWARDEN_CLOUD_URLS[cloud] : { api: `${base}/api`, identity: `${base}/identity`, webVault: base };
  }
  const explicitApi = server.api?.trim() ? normalizeServerUrl(server.api, 'server.api') : null;
  const explicitIdentity = server.identity?.trim() ? normalizeServerUrl(server.identity, 'server.identity') : null;
  const api = explicitApi ?? defaults.api;
  const identity = explicitIdentity ?? defaults.identity;
  let webVault = defaults.webVault;
  if (rawBase === '' && explicitApi !== null && cloudOfApi(explicitApi) === null) {
    // Only an API URL was given: the web vault is the same origin with the /api suffix removed.
    webVault = explicitApi.replace(/\/api$/, '');
  }
  return { api, identity, webVault, cloud: cloudOfApi(api) };
}
