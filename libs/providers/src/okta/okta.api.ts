/**
 * The Okta Management API over the shared retrying transport: authorised GETs paced by the rate
 * limiter, one retry with a fresh OAuth token after a 401, and complete paging through the `Link`
 * header (`rel="next"`, absolute URLs on the configured origin, any scheme or port). A list either
 * yields every page or throws; it never ends early (fail closed).
 */
import { DirconnError } from '@dirconn/core';
import type { HttpResponse, Transport } from '@dirconn/core';
import type { OktaAuth } from './okta.auth.js';
import { oktaApiFailure, oktaMalformed, type OktaRequestContext } from './okta.errors.js';
import { bucketOf, type OktaRateLimiter } from './okta.rate-limit.js';

/** Request counters for stats and benches. */
export interface OktaApiStats {
  requests: number;
  pages: Record<string, number>;
}

/** The `rel="next"` URL of a `Link` header (separate header lines arrive joined by ", "), or null. */
export function nextLink(header: string | undefined): string | null {
  if (!header) return null;
  for (const match of header.matchAll(/<([^>]*)>\s*((?:;\s*[^;,]+)*)/g)) {
    const rels = /;\s*rel\s*=\s*"?([^";]+)"?/i.exec(match[2] ?? '')?.[1]?.split(/\s+/) ?? [];
    if (rels.includes('next')) return match[1] ?? null;
  }
  return null;
}

/** See the module comment. */
export class OktaApiClient {
  readonly stats: OktaApiStats = { requests: 0, pages: {} };
  readonly #base: string;
  readonly #origin: string;

  constructor(
    orgUrl: string,
    private readonly transport: Transport,
    private readonly auth: OktaAuth,
    private readonly limiter: OktaRateLimiter,
  ) {
    this.#base = `${orgUrl}/api/v1`;
    this.#origin = new URL(orgUrl).origin;
  }

  /** The URL of `path` under `/api/v1` with the given parameters (absent or empty ones omitted). */
  url(path: string, params: Record<string, string | null | undefined>): string {
    const query = new URLSearchParams();
    for (const [name, value] of Object.entries(params)) if (value !== null && value !== undefined && value !== '') query.set(name, value);
    return `${this.#base}${path}${query.size > 0 ? `?${query.toString()}` : ''}`;
  }

  /** One GET of an absolute URL on the org; resolves with the parsed JSON and the response, or throws a typed error. */
  async get(url: string, context: Omit<OktaRequestContext, 'auth'>, signal?: AbortSignal): Promise<{ doc: unknown; response: HttpResponse }> {
    const path = new URL(url).pathname;
    const bucket = bucketOf(path);
    for (let attempt = 1; ; attempt++) {
      const authorization = await this.auth.header(signal);
      await this.limiter.acquire(bucket, signal);
      let response: HttpResponse | null = null;
      try {
        this.stats.requests++;
        response = await this.transport.send(
          { method: 'GET', url, headers: { authorization, accept: 'application/json' }, ...(signal ? { signal } : {}) },
          { route: bucket, what: context.what, classify: this.limiter.classify(bucket) },
        );
      } finally {
        this.limiter.release(bucket, response);
      }
      if (response.status === 401 && attempt === 1 && this.auth.invalidate()) continue;
      if (response.status !== 200) throw oktaApiFailure(response, { ...context, auth: this.auth.kind });
      try {
        return { doc: JSON.parse(response.body) as unknown, response };
      } catch {
        throw oktaMalformed(context.what, 'the body is not JSON');
      }
    }
  }

  /**
   * Every item of a paged list, page by page (`onPage` sees each page's items). Throws on any failed
   * page, a body that is not a JSON array, a next link off the org's origin, or a link that repeats.
   */
  async list<T>(first: string, counter: string, context: Omit<OktaRequestContext, 'auth'>, onPage: (items: T[]) => void, signal?: AbortSignal): Promise<void> {
    const seen = new Set<string>([first]);
    let url: string | null = first;
    while (url !== null) {
      const { doc, response }: { doc: unknown; response: HttpResponse } = await this.get(url, context, signal);
      if (!Array.isArray(doc)) throw oktaMalformed(context.what, 'the body is not a JSON array');
      this.stats.pages[counter] = (this.stats.pages[counter] ?? 0) + 1;
      onPage(doc as T[]);
      const next = nextLink(response.headers['link']);
      if (next === null) break;
      let nextUrl: URL;
      try {
        nextUrl = new URL(next, url);
      } catch {
        throw oktaMalformed(context.what, `the next link "${next}" is not a URL`);
      }
      if (nextUrl.origin !== this.#origin) {
        throw new DirconnError('provider.incomplete-read', `Okta's next page of ${context.what} points to ${nextUrl.origin}, not to okta.orgUrl (${this.#origin}); nothing was synced.`, {
          hint: 'Set okta.orgUrl to the org URL Okta itself uses (e.g. https://acme.okta.com, not a custom or admin domain).',
        });
      }
      if (seen.has(nextUrl.href)) throw oktaMalformed(context.what, 'the same next link came back twice');
      seen.add(nextUrl.href);
      url = nextUrl.href;
    }
  }
}
