/**
 * Authorized requests to the Bitwarden public API: the bearer token from the token source, one
 * fresh login after a 401, and the errors shared by the read and import endpoints. Retries are the
 * transport's business.
 */
import { DirconnError } from '../errors.js';
import type { HttpRequest, HttpResponse, Logger } from '../ports.js';
import type { Transport, TransportSendOptions } from '../http/retrying-transport.js';
import { hostOf, parseJsonOrUndefined } from '../http/http-helpers.js';
import { describeErrorBody } from './error-body.js';
import type { BitwardenTokenSource } from './bitwarden-token.js';

/** One authorized request to the API server. */
export interface ApiRequest {
  /** Route label for stats and messages, e.g. `GET /public/members`. */
  route: string;
  method: HttpRequest['method'];
  /** Path under the API base URL, e.g. `/public/members`. */
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** Timeout in ms; default the read timeout. */
  timeoutMs?: number;
  /** What the request is, for messages ("the import"); default `the read <route>`. */
  what?: string;
  /** Whether the transport may resend it after it may have reached the server; default true (see `TransportSendOptions`). */
  idempotent?: boolean;
}

/** Constructor options of {@link BitwardenApi}. */
export interface BitwardenApiOptions {
  transport: Transport;
  tokens: BitwardenTokenSource;
  logger: Logger;
  /** API base URL, without a trailing slash. */
  apiUrl: string;
  /** Timeout of read requests in ms. */
  timeoutMs: number;
}

/** Sends authorized requests to one organization's API server. */
export class BitwardenApi {
  /** API base URL, without a trailing slash. */
  readonly apiUrl: string;
  readonly #transport: Transport;
  readonly #tokens: BitwardenTokenSource;
  readonly #logger: Logger;
  readonly #timeoutMs: number;

  constructor(options: BitwardenApiOptions) {
    this.apiUrl = options.apiUrl;
    this.#transport = options.transport;
    this.#tokens = options.tokens;
    this.#logger = options.logger;
    this.#timeoutMs = options.timeoutMs;
  }

  /**
   * Sends with a bearer token; on 401 drops the token and tries once more with a new one. A second
   * 401, or a 403, is `auth.bitwarden`; every other status is returned.
   */
  async send(request: ApiRequest, signal: AbortSignal | undefined): Promise<HttpResponse> {
    let token = await this.#tokens.get(signal);
    let response = await this.#sendWith(token, request, signal);
    if (response.status === 401) {
      this.#logger.info('bitwarden: access token refused (401), logging in again', { route: request.route });
      this.#tokens.discard(token);
      token = await this.#tokens.get(signal);
      response = await this.#sendWith(token, request, signal);
    }
    if (response.status === 401 || response.status === 403) {
      if (response.status === 401) this.#tokens.discard(token);
      const { text } = describeErrorBody(response.body);
      throw new DirconnError(
        'auth.bitwarden',
        `Bitwarden refused the organization's access token for ${request.route} (HTTP ${response.status}${text === '(empty body)' ? '' : `, ${text}`}).`,
        {
          hint:
            response.status === 403
              ? 'The token lacks the api.organization scope: use the organization API key, not a personal one (`dirconn login`).'
              : 'Log in again with `dirconn login`; if the API key was rotated, use the new one.',
          details: { status: response.status },
        },
      );
    }
    return response;
  }

  /** Authorized GET of JSON: 404 → null (endpoint or object absent); other non-200 → `bitwarden.rejected`. */
  async getJson(route: string, path: string, signal: AbortSignal | undefined): Promise<unknown> {
    const response = await this.send({ route, method: 'GET', path }, signal);
    if (response.status === 404) {
      this.#logger.debug('bitwarden: read endpoint not available', { route });
      return null;
    }
    if (response.status !== 200) throw this.readError(response, route);
    const body = parseJsonOrUndefined(response.body);
    if (body === undefined) throw this.unexpected(route, 'the body is not JSON');
    return body;
  }

  /** A read refused with an unexpected status. */
  readError(response: HttpResponse, route: string): DirconnError {
    const { text } = describeErrorBody(response.body);
    return new DirconnError('bitwarden.rejected', `Bitwarden refused ${route} (HTTP ${response.status}): ${text}`, { details: { status: response.status } });
  }

  /** A 200 whose body is not what a Bitwarden server sends. */
  unexpected(what: string, why: string): DirconnError {
    return new DirconnError('bitwarden.server-error', `Unexpected ${what} response from the Bitwarden server at ${hostOf(this.apiUrl)}: ${why}.`, {
      hint: 'Check that server.api (or server) points at a Bitwarden or Vaultwarden server.',
    });
  }

  #sendWith(token: string, request: ApiRequest, signal: AbortSignal | undefined): Promise<HttpResponse> {
    const outgoing: HttpRequest = {
      method: request.method,
      url: `${this.apiUrl}${request.path}`,
      headers: { ...request.headers, Authorization: `Bearer ${token}` },
      timeoutMs: request.timeoutMs ?? this.#timeoutMs,
    };
    if (request.body !== undefined) outgoing.body = request.body;
    if (signal !== undefined) outgoing.signal = signal;
    const options: TransportSendOptions = { route: request.route, what: request.what ?? `the read ${request.route}` };
    if (request.idempotent !== undefined) options.idempotent = request.idempotent;
    return this.#transport.send(outgoing, options);
  }
}
