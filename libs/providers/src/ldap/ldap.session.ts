/**
 * One authenticated LDAP connection for one operation (read, check, explain): connect (LDAPS, or
 * plain + StartTLS, or plain), simple bind, paged or plain searches, unbind. Every failure is
 * translated to a DirconnError; an abort signal tears the connection down so pending operations
 * fail at once. Uses ldapts for everything on the wire.
 */
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import { Client } from 'ldapts';
import type { Control, Filter, SearchOptions } from 'ldapts';
import { DirconnError } from '@dirconn/core';
import type { LdapConfig, LdapTransport } from './ldap.config.js';
import { tlsFilesOf, transportOf } from './ldap.config.js';
import type { LdapErrorContext } from './ldap.errors.js';
import { translateLdapError } from './ldap.errors.js';
import type { LdapEntry } from './ldap.attributes.js';
import type { PagingGuard } from './ldap.paging-guard.js';
import { guardPagedSearches, pageCutShortError } from './ldap.paging-guard.js';

/** Counters shared by the sessions of one read (reported as DirectorySnapshot.stats). */
export interface LdapStats {
  searches: number;
  pages: number;
  entries: number;
  rangedFetches: number;
  references: number;
  connections: number;
}

/** A fresh set of zeroed counters. */
export function newStats(): LdapStats {
  return { searches: 0, pages: 0, entries: 0, rangedFetches: 0, references: 0, connections: 0 };
}

/** Where to connect: the configured server, or a server named by a referral. */
export interface LdapEndpoint {
  host: string;
  port: number;
  transport: LdapTransport;
}

/** The configured server as an endpoint (host trimmed and lower-cased, as the reference does). */
export function endpointOf(config: LdapConfig): LdapEndpoint {
  return { host: (config.hostname ?? '').trim().toLowerCase(), port: config.port, transport: transportOf(config) };
}

/** `host:port`, with IPv6 hosts in brackets. */
export function endpointText(endpoint: LdapEndpoint): string {
  return `${isIP(endpoint.host) === 6 ? `[${endpoint.host}]` : endpoint.host}:${endpoint.port}`;
}

/** One search: base (with the config key that sets it, for error messages) and ldapts options. */
export interface SearchSpec {
  base: { dn: string; key: string };
  scope: 'base' | 'one' | 'sub';
  /** Filter text, or ldapts Filter objects when a value is binary (the text parser cannot carry bytes). */
  filter: string | Filter;
  attributes: string[];
  /** Attributes returned as Buffers (objectGUID). */
  binaryAttributes?: string[];
  controls?: Control[];
  /** Page with this size; undefined = one plain search. */
  pageSize?: number | undefined;
  /** Client-side size limit (only for lookups that want "the first few"; hitting it is not an error then). */
  sizeLimit?: number;
}

/** Options of a session. */
export interface SessionOptions {
  config: LdapConfig;
  password: string;
  stats: LdapStats;
  signal?: AbortSignal | undefined;
  /** Connect here instead of the configured server (referrals). */
  endpoint?: LdapEndpoint;
  /** Reads certificate files (injectable for tests). */
  readFile?: (path: string) => Buffer;
}

/** Builds the TLS options for the configured CA, client certificate and verification. */
export function tlsOptionsOf(config: LdapConfig, host: string, readFile: (path: string) => Buffer = readFileSync): ConnectionOptions {
  const options: ConnectionOptions = { rejectUnauthorized: !config.sslAllowUnauthorized };
  if (isIP(host) === 0) options.servername = host;
  for (const file of tlsFilesOf(config)) {
    let content: Buffer;
    try {
      content = readFile(file.path);
    } catch (error) {
      const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
      throw new DirconnError('config.invalid', `Cannot read ${file.key} file ${file.path}${typeof code === 'string' ? ` (${code})` : ''}.`, {
        hint: `Point ${file.key} at a readable PEM file, or clear it with "dirconn config ${file.key} null".`,
        cause: error,
      });
    }
    if (file.role === 'ca') options.ca = [content];
    else if (file.role === 'cert') options.cert = content;
    else options.key = content;
  }
  return options;
}

/** An open, bound connection. Always `close()` it (in a finally). */
export class LdapSession {
  private readonly client: Client;
  private readonly context: Omit<LdapErrorContext, 'phase'>;
  private readonly onAbort: () => void;
  /** Empty pages with a cookie seen on this connection (ldapts would stop there). */
  private readonly paging: PagingGuard;
  private closed = false;

  private constructor(
    client: Client,
    private readonly options: SessionOptions,
    readonly endpoint: LdapEndpoint,
  ) {
    this.client = client;
    this.paging = guardPagedSearches(client);
    this.context = { endpoint: endpointText(endpoint), transport: endpoint.transport, username: options.config.username ?? '', signal: options.signal };
    this.onAbort = () => {
      void this.client.unbind().catch(() => undefined);
    };
  }

  /** Connects, secures and binds. Throws a translated DirconnError (the connection is closed then). */
  static async open(options: SessionOptions): Promise<LdapSession> {
    const { config, signal } = options;
    if (signal?.aborted) throw cancelled();
    if (options.password === '') {
      throw new DirconnError('config.incomplete', 'The LDAP bind password is empty; anonymous and unauthenticated binds are not supported.', {
        hint: 'Set it with "dirconn config ldap.password" (prompt, --secretenv or --secretfile).',
      });
    }
    const endpoint = options.endpoint ?? endpointOf(config);
    const hostInUrl = isIP(endpoint.host) === 6 ? `[${endpoint.host}]` : endpoint.host;
    const secureUrl = endpoint.transport === 'ldaps';
    const tls = endpoint.transport === 'plain' ? undefined : tlsOptionsOf(config, endpoint.host, options.readFile);
    const connectTimeoutMs = Math.max(1, config.connectTimeout) * 1000;
    // Per-operation timeout: the server's time limit plus a margin, so a hung server cannot hang us.
    const operationTimeoutMs = (config.searchTimeLimit > 0 ? config.searchTimeLimit + 60 : 3600) * 1000;
    const client = new Client({
      url: `${secureUrl ? 'ldaps' : 'ldap'}://${hostInUrl}:${endpoint.port}`,
      connectTimeout: connectTimeoutMs,
      timeout: operationTimeoutMs,
      // ldapts goes TLS as soon as tlsOptions has a value, so only LDAPS gets them here.
      ...(secureUrl && tls ? { tlsOptions: tls } : {}),
    });
    const session = new LdapSession(client, options, endpoint);
    signal?.addEventListener('abort', session.onAbort, { once: true });
    options.stats.connections++;
    try {
      if (endpoint.transport === 'starttls' && tls) {
        try {
          await session.guard(withTimeout(client.startTLS({ ...tls, host: endpoint.host }), connectTimeoutMs, 'Connection timeout'));
        } catch (error) {
          throw translateLdapError(error, { ...session.context, phase: 'starttls' });
        }
      }
      try {
        await session.guard(client.bind(config.username ?? '', options.password));
      } catch (error) {
        const isResult = typeof (error as { code?: unknown }).code === 'number';
        throw translateLdapError(error, { ...session.context, phase: isResult ? 'bind' : 'connect' });
      }
    } catch (error) {
      await session.close();
      throw error;
    }
    return session;
  }

  /** The counters of the read this session belongs to. */
  get stats(): LdapStats {
    return this.options.stats;
  }

  /** The abort signal of the read this session belongs to. */
  get signal(): AbortSignal | undefined {
    return this.options.signal;
  }

  /** Whether the read was cancelled. */
  get aborted(): boolean {
    return this.options.signal?.aborted ?? false;
  }

  private throwIfAborted(): void {
    if (this.aborted) throw cancelled();
  }

  /**
   * Settles with `promise`, or rejects with `cancelled` as soon as the signal aborts. ldapts has no
   * signal support, and tearing a connection down while it is still connecting can leave its
   * promise pending forever, so every wait is raced against the signal.
   */
  private guard<T>(promise: Promise<T>): Promise<T> {
    const signal = this.options.signal;
    if (!signal) return promise;
    if (signal.aborted) {
      promise.catch(() => undefined);
      return Promise.reject(cancelled());
    }
    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void => reject(cancelled());
      signal.addEventListener('abort', onAbort, { once: true });
      promise.then(
        (value) => {
          signal.removeEventListener('abort', onAbort);
          resolve(value);
        },
        (error: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });
  }

  /**
   * Runs one search and hands each page of entries to `onPage` as it arrives (one call for a plain
   * search). Returns the continuation references (URLs) the server sent. Any error — including a
   * page failing after others succeeded — is thrown; callers never see a partial result as success.
   */
  async search(spec: SearchSpec, onPage: (entries: LdapEntry[]) => void): Promise<string[]> {
    this.throwIfAborted();
    const stats = this.options.stats;
    stats.searches++;
    const references: string[] = [];
    const options: SearchOptions = {
      scope: spec.scope,
      filter: spec.filter,
      attributes: spec.attributes,
      explicitBufferAttributes: spec.binaryAttributes ?? [],
      timeLimit: Math.max(0, this.options.config.searchTimeLimit),
      ...(spec.sizeLimit !== undefined ? { sizeLimit: spec.sizeLimit } : {}),
    };
    const controls = spec.controls ?? [];
    const cutShortBefore = this.paging.emptyPagesWithCookie;
    try {
      if (spec.pageSize !== undefined) {
        const pages = this.client.searchPaginated(spec.base.dn, { ...options, paged: { pageSize: spec.pageSize } }, controls);
        for (;;) {
          const next = await this.guard(pages.next());
          if (next.done) break;
          const page = next.value;
          stats.pages++;
          stats.entries += page.searchEntries.length;
          references.push(...page.searchReferences);
          onPage(page.searchEntries);
        }
      } else {
        const result = await this.guard(this.client.search(spec.base.dn, options, controls));
        this.throwIfAborted();
        stats.pages++;
        stats.entries += result.searchEntries.length;
        references.push(...result.searchReferences);
        onPage(result.searchEntries);
      }
    } catch (error) {
      throw translateLdapError(error, { ...this.context, phase: 'search', base: spec.base });
    }
    if (this.paging.emptyPagesWithCookie > cutShortBefore) throw pageCutShortError(`The LDAP server ${this.context.endpoint}`, spec.base);
    stats.references += references.length;
    return references;
  }

  /** Runs a search and returns all entries at once (small lookups only). */
  async searchAll(spec: SearchSpec): Promise<{ entries: LdapEntry[]; references: string[] }> {
    const entries: LdapEntry[] = [];
    const references = await this.search(spec, (page) => {
      for (const e of page) entries.push(e);
    });
    return { entries, references };
  }

  /** Unbinds and closes the socket; never throws. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.options.signal?.removeEventListener('abort', this.onAbort);
    try {
      // Bounded: a half-dead connection must not hang the caller's finally.
      await withTimeout(this.client.unbind(), 5000, 'unbind timed out');
    } catch {
      // The connection is already gone (server killed, network down): nothing left to release.
      return;
    }
  }
}

function cancelled(): DirconnError {
  return new DirconnError('cancelled', 'The directory read was cancelled.');
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
