/**
 * OneLogin's error answers turned into typed dirconn errors with a hint naming what to fix
 * (directory-apis.md §5.1, §5.3, §5.7): 401 (bad or expired credential), 403 (the credential's scope),
 * 400 (a query OneLogin rejects), 404 (wrong base URL, or a role deleted during the read), anything
 * else. Both body shapes are understood: v2 `{"message","statusCode","name"}` and the v1 envelope
 * `{"status":{"error":true,"code":401,"type":"Unauthorized","message":"…"}}`. The reference collapses
 * these into "API call failed." — or, mid-paging, into silence.
 */
import { DirconnError } from '@dirconn/core';
import type { HttpResponse } from '@dirconn/core';

/** The error name and message of a OneLogin error body (either shape); never the whole body. */
export function oneLoginErrorOf(body: string): { name: string | null; message: string } {
  try {
    const doc = JSON.parse(body) as Record<string, unknown>;
    const status = typeof doc['status'] === 'object' && doc['status'] !== null ? (doc['status'] as Record<string, unknown>) : null;
    const name = typeof doc['name'] === 'string' ? doc['name'] : typeof status?.['type'] === 'string' ? status['type'] : typeof doc['error'] === 'string' ? doc['error'] : null;
    const message =
      typeof doc['message'] === 'string' ? doc['message'] : typeof status?.['message'] === 'string' ? status['message'] : typeof doc['error_description'] === 'string' ? doc['error_description'] : '';
    return { name, message: message.slice(0, 300) || 'no details' };
  } catch {
    const text = body.trim().slice(0, 200);
    return { name: null, message: text === '' ? 'no details' : text };
  }
}

/** What a failed call was about, for the message and hint. */
export interface OneLoginRequestContext {
  /** "the user list", "the users of role Sales". */
  what: string;
  /** The native query sent and the setting it came from, when one was sent. */
  query?: { text: string; setting: string } | undefined;
}

const SCOPE_HINT =
  'Give the API credential the "Read users" scope (OneLogin → Administration → Developers → API Credentials; "Manage users", "Read All" or "Manage All" also work), or create a new credential with it.';

/** The typed error of a non-200 answer to an API call. */
export function oneLoginApiFailure(response: HttpResponse, context: OneLoginRequestContext): DirconnError {
  const { name, message } = oneLoginErrorOf(response.body);
  const status = response.status;
  const said = `OneLogin answered ${context.what} with HTTP ${status}${name ? ` ${name}` : ''}: ${message}`;
  const details = { status, error: name };
  if (status === 401) {
    return new DirconnError('auth.directory', `${said}. Nothing was synced.`, {
      hint: 'The access token was refused even after a fresh one was fetched: check onelogin.clientId and the client secret ("dirconn config onelogin.clientSecret --secretfile <file>"), and that the credential was not deleted.',
      details,
    });
  }
  if (status === 403) return new DirconnError('provider.rights', `${said}. Nothing was synced.`, { hint: SCOPE_HINT, details });
  if (status === 400 && context.query) {
    return new DirconnError('config.invalid', `${said}. OneLogin rejected the query "${context.query.text}" of ${context.query.setting}.`, {
      hint: `Fix ${context.query.setting}: users accept email, username, firstname, lastname, id, external_id, directory_id, since and until (values may use * wildcards); roles accept name and id.`,
      details,
    });
  }
  if (status === 404) {
    return new DirconnError('provider.incomplete-read', `${said}. Nothing was synced.`, {
      hint: 'Check onelogin.region and onelogin.baseUrl (the API host, e.g. https://api.us.onelogin.com); a role deleted during the read also causes this: run the sync again.',
      details,
    });
  }
  return new DirconnError('provider.error', `${said}. Nothing was synced.`, { hint: 'Run the sync again; check onelogin.baseUrl and the OneLogin status page if it persists.', details });
}

/** The typed error of a refused token request. */
export function oneLoginTokenFailure(response: HttpResponse, clientId: string): DirconnError {
  const { name, message } = oneLoginErrorOf(response.body);
  const status = response.status;
  const said = `OneLogin refused an access token for API credential ${clientId} (HTTP ${status}${name ? ` ${name}` : ''}): ${message}`;
  const details = { status, error: name };
  if (status === 400 || status === 401 || status === 403) {
    return new DirconnError('auth.directory', `${said}.`, {
      hint: 'Check onelogin.clientId and the client secret ("dirconn config onelogin.clientSecret --secretfile <file>"), and onelogin.region (us or eu) or onelogin.baseUrl: the credential belongs to one account and region.',
      details,
    });
  }
  if (status === 404) {
    return new DirconnError('config.invalid', `${said}.`, { hint: 'Check onelogin.region and onelogin.baseUrl: the token endpoint is <base>/auth/oauth2/v2/token.', details });
  }
  return new DirconnError('provider.error', `${said}.`, {
    hint: 'OneLogin answers 500 when the administrator who created the API credential was deleted: create a new credential with the "Read users" scope. Otherwise run again later.',
    details,
  });
}

/** A page that is not what OneLogin sends (not a JSON array, a paging cursor that repeats). */
export function oneLoginMalformed(what: string, why: string): DirconnError {
  return new DirconnError('provider.incomplete-read', `OneLogin answered ${what} with a malformed page (${why}), so nothing was synced.`, {
    hint: 'Check onelogin.baseUrl (and any proxy in between); run the sync again.',
  });
}
