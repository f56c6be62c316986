/**
 * URL rules shared by the cloud sources: API roots and token endpoints must be https, except on a
 * loopback host (tests, local proxies), so an access token never crosses a network in clear text.
 */

/** Loopback hosts, where plain http is allowed (tests, local proxies). */
export function isLoopback(hostname: string): boolean {
  return hostname === '127.0.0.1' || hostname === '[::1]' || hostname === 'localhost' || hostname.endsWith('.localhost');
}

/** The problem with a token or API URL, or undefined: https, or http on a loopback host only. */
export function urlProblem(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `"${text}" is not a URL`;
  }
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && isLoopback(url.hostname)) return undefined;
  return `${text} must use https:// (plain http only on 127.0.0.1, ::1 or localhost)`;
}
