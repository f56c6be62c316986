/**
 * The OneLogin API v2 over the shared retrying transport (directory-apis.md §5.7): authorised GETs
 * paced by the rate limiter, one retry with a fresh token after a 401, and complete paging through
 * the `After-Cursor` response header (the next page is the same request with `cursor=<After-Cursor>`;
 * no header, or an empty one, ends the list). A list either yields every page or throws: ANY failed,
 * throttled-out or malformed page aborts the read (the reference keeps what it had — silent
 * truncation, reference §6.5).
 */
import { DirconnError } from '@dirconn/core';
import type { HttpResponse, Transport } from '@dirconn/core';
import type { OneLoginAuth } from './onelogin.auth.js';
import { oneLoginApiFailure, oneLoginMalformed, type OneLoginRequestContext } from './onelogin.errors.js';
import type { OneLoginRateLimiter } from './onelogin.rate-limit.js';

/** Empty pages in a row, each with an After-Cursor, after which the list is taken as broken. */
const MAX_EMPTY_PAGES = 3;

/**
 * The transport gives up on a 429 whose reset is further away than it waits (OneLogin's window is an
 * hour): say that the limit is the account's, shared by every integration.
 */
function throttledHint(error: unknown): unknown {
  if (!DirconnError.is(error) || error.code !== 'provider.throttled') return error;
  return new DirconnError('provider.throttled', error.message, {
    hint: "OneLogin's API limit is per account and per hour, shared by every integration: run the sync after the reset, or ask OneLogin support for a higher limit. Nothing was synced.",
    cause: error,
    details: error.details,
  });
}

/** Request counters for stats and benches. */
export interface OneLoginApiStats {
  requests: number;
  pages: Record<string, number>;
}

/** The route label of a path, for logs and transport stats (never a URL with values). */
export function routeOf(path: string): string {
  if (/^\/api\/2\/roles\/[^/]+\/users/.test(path)) return 'GET /api/2/roles/{id}/users';
  if (path.startsWith('/api/2/roles')) return 'GET /api/2/roles';
  if (path.startsWith('/api/2/users')) return 'GET /api/2/users';
  return `GET ${path}`;
}

/** See the module comment. */
export class OneLoginApiClient {
  readonly stats: OneLoginApiStats = { requests: 0, pages: {} };

  constructor(
    private readonly base: string,
    private readonly transport: Transport,
    private readonly auth: OneLoginAuth,
    private readonly limiter: OneLoginRateLimiter,
  ) {}

  /** The URL of `path` under the base with the given parameters (absent or empty ones omitted). */
  url(path: string, params: readonly [string, string | null | undefined][]): string {
    const query = new URLSearchParams();
    for (const [name, value] of params) if (value !== null && value !== undefined && value !== '') query.append(name, value);
    return `${this.base}${path}${query.size > 0 ? `?${query.toString()}` : ''}`;
  }

  /** One GET; resolves with the parsed JSON and the response, or throws a typed error. */
  async get(url: string, context: OneLoginRequestContext, signal?: AbortSignal): Promise<{ doc: unknown; response: HttpResponse }> {
    const route = routeOf(new URL(url).pathname);
    for (let attempt = 1; ; attempt++) {
      const authorization = await this.auth.header(signal);
      await this.limiter.acquire(signal);
      let response: HttpResponse | null = null;
      try {
        this.stats.requests++;
        response = await this.transport.send({ method: 'GET', url, headers: { authorization, accept: 'application/json' }, ...(signal ? { signal } : {}) }, { route, what: context.what, classify: this.limiter.classify() });
      } catch (error) {
        throw throttledHint(error);
      } finally {
        this.limiter.release(response);
      }
      // An expired or revoked token: fetch a new one, once.
      if (response.status === 401 && attempt === 1) {
        this.auth.invalidate(authorization);
        continue;
      }
      if (response.status !== 200) throw oneLoginApiFailure(response, context);
      try {
        return { doc: JSON.parse(response.body) as unknown, response };
      } catch {
        throw oneLoginMalformed(context.what, 'the body is not JSON');
      }
    }
  }

  /**
   * Every item of a paged list, page by page (`onPage` sees each page's items). Throws on any failed
   * page, a body that is not a JSON array, a cursor that repeats, or a run of empty pages that keep
   * pointing further.
   */
  async list<T>(path: string, params: readonly [string, string][], counter: string, context: OneLoginRequestContext, onPage: (items: T[]) => void, signal?: AbortSignal): Promise<void> {
    const seen = new Set<string>();
    let cursor: string | null = null;
    let emptyPages = 0;
    for (;;) {
      const url = this.url(path, cursor === null ? params : [...params, ['cursor', cursor]]);
      const { doc, response }: { doc: unknown; response: HttpResponse } = await this.get(url, context, signal);
      if (!Array.isArray(doc)) throw oneLoginMalformed(context.what, 'the body is not a JSON array');
      this.stats.pages[counter] = (this.stats.pages[counter] ?? 0) + 1;
      onPage(doc as T[]);
      const next = (response.headers['after-cursor'] ?? '').trim();
      if (next === '') return;
      emptyPages = doc.length === 0 ? emptyPages + 1 : 0;
      if (emptyPages >= MAX_EMPTY_PAGES) throw oneLoginMalformed(context.what, `${MAX_EMPTY_PAGES} empty pages in a row still pointed to a next page`);
      if (seen.has(next)) throw oneLoginMalformed(context.what, 'the same After-Cursor came back twice');
      seen.add(next);
      cursor = next;
    }
  }
}
