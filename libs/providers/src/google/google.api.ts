/**
 * The Admin SDK Directory API over the shared retrying transport: authorised GETs with Google's
 * throttling rule, one retry with a fresh token after a 401, and complete paging (`pageToken` until
 * absent). A list either yields every page or throws; it never ends early (fail closed).
 */
import { DirconnError } from '@dirconn/core';
import type { Transport } from '@dirconn/core';
import type { GoogleTokenSource } from './google.auth.js';
import { apiFailure, classifyGoogleResponse, type GoogleIdentity, type RequestContext } from './google.errors.js';

/** Request counters for stats and benches. */
export interface GoogleApiStats {
  requests: number;
  pages: Record<string, number>;
}

/** One list call: path under `/admin/directory/v1`, its parameters, and what it is for messages. */
export interface ListRequest {
  path: string;
  params: Record<string, string | null | undefined>;
  /** The array property of each page: `users`, `groups`, `members`. */
  itemsKey: string;
  /** Counter name for stats (`users`, `deletedUsers`, `groups`, `members`). */
  counter: string;
  context: Omit<RequestContext, 'pagedRequest'>;
}

/** See the module comment. */
export class GoogleDirectoryClient {
  readonly stats: GoogleApiStats = { requests: 0, pages: {} };
  readonly #root: string;

  constructor(
    rootUrl: string,
    private readonly transport: Transport,
    private readonly tokens: GoogleTokenSource,
    private readonly who: GoogleIdentity,
  ) {
    this.#root = `${rootUrl.replace(/\/+$/, '')}/admin/directory/v1`;
  }

  /** One GET; resolves with the parsed JSON object, or throws a typed error. */
  async get(path: string, params: Record<string, string | null | undefined>, context: RequestContext, signal?: AbortSignal): Promise<Record<string, unknown>> {
    const query = new URLSearchParams();
    // Absent parameters are omitted, never sent empty (the reference sends `query=`; directory-apis.md §6 row 8).
    for (const [name, value] of Object.entries(params)) if (value !== null && value !== undefined && value !== '') query.set(name, value);
    const url = `${this.#root}${path}${query.size > 0 ? `?${query.toString()}` : ''}`;
    const route = `GET ${path.replace(/\/groups\/[^/]+\/members$/, '/groups/{key}/members').replace(/\/users\/[^/]+$/, '/users/{key}')}`;
    for (let attempt = 1; ; attempt++) {
      const token = await this.tokens.token(signal);
      this.stats.requests++;
      const response = await this.transport.send(
        { method: 'GET', url, headers: { authorization: `Bearer ${token}`, accept: 'application/json' }, ...(signal ? { signal } : {}) },
        { route, what: context.what, classify: classifyGoogleResponse },
      );
      if (response.status === 401 && attempt === 1) {
        this.tokens.invalidate();
        continue;
      }
      if (response.status !== 200) throw apiFailure(response, context, this.who);
      try {
        const doc = JSON.parse(response.body) as unknown;
        if (typeof doc === 'object' && doc !== null && !Array.isArray(doc)) return doc as Record<string, unknown>;
      } catch {
        // described below
      }
      throw new DirconnError('provider.incomplete-read', `Google answered ${context.what} with a response that is not a JSON object, so nothing was synced.`, {
        hint: 'Check google.rootUrl (and any proxy in between); run the sync again.',
      });
    }
  }

  /**
   * Every item of a paged list, page by page (`onPage` sees each page's items). Throws on any failed
   * page, a malformed page, or a page token that repeats (a server loop).
   */
  async list<T>(request: ListRequest, onPage: (items: T[]) => void, signal?: AbortSignal): Promise<void> {
    const seen = new Set<string>();
    let pageToken: string | null = null;
    do {
      const page = await this.get(request.path, { ...request.params, pageToken }, { ...request.context, pagedRequest: pageToken !== null }, signal);
      this.stats.pages[request.counter] = (this.stats.pages[request.counter] ?? 0) + 1;
      const items = page[request.itemsKey];
      if (items !== undefined && !Array.isArray(items)) throw malformed(request.context.what, `"${request.itemsKey}" is not a list`);
      onPage((items ?? []) as T[]);
      const next = page['nextPageToken'];
      if (next !== undefined && next !== null && (typeof next !== 'string' || next === '')) throw malformed(request.context.what, 'nextPageToken is not a string');
      pageToken = typeof next === 'string' ? next : null;
      if (pageToken !== null) {
        if (seen.has(pageToken)) throw malformed(request.context.what, 'the same page token came back twice');
        seen.add(pageToken);
      }
    } while (pageToken !== null);
  }
}

function malformed(what: string, why: string): DirconnError {
  return new DirconnError('provider.incomplete-read', `Google answered ${what} with a malformed page (${why}), so nothing was synced.`, { hint: 'Run the sync again; check google.rootUrl if it persists.' });
}

/** Runs `work` over `items` with at most `limit` at once; the first failure aborts the rest and is rethrown. */
export async function forEachLimited<T>(items: readonly T[], limit: number, signal: AbortSignal | undefined, work: (item: T, signal: AbortSignal) => Promise<void>): Promise<void> {
  const controller = new AbortController();
  const onAbort = (): void => controller.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  let next = 0;
  let failure: { error: unknown } | null = null;
  const worker = async (): Promise<void> => {
    while (failure === null && next < items.length) {
      const item = items[next++] as T;
      try {
        await work(item, controller.signal);
      } catch (error) {
        failure ??= { error };
        controller.abort();
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, () => worker()));
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
  if (failure !== null) throw (failure as { error: unknown }).error;
  if (signal?.aborted) throw new DirconnError('cancelled', 'The directory read was cancelled.');
}
