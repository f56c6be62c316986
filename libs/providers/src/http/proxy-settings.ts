/**
 * Proxy settings of the Node HTTP client: `HTTPS_PROXY`/`HTTP_PROXY`/`NO_PROXY` from the
 * environment, the `NO_PROXY` match, and the parsed proxy target (credentials become a
 * `Proxy-Authorization` value and never appear in messages).
 */
import { DirconnError } from '@dirconn/core';

/** Proxy settings (URLs like `http://user:pass@proxy:3128`); null = none. */
export interface ProxySettings {
  /** Proxy for https:// targets (`HTTPS_PROXY`). */
  httpsProxy: string | null;
  /** Proxy for http:// targets (`HTTP_PROXY`). */
  httpProxy: string | null;
  /** Comma/space separated hosts, domains (`.example.com` or `example.com`), `host:port`, or `*` (`NO_PROXY`). */
  noProxy: string | null;
}

/** Reads `HTTPS_PROXY`/`HTTP_PROXY`/`NO_PROXY` (lower-case spellings win, as in curl). */
export function proxySettingsFromEnv(env: Record<string, string | undefined> = process.env): ProxySettings {
  const pick = (name: string): string | null => {
    const value = env[name.toLowerCase()] ?? env[name.toUpperCase()];
    return value !== undefined && value.trim() !== '' ? value.trim() : null;
  };
  return { httpsProxy: pick('https_proxy'), httpProxy: pick('http_proxy'), noProxy: pick('no_proxy') };
}

/** True when `NO_PROXY` says `hostname[:port]` is reached directly. */
export function bypassesProxy(hostname: string, port: number, noProxy: string | null): boolean {
  if (noProxy === null) return false;
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  for (const rawEntry of noProxy.split(/[\s,]+/)) {
    let entry = rawEntry.trim().toLowerCase();
    if (entry === '') continue;
    if (entry === '*') return true;
    let entryPort: number | null = null;
    const portMatch = /^(.*[^:]):(\d+)$/.exec(entry);
    if (portMatch !== null && !entry.startsWith('[')) {
      entry = portMatch[1] as string;
      entryPort = Number(portMatch[2]);
    }
    entry = entry.replace(/^\[|\]$/g, '').replace(/^\*?\./, '.');
    if (entryPort !== null && entryPort !== port) continue;
    if (entry.startsWith('.') ? host.endsWith(entry) || host === entry.slice(1) : host === entry || host.endsWith(`.${entry}`)) return true;
  }
  return false;
}

/** A parsed proxy URL. */
export interface ProxyTarget {
  hostname: string;
  port: number;
  /** `Proxy-Authorization` value when the proxy URL carries credentials. */
  authorization: string | null;
  /** `host:port` of the proxy, for messages (never the credentials). */
  label: string;
}

/**
 * Parses an http:// proxy URL (scheme optional).
 * @throws DirconnError `config.invalid` for an invalid URL or a non-http scheme
 */
export function parseProxy(value: string): ProxyTarget {
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`);
  } catch {
    throw new DirconnError('config.invalid', 'The proxy setting (HTTPS_PROXY/HTTP_PROXY) is not a valid URL.');
  }
  if (url.protocol !== 'http:') {
    throw new DirconnError('config.invalid', `Only http:// proxies are supported (HTTPS_PROXY/HTTP_PROXY uses ${url.protocol}).`);
  }
  const port = url.port === '' ? 80 : Number(url.port);
  const authorization =
    url.username !== '' ? `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}` : null;
  return { hostname: url.hostname.replace(/^\[|\]$/g, ''), port, authorization, label: `${url.hostname}:${port}` };
}
