/**
 * The checks that keep `dirconn ui` private to the admin who started it (issue #12): loopback-only
 * unless TLS is given, a `Host` header naming this server (no DNS rebinding), an `Origin` equal to
 * its own (no cross-site requests), and a one-time token traded for an HttpOnly SameSite=Strict
 * session cookie. Secrets compared in constant time; sessions kept only as hashes.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import { DirconnError } from '@dirconn/core';

/** True for 127.0.0.0/8, ::1 and `localhost`. */
export function isLoopbackAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '').toLowerCase();
  if (bare === 'localhost' || bare === '::1' || bare === '0:0:0:0:0:0:0:1') return true;
  if (bare.startsWith('::ffff:')) return isLoopbackAddress(bare.slice('::ffff:'.length));
  return isIP(bare) === 4 && bare.startsWith('127.');
}

/** Refuses to listen beyond loopback without TLS (a session cookie and secrets would cross the network in clear). */
export function assertListenAllowed(address: string, tls: boolean): void {
  if (isLoopbackAddress(address) || tls) return;
  throw new DirconnError('usage', `dirconn ui listens on ${address} only with TLS: give --tls-cert <file> and --tls-key <file>.`, {
    hint: 'Without --listen it listens on 127.0.0.1 only; reach it from another machine through an SSH tunnel (ssh -L 8080:127.0.0.1:<port> server).',
  });
}

/** Splits a Host header into a lower-case name (brackets kept for IPv6) and a port (null when absent). */
export function parseHostHeader(host: string): { name: string; port: number | null } | null {
  const match = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/i.exec(host.trim());
  if (match?.[1] === undefined) return null;
  return { name: match[1].toLowerCase(), port: match[2] === undefined ? null : Number.parseInt(match[2], 10) };
}

/** The host names a request may address: the loopback names, or the listen address and given names. */
export function allowedHostNames(listen: string, extra: readonly string[]): Set<string> {
  const names = new Set<string>(extra.map((n) => n.toLowerCase()));
  const bracketed = isIP(listen) === 6 ? `[${listen.toLowerCase()}]` : listen.toLowerCase();
  names.add(bracketed);
  if (isLoopbackAddress(listen)) {
    for (const name of ['localhost', '127.0.0.1', '[::1]']) names.add(name);
  }
  return names;
}

/** True when a Host header names this server (name allowed, port equal to ours). */
export function hostAllowed(host: string | undefined, names: ReadonlySet<string>, port: number, tls: boolean): boolean {
  if (host === undefined) return false;
  const parsed = parseHostHeader(host);
  if (parsed === null || !names.has(parsed.name)) return false;
  return (parsed.port ?? (tls ? 443 : 80)) === port;
}

/** The origins this server answers to (scheme + allowed host + port). */
export function allowedOrigins(names: ReadonlySet<string>, port: number, tls: boolean): Set<string> {
  const scheme = tls ? 'https' : 'http';
  const defaultPort = tls ? 443 : 80;
  const origins = new Set<string>();
  for (const name of names) origins.add(port === defaultPort ? `${scheme}://${name}` : `${scheme}://${name}:${port}`);
  return origins;
}

const hash = (value: string): string => createHash('sha256').update(value).digest('hex');

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(hash(a), 'hex');
  const right = Buffer.from(hash(b), 'hex');
  return timingSafeEqual(left, right);
}

/** The one-time token and the sessions it was traded for. Lives as long as the server. */
export class UiSessions {
  private token: string | null;
  private readonly sessions = new Set<string>();

  constructor(private readonly random: (bytes: number) => Buffer = randomBytes) {
    this.token = this.random(32).toString('base64url');
  }

  /** The one-time token, for the URL printed at start (null once traded). */
  get oneTimeToken(): string | null {
    return this.token;
  }

  /** Trades the one-time token for a new session id; null when the token is wrong or already used. */
  exchange(candidate: string | null): string | null {
    if (this.token === null || candidate === null || candidate === '' || !sameSecret(candidate, this.token)) return null;
    this.token = null;
    const session = this.random(32).toString('base64url');
    this.sessions.add(hash(session));
    return session;
  }

  /** True when `session` is one this server handed out. */
  valid(session: string | null): boolean {
    return session !== null && session !== '' && this.sessions.has(hash(session));
  }
}

/** Reads one cookie from a Cookie header. */
export function readCookie(header: string | undefined, name: string): string | null {
  if (header === undefined) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}
