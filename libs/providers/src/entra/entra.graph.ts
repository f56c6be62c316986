/**
 * Microsoft Graph v1.0 over the shared retrying transport (directory-apis.md §2.2–§2.8): bearer token,
 * JSON pages followed through `@odata.nextLink` verbatim, and Graph's errors as typed dirconn errors.
 *
 * Fail closed: a page that is not JSON or has no `value` list, a nextLink pointing at another host,
 * a 403, a 5xx after the transport's retries or a throttle beyond the wait budget each throw; the
 * caller never sees a partial list. 429/503 `Retry-After` is honoured by the transport itself.
 * An expired delta token (410 Gone, or `syncStateNotFound`/`resyncRequired`) is a
 * {@link DeltaExpiredError}, which the provider answers with a full read.
 */
import { DirconnError } from '@dirconn/core';
import type { HttpResponse, Transport } from '@dirconn/core';

/** The application permission each kind of request needs (hint of a 403). */
export type GraphPermission = 'User.Read.All' | 'GroupMember.Read.All' | 'AdministrativeUnit.Read.All';

/** Options of one Graph GET. */
export interface GraphGetOptions {
  /** Route label for stats (`GET /users/delta`), never a URL with tokens. */
  route: string;
  /** What is being read, for messages: "the user list". */
  what: string;
  permission: GraphPermission;
  /** A delta request: 410 and sync-state errors mean "token expired". */
  delta?: boolean;
  headers?: Record<string, string>;
}

/** One page of a Graph collection. */
export interface GraphPage<T> {
  value: T[];
  '@odata.nextLink'?: string;
  '@odata.deltaLink'?: string;
}

/** The saved delta token is no longer valid (7 days old, or the tenant's sync state was reset). */
export class DeltaExpiredError extends Error {
  constructor(readonly what: string, readonly status: number, readonly graphCode: string | null) {
    super(`The saved change token for ${what} has expired (HTTP ${status}${graphCode ? ` ${graphCode}` : ''}).`);
    this.name = 'DeltaExpiredError';
  }
}

const DELTA_EXPIRED_CODES = new Set(['syncstatenotfound', 'resyncrequired', 'syncstateinvalid', 'resyncapplicationrequired', 'badrequest_expireddeltatoken']);

/** Graph's error body `{"error":{"code","message"}}`, or nulls. */
export function graphError(body: string): { code: string | null; message: string | null } {
  try {
    const parsed = JSON.parse(body) as { error?: { code?: unknown; message?: unknown } };
    const code = typeof parsed.error?.code === 'string' ? parsed.error.code : null;
    const message = typeof parsed.error?.message === 'string' ? parsed.error.message : null;
    return { code, message };
  } catch {
    return { code: null, message: null };
  }
}

/** Counters of one read. */
export interface GraphStats {
  graphRequests: number;
  pages: number;
  tokenRefreshes: number;
}

/** Constructor options of {@link GraphClient}. */
export interface GraphClientOptions {
  transport: Transport;
  /** Graph root without version or trailing slash (`https://graph.microsoft.com`). */
  graphRoot: string;
  /** A bearer token; `refresh` asks for a new one after a 401. */
  token: (refresh: boolean) => Promise<string>;
  signal?: AbortSignal;
}

/** See the module comment. */
export class GraphClient {
  readonly stats: GraphStats = { graphRequests: 0, pages: 0, tokenRefreshes: 0 };
  readonly #origin: string;

  constructor(private readonly options: GraphClientOptions) {
    this.#origin = new URL(options.graphRoot).origin;
  }

  /** `<root>/v1.0<path>?<query>`; query keys are sent as written (`$select`), values encoded. */
  url(path: string, query: Record<string, string> = {}): string {
    const parts = Object.entries(query).map(([k, v]) => `${k}=${encodeURIComponent(v)}`);
    return `${this.options.graphRoot}/v1.0${path}${parts.length > 0 ? `?${parts.join('&')}` : ''}`;
  }

  /** True when `url` is on the configured Graph host (links from Graph and saved cursors are checked). */
  isGraphUrl(url: string): boolean {
    try {
      const parsed = new URL(url);
      return parsed.origin === this.#origin && parsed.protocol === 'https:';
    } catch {
      return false;
    }
  }

  /** GETs one JSON document. */
  async get<T>(url: string, options: GraphGetOptions): Promise<T> {
    if (!this.isGraphUrl(url)) {
      throw new DirconnError('provider.incomplete-read', `Microsoft Graph sent a link for ${options.what} on another host (${safeHost(url)}); nothing was read from it.`, {
        hint: 'Check entra.graphUrl: it must be the Graph root that answers, e.g. https://graph.microsoft.com.',
      });
    }
    let response = await this.#send(url, options, false);
    if (response.status === 401) {
      this.stats.tokenRefreshes++;
      response = await this.#send(url, options, true);
    }
    if (response.status >= 200 && response.status < 300) {
      try {
        return JSON.parse(response.body) as T;
      } catch (error) {
        throw new DirconnError('provider.incomplete-read', `Microsoft Graph answered ${options.what} with a body that is not JSON; the read was stopped.`, {
          hint: 'A proxy may be rewriting responses; check HTTPS_PROXY and try again.',
          cause: error,
        });
      }
    }
    throw this.#failure(response, options);
  }

  /**
   * Follows a collection from `firstUrl` through every nextLink, handing each page's items to
   * `onPage`. Resolves with the final page's deltaLink (delta rounds) or null.
   */
  async pages<T>(firstUrl: string, options: GraphGetOptions, onPage: (items: T[]) => void): Promise<{ deltaLink: string | null }> {
    let url: string | undefined = firstUrl;
    for (let page = 1; url !== undefined; page++) {
      const what = page === 1 ? options.what : `${options.what} (page ${page})`;
      const body: GraphPage<T> | null = await this.get<GraphPage<T> | null>(url, { ...options, what });
      if (body === null || typeof body !== 'object' || !Array.isArray(body.value)) {
        throw new DirconnError('provider.incomplete-read', `Microsoft Graph answered ${what} without a "value" list; the read was stopped so nobody is removed by mistake.`, {
          hint: 'Run again; if it persists, check for a proxy rewriting responses.',
        });
      }
      this.stats.pages++;
      onPage(body.value);
      const next: unknown = body['@odata.nextLink'];
      if (typeof next === 'string' && next !== '') {
        url = next;
        continue;
      }
      const delta: unknown = body['@odata.deltaLink'];
      return { deltaLink: typeof delta === 'string' && delta !== '' ? delta : null };
    }
    return { deltaLink: null };
  }

  async #send(url: string, options: GraphGetOptions, refresh: boolean): Promise<HttpResponse> {
    const token = await this.options.token(refresh);
    this.stats.graphRequests++;
    const request = { method: 'GET' as const, url, headers: { Authorization: `Bearer ${token}`, Accept: 'application/json', ...options.headers } };
    return this.options.transport.send(this.options.signal ? { ...request, signal: this.options.signal } : request, { route: options.route, what: options.what });
  }

  #failure(response: HttpResponse, options: GraphGetOptions): Error {
    const { code, message } = graphError(response.body);
    const said = `HTTP ${response.status}${code ? ` ${code}` : ''}${message ? `: ${firstSentence(message)}` : ''}`;
    if (options.delta === true && (response.status === 410 || (code !== null && DELTA_EXPIRED_CODES.has(code.toLowerCase())))) {
      return new DeltaExpiredError(options.what, response.status, code);
    }
    if (response.status === 403) {
      return new DirconnError('provider.rights', `Microsoft Graph refused ${options.what} (${said}): the app registration lacks the ${options.permission} permission.`, {
        hint: `Add the Microsoft Graph application permission ${options.permission} (Directory.Read.All covers all of dirconn's reads) to the app registration and grant admin consent: Entra admin center → App registrations → your app → API permissions → Add a permission → Microsoft Graph → Application permissions, then "Grant admin consent".`,
        details: { status: 403, code, permission: options.permission },
      });
    }
    if (response.status === 401) {
      return new DirconnError('auth.directory', `Microsoft Graph rejected the access token for ${options.what} (${said}).`, {
        hint: 'entra.graphUrl must be the Graph of the cloud you sign in to (entra.identityAuthority); check the tenant and the app registration.',
        details: { status: 401, code },
      });
    }
    if (response.status === 404) {
      return new DirconnError('provider.error', `Microsoft Graph found no ${options.what} (${said}).`, { details: { status: 404, code } });
    }
    return new DirconnError('provider.error', `Microsoft Graph answered ${options.what} with ${said}.`, {
      hint: 'Run again; if it persists, check the Microsoft 365 service health.',
      details: { status: response.status, code },
    });
  }
}

const firstSentence = (text: string): string => (text.split(/\r?\n/)[0] ?? '').slice(0, 300);

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'an invalid URL';
  }
}
