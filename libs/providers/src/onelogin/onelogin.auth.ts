/**
 * The OneLogin access token (directory-apis.md §5.1): client credentials at
 * `POST <base>/auth/oauth2/v2/token` with HTTP Basic `client_id:client_secret` and the JSON body
 * `{"grant_type":"client_credentials"}`, as the reference sends it. The token is reused until a minute
 * before `expires_in` (10 hours) runs out, and dropped after a 401 so the next call fetches a new one
 * (once per call: see OneLoginApiClient). Parallel calls share one token request, and a 401 answered
 * to an older token never drops a newer one. The secret goes only into that header, never into a
 * message.
 */
import { DirconnError } from '@dirconn/core';
import type { Clock, Transport } from '@dirconn/core';
import { oneLoginTokenFailure } from './onelogin.errors.js';

/** Gives the `Authorization` header of API calls. */
export class OneLoginAuth {
  #cached: { token: string; expiresAt: number } | null = null;
  #pending: Promise<string> | null = null;
  /** Tokens fetched in this run (stats). */
  fetched = 0;

  constructor(
    private readonly base: string,
    private readonly clientId: string,
    private readonly secret: string,
    private readonly transport: Transport,
    private readonly clock: Clock,
  ) {}

  /** Forgets the cached token after a 401 answered to `usedHeader` (unless a newer token is cached already). */
  invalidate(usedHeader: string): void {
    if (this.#cached !== null && `Bearer ${this.#cached.token}` === usedHeader) this.#cached = null;
  }

  /** `Bearer <access token>`, fetching a token when none is cached or it is about to expire. */
  header(signal?: AbortSignal): Promise<string> {
    const now = this.clock.now().getTime();
    if (this.#cached !== null && now < this.#cached.expiresAt) return Promise.resolve(`Bearer ${this.#cached.token}`);
    this.#pending ??= this.#fetch(now, signal).finally(() => {
      this.#pending = null;
    });
    return this.#pending;
  }

  async #fetch(now: number, signal?: AbortSignal): Promise<string> {
    const url = `${this.base}/auth/oauth2/v2/token`;
    const basic = Buffer.from(`${this.clientId}:${this.secret}`, 'utf8').toString('base64');
    let response;
    try {
      response = await this.transport.send(
        {
          method: 'POST',
          url,
          headers: { authorization: `Basic ${basic}`, 'content-type': 'application/json', accept: 'application/json' },
          body: JSON.stringify({ grant_type: 'client_credentials' }),
          ...(signal ? { signal } : {}),
        },
        { route: 'POST /auth/oauth2/v2/token', what: 'the access token' },
      );
    } catch (error) {
      // 5xx after every retry: OneLogin answers 500 when the credential's administrator was deleted.
      if (DirconnError.is(error) && error.code === 'provider.error') {
        throw new DirconnError('provider.error', error.message, {
          hint: 'OneLogin answers 500 to token requests when the administrator who created the API credential was deleted: create a new credential with the "Read users" scope. Otherwise run again later.',
          cause: error,
          details: error.details,
        });
      }
      throw error;
    }
    this.fetched++;
    let doc: { access_token?: unknown; expires_in?: unknown } = {};
    try {
      doc = JSON.parse(response.body) as typeof doc;
    } catch {
      // handled below: no access_token
    }
    if (response.status !== 200 || typeof doc.access_token !== 'string' || doc.access_token === '') {
      if (response.status === 200) {
        throw new DirconnError('provider.error', 'OneLogin answered the token request without an access token.', { hint: 'Check onelogin.baseUrl: it must be the OneLogin API host (https://api.<region>.onelogin.com or your branded host).' });
      }
      throw oneLoginTokenFailure(response, this.clientId);
    }
    const lifetime = typeof doc.expires_in === 'number' && doc.expires_in > 0 ? doc.expires_in : 3600;
    this.#cached = { token: doc.access_token, expiresAt: now + Math.max(0, lifetime - 60) * 1000 };
    return `Bearer ${doc.access_token}`;
  }
}
