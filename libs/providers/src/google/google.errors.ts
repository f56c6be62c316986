/**
 * Google's failures as typed dirconn errors with a hint that names the cause (directory-apis.md
 * §3.1, §3.7): token-endpoint errors (wrong key, unknown admin, missing delegation, clock skew),
 * Directory API errors (missing scope or admin rights, bad query, expired page token, unknown
 * domain), and the throttling rule the shared transport needs for Google's 403 rate limits. Messages
 * carry Google's own error text, never the key or a token.
 */
import { DirconnError } from '@dirconn/core';
import type { HttpResponse, RetryDecision } from '@dirconn/core';

/** Reasons of a 403 that mean "slow down", not "not allowed" (retried with exponential back-off). */
const RATE_LIMIT_REASONS = new Set(['ratelimitexceeded', 'userratelimitexceeded', 'quotaexceeded']);

/** The `error` envelope of a Directory API response: `{error: {code, message, errors: [{reason}]}}`. */
export interface GoogleApiErrorBody {
  message: string;
  reason: string;
}

/** Reads Google's error envelope (Directory API or OAuth), tolerating anything else. */
export function parseGoogleError(body: string): GoogleApiErrorBody {
  try {
    const doc = JSON.parse(body) as { error?: unknown; error_description?: unknown };
    if (typeof doc.error === 'string') return { reason: doc.error, message: typeof doc.error_description === 'string' ? doc.error_description : doc.error };
    if (typeof doc.error === 'object' && doc.error !== null) {
      const error = doc.error as { message?: unknown; errors?: { reason?: unknown }[]; status?: unknown };
      const reason = error.errors?.[0]?.reason;
      return { message: typeof error.message === 'string' ? error.message : 'error', reason: typeof reason === 'string' ? reason : typeof error.status === 'string' ? error.status : '' };
    }
  } catch {
    // not JSON: described below
  }
  const text = body.trim();
  return { message: text === '' ? '(empty body)' : text.startsWith('<') ? 'an HTML page' : text.slice(0, 200), reason: '' };
}

/**
 * The transport rule for Google: 403 with a rate-limit reason is throttling (exponential back-off,
 * Google sends no Retry-After); anything else falls through to the shared rules (429, 5xx).
 */
export function classifyGoogleResponse(response: HttpResponse): RetryDecision | undefined {
  if (response.status !== 403) return undefined;
  const { reason } = parseGoogleError(response.body);
  if (RATE_LIMIT_REASONS.has(reason.toLowerCase())) return { retry: true, throttled: true, reason: `rate limited (403 ${reason})` };
  return undefined;
}

/** Who is asking, for hints. */
export interface GoogleIdentity {
  clientEmail: string;
  adminUser: string;
  tokenUrl: string;
}

const DELEGATION = 'Admin console → Security → Access and data control → API controls → Domain-wide delegation';

/** A token-endpoint failure (400/401 with `{error, error_description}`) as an `auth.directory` error. */
export function tokenFailure(response: HttpResponse, who: GoogleIdentity): DirconnError {
  const { reason, message } = parseGoogleError(response.body);
  const said = `Google refused the service-account sign-in (HTTP ${response.status} ${reason || 'error'}: ${message})`;
  let hint: string;
  if (/signature/i.test(message)) hint = `The private key does not belong to ${who.clientEmail}, or the key was deleted: download a new JSON key and set google.keyFile again.`;
  else if (/email or user id|invalid_user|user id/i.test(message)) hint = `google.adminUser (${who.adminUser}) is not an existing user of the account: give an administrator's primary email.`;
  else if (/short-lived|timeframe|iat|exp/i.test(message)) hint = "This computer's clock is off by more than a few minutes: fix the time (NTP) and run again.";
  else if (reason === 'unauthorized_client' || /not authorized|unauthorized/i.test(message)) {
    hint = `Grant domain-wide delegation to the service account ${who.clientEmail} (its client id) with exactly these scopes: https://www.googleapis.com/auth/admin.directory.user.readonly, https://www.googleapis.com/auth/admin.directory.group.readonly, https://www.googleapis.com/auth/admin.directory.group.member.readonly (${DELEGATION}).`;
  } else if (reason === 'invalid_client') hint = `${who.clientEmail} is not a known service account (deleted or disabled?): check google.clientEmail and the key file.`;
  else hint = `Check google.clientEmail, the private key and google.tokenUrl (${who.tokenUrl}).`;
  if (response.status >= 500) return new DirconnError('provider.error', `${said}.`, { hint: 'Google\'s sign-in service failed; try again later.', details: { status: response.status } });
  return new DirconnError('auth.directory', `${said}.`, { hint, details: { status: response.status, reason } });
}

/** What a failing Directory API request was doing, for messages and hints. */
export interface RequestContext {
  /** "the user list", "the members of Engineering". */
  what: string;
  /** The read-only scope the call needs. */
  scope: string;
  /** The request carried a page token. */
  pagedRequest: boolean;
  /** The native query sent, and the setting it came from. */
  query?: { text: string; setting: string } | undefined;
}

/** A Directory API failure as a typed error; the read is abandoned (fail closed). */
export function apiFailure(response: HttpResponse, context: RequestContext, who: GoogleIdentity): DirconnError {
  const { reason, message } = parseGoogleError(response.body);
  const said = `Google answered ${context.what} with HTTP ${response.status}${reason ? ` ${reason}` : ''}: ${message}`;
  const details = { status: response.status, reason };
  const status = response.status;
  if (status === 400 && context.pagedRequest && /page ?token/i.test(message)) {
    return new DirconnError('provider.incomplete-read', `${said}. The listing could not be finished, so nothing was synced.`, {
      hint: 'The page token expired or the listing changed while it was read; run the sync again. Google ends list operations that take longer than 60 minutes.',
      details,
    });
  }
  if (status === 400 && context.query) {
    return new DirconnError('config.invalid', `Google rejected the query "${context.query.text}" in ${context.query.setting}: ${message}.`, {
      hint: "Fix the part after | in the filter (Google search syntax: orgUnitPath='/Sales' isSuspended=false, name:Eng*).",
      details,
    });
  }
  if (status === 400 || (status === 404 && /domain/i.test(message))) {
    return new DirconnError('config.invalid', `${said}.`, { hint: 'Check google.customer (your customer id or my_customer) and google.domain (a domain of the account).', details });
  }
  if (status === 401) return new DirconnError('auth.directory', `${said}.`, { hint: 'The access token was refused; run again. If it persists, check the system clock and google.tokenUrl.', details });
  if (status === 403) {
    const hint = /accessNotConfigured|SERVICE_DISABLED/i.test(`${reason} ${message}`)
      ? "Enable the Admin SDK API in the service account's Google Cloud project (APIs & Services → Library → Admin SDK API)."
      : `Make sure the service account ${who.clientEmail} has domain-wide delegation for ${context.scope} (${DELEGATION}) and that google.adminUser (${who.adminUser}) is an administrator allowed to read users and groups.`;
    return new DirconnError('provider.rights', `${said}.`, { hint, details });
  }
  if (status === 404) {
    return new DirconnError('provider.incomplete-read', `${said}. It disappeared while the directory was read, so nothing was synced.`, { hint: 'Run the sync again.', details });
  }
  return new DirconnError('provider.error', `${said}.`, { hint: 'Try again later; if it persists, check google.rootUrl and the service status.', details });
}
