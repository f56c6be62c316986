/**
 * ldapts ends a paged search at the first page that carries no entries and no references, even when
 * the server's paged-results control on that page still holds a cookie ("more to come"): the rest of
 * the directory would be missing from a read that looks complete (issue #9 item 6). ldapts does not
 * hand the response controls to its caller, so the guard wraps the client's message exchange
 * (`Client._send`, internal to ldapts 9; `ldap.paging-guard.spec.ts` fails if that changes) and
 * counts such pages. The session fails the search when one was seen during it.
 */
import type { Client } from 'ldapts';
import { DirconnError } from '@dirconn/core';

/** OID of the simple paged results control (RFC 2696). */
const PAGED_RESULTS_OID = '1.2.840.113556.1.4.319';

/** What the guard has seen on one client. */
export interface PagingGuard {
  /** Pages of paged searches that carried no entry and no reference but a non-empty cookie. */
  readonly emptyPagesWithCookie: number;
}

interface ControlLike {
  type?: unknown;
  value?: { cookie?: { length?: unknown } } | undefined;
}

interface MessageLike {
  controls?: readonly ControlLike[] | undefined;
  searchEntries?: readonly unknown[];
  searchReferences?: readonly unknown[];
}

function pagedControl(message: MessageLike | undefined): ControlLike | undefined {
  return message?.controls?.find((control) => control.type === PAGED_RESULTS_OID);
}

/** True for the answer to a paged search that has nothing in it but says there is more. */
function isEmptyPageWithCookie(response: MessageLike | undefined): boolean {
  if (response === undefined || response === null) return false;
  if ((response.searchEntries?.length ?? 0) > 0 || (response.searchReferences?.length ?? 0) > 0) return false;
  const cookie = pagedControl(response)?.value?.cookie;
  return typeof cookie?.length === 'number' && cookie.length > 0;
}

/**
 * Watches every paged search `client` sends from now on. Throws `internal` when the ldapts client
 * has no `_send` to wrap (an ldapts upgrade changed it): reading without the guard could end a read
 * early without notice.
 */
export function guardPagedSearches(client: Client): PagingGuard {
  const internal = client as unknown as { _send?: unknown };
  const send = internal._send;
  if (typeof send !== 'function') {
    throw new DirconnError('internal', 'The LDAP library no longer exposes Client._send, so dirconn cannot check paged searches for pages cut short; the read was not started.', {
      hint: 'This is a bug in dirconn (an ldapts upgrade); please report it.',
    });
  }
  const guard = { emptyPagesWithCookie: 0 };
  const original = send as (this: Client, message: MessageLike) => unknown;
  internal._send = function guardedSend(this: Client, message: MessageLike): unknown {
    const result = original.call(this, message);
    if (pagedControl(message) === undefined || !(result instanceof Promise)) return result;
    return result.then((response: unknown) => {
      if (isEmptyPageWithCookie(response as MessageLike | undefined)) guard.emptyPagesWithCookie++;
      return response;
    });
  };
  return guard;
}

/** The error of a paged search that ended at an empty page with a cookie. */
export function pageCutShortError(where: string, base: { dn: string; key: string }): DirconnError {
  return new DirconnError(
    'provider.incomplete-read',
    `${where} answered a page of the search of ${base.dn} (${base.key}) with no entries but a paging cookie (more results to come); the LDAP library stops paging there, so the read would be incomplete and nothing was synced.`,
    {
      hint: 'Run the sync again. If it persists, try another ldap.pageSize, or (not with Active Directory) turn off ldap.pagedSearch.',
      details: { base: base.dn, key: base.key },
    },
  );
}
