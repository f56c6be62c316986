// Request/response shapes shared by the fake's handlers, and the error bodies of the official
// server (bitwarden-api.md §4.1), Vaultwarden (§2.5) and Rocket's default catcher (§6).

import type { IncomingHttpHeaders } from 'node:http';

/** A parsed incoming request as the handlers see it. */
export interface FakeRequest {
  method: string;
  /** Path without the `/api` or `/identity` prefix, e.g. `/public/members`. */
  path: string;
  /** Path as received. */
  rawPath: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** What a handler answers. `body` objects are sent as JSON. */
export interface FakeResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string | object;
}

/** Media type of a Content-Type header, lower-cased, without parameters. */
export function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/** Official public-API error envelope. */
export function officialError(status: number, message: string, errors: Record<string, string[]> | null = null): FakeResponse {
  return { status, body: { object: 'error', message, errors } };
}

/** Official 400 model-state error. */
export function modelStateError(errors: Record<string, string[]>): FakeResponse {
  return officialError(400, "The request's model state is invalid.", errors);
}

/** Official unhandled 500. */
export function unhandledError(): FakeResponse {
  return officialError(500, 'An unhandled server error has occurred.');
}

/** Official 404 with the "Resource not found." body. */
export function officialNotFound(): FakeResponse {
  return officialError(404, 'Resource not found.');
}

/** Vaultwarden's Bitwarden-style error body (§2.5). */
export function vaultwardenError(message: string, status = 400): FakeResponse {
  return {
    status,
    body: {
      message,
      validationErrors: { '': [message] },
      errorModel: { message, object: 'error' },
      error: '',
      error_description: '',
      exceptionMessage: null,
      exceptionStackTrace: null,
      innerExceptionMessage: null,
      object: 'error',
    },
  };
}

const ROCKET: Record<number, [string, string]> = {
  400: ['Bad Request', 'The request could not be understood by the server due to malformed syntax.'],
  401: ['Unauthorized', 'The request requires user authentication.'],
  404: ['Not Found', 'The requested resource could not be found.'],
  413: ['Payload Too Large', 'The request is larger than the server is willing or able to process.'],
  422: ['Unprocessable Entity', 'The request was well-formed but was unable to be followed due to semantic errors.'],
  429: ['Too Many Requests', 'The user has sent too many requests in a given amount of time.'],
  500: ['Internal Server Error', 'The server encountered an internal error while processing this request.'],
};

/** Rocket's default catcher body `{"error":{"code","reason","description"}}`. */
export function rocketError(status: number): FakeResponse {
  const [reason, description] = ROCKET[status] ?? ['Error', 'An error occurred.'];
  return { status, body: { error: { code: status, reason, description } } };
}

/** The cloud rate-limit body (§2.7). */
export function throttledBody(period: string): object {
  return {
    object: 'error',
    message: `Slow down! Too many requests. Try again in ${period}.`,
    validationErrors: null,
    exceptionMessage: null,
    exceptionStackTrace: null,
    innerExceptionMessage: null,
  };
}
