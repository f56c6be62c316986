/**
 * Okta's error answers turned into typed dirconn errors with a hint naming what to fix (directory-apis.md
 * §4.7): 401 E0000011 (bad or expired token), 403 E0000006 (missing admin role or scope), 400
 * E0000001 / E0000031 (an invalid filter or search expression), 404 E0000007, and anything else.
 * The reference collapses all of these into "API call failed.".
 */
import { DirconnError } from '@dirconn/core';
import type { HttpResponse } from '@dirconn/core';

/** An Okta error body's code and summary (`errorCode`/`errorSummary`, or OAuth `error`/`error_description`). */
export function oktaErrorOf(body: string): { code: string | null; summary: string } {
  try {
    const doc = JSON.parse(body) as Record<string, unknown>;
    const code = typeof doc['errorCode'] === 'string' ? doc['errorCode'] : typeof doc['error'] === 'string' ? doc['error'] : null;
    const summary = typeof doc['errorSummary'] === 'string' ? doc['errorSummary'] : typeof doc['error_description'] === 'string' ? doc['error_description'] : '';
    const causes = Array.isArray(doc['errorCauses']) ? doc['errorCauses'].map((c) => (c as { errorSummary?: unknown }).errorSummary).filter((s) => typeof s === 'string') : [];
    return { code, summary: [summary, ...causes].filter((s) => s !== '').join(' ') || 'no details' };
  } catch {
    const text = body.trim().slice(0, 200);
    return { code: null, summary: text === '' ? 'no details' : text };
  }
}

/** What a failed call was about, for the message and hint. */
export interface OktaRequestContext {
  /** "the user list", "the members of Sales". */
  what: string;
  /** The native query sent and the setting it came from, when one was sent. */
  query?: { text: string; setting: string } | undefined;
  /** `token` or `oauth`: which credential to blame on 401/403. */
  auth: 'token' | 'oauth';
}

/** The typed error of a non-200 answer. */
export function oktaApiFailure(response: HttpResponse, context: OktaRequestContext): DirconnError {
  const { code, summary } = oktaErrorOf(response.body);
  const status = response.status;
  const said = `Okta answered ${context.what} with HTTP ${status}${code ? ` ${code}` : ''}: ${summary}`;
  const details = { status, errorCode: code };
  if (status === 401) {
    return new DirconnError('auth.directory', `${said}. Nothing was synced.`, {
      hint:
        context.auth === 'token'
          ? 'The API token is invalid, revoked or expired (tokens expire after 30 days unused): create a new one as a read-only administrator (Security → API → Tokens) and save it with "dirconn config okta.token --secretfile <file>".'
          : 'The service app access token was refused: check okta.clientId, okta.privateKeyPath and okta.keyId.',
      details,
    });
  }
  if (status === 403) {
    return new DirconnError('provider.rights', `${said}. Nothing was synced.`, {
      hint:
        context.auth === 'token'
          ? 'The token has the rights of the administrator who created it: create it as an administrator with at least the Read-only Administrator role.'
          : 'Grant the service app the okta.users.read and okta.groups.read scopes and assign it the Read-only Administrator role.',
      details,
    });
  }
  if ((status === 400 || code === 'E0000031') && context.query) {
    return new DirconnError('config.invalid', `${said}. Okta rejected the query "${context.query.text}" of ${context.query.setting}.`, {
      hint: `Fix ${context.query.setting}: a user filter supports eq on status, id, profile.login, profile.email, profile.firstName, profile.lastName and gt/ge/lt/le on lastUpdated, joined by and/or; use "search:<expression>" for other attributes.`,
      details,
    });
  }
  if (status === 404) {
    return new DirconnError('provider.incomplete-read', `${said}. Nothing was synced.`, {
      hint: 'Check okta.orgUrl (the org URL, e.g. https://acme.okta.com); a group deleted during the read also causes this: run the sync again.',
      details,
    });
  }
  return new DirconnError('provider.error', `${said}. Nothing was synced.`, { hint: 'Run the sync again; check okta.orgUrl and the Okta status page if it persists.', details });
}

/** A page that is not what Okta sends (not a JSON array, a loop in the paging links). */
export function oktaMalformed(what: string, why: string): DirconnError {
  return new DirconnError('provider.incomplete-read', `Okta answered ${what} with a malformed page (${why}), so nothing was synced.`, {
    hint: 'Check okta.orgUrl (and any proxy in between); run the sync again.',
  });
}
