/**
 * The directory import (`POST /public/organization/import`, bitwarden-api.md §4) and the mapping of
 * its refusals to typed errors.
 */
import { DirconnError } from '../errors.js';
import type { ErrorCode } from '../errors.js';
import type { HttpResponse } from '../ports.js';
import { hostOf } from '../http/http-helpers.js';
import { describeErrorBody } from './error-body.js';
import type { BitwardenApi } from './bitwarden-api.js';
import { IMPORT_ROUTE } from './bitwarden-transport.js';

/** Network failures that happen before the request leaves: the import cannot have started. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * Sends one import request body (`ImportRequest` JSON). Resolves on HTTP 200.
 *
 * Never two imports in flight (issue #9 item 5): a 429 and a failure before the request was sent
 * (connection refused, name not resolved) are retried by the transport, but once the body may have
 * reached the server — a timeout, a connection reset, any 5xx (a proxy's 502/504 while the server
 * keeps working) — the outcome is unknown and the import is NOT sent again: a second import could
 * run beside the first. The run stops with `details.outcomeUnknown`; the saved state only records
 * who the import may have added (`pendingUsers`, saved before it was sent), so the next sync reads the organization again, plans from what is really there and converges
 * (the import is convergent: bitwarden-api.md §4).
 *
 * @param organizationId for the 404 message
 * @param timeoutMs timeout of the request (large imports take minutes on cloud)
 * @throws DirconnError see `BitwardenClient.importOrganization`
 */
export async function postImport(api: BitwardenApi, organizationId: string, json: string, timeoutMs: number, signal: AbortSignal | undefined): Promise<void> {
  let response: HttpResponse;
  try {
    response = await api.send(
      { route: IMPORT_ROUTE, method: 'POST', path: '/public/organization/import', headers: { 'Content-Type': 'application/json' }, body: json, timeoutMs, what: 'the import', idempotent: false },
      signal,
    );
  } catch (error) {
    if (DirconnError.is(error) && error.code === 'bitwarden.unreachable' && maybeSent(error)) throw outcomeUnknown(error, `the connection failed (${systemCodeOf(error) ?? 'network error'}) after the request was sent`, api.apiUrl);
    throw error;
  }
  if (response.status === 200) return;
  if (response.status >= 500) {
    const rejected = importError(response, organizationId, api.apiUrl);
    throw outcomeUnknown(rejected, `the server answered HTTP ${response.status} (${describeErrorBody(response.body).text})`, api.apiUrl, response.status);
  }
  throw importError(response, organizationId, api.apiUrl);
}

function systemCodeOf(error: DirconnError): string | null {
  const details = error.details as { systemCode?: unknown } | undefined;
  return typeof details?.systemCode === 'string' ? details.systemCode : null;
}

/** True unless the failure certainly happened before the body left (TLS trust problems never got that far either). */
function maybeSent(error: DirconnError): boolean {
  const details = error.details as { kind?: unknown } | undefined;
  if (details?.kind === 'tls') return false;
  const code = systemCodeOf(error);
  return code === null || !NOT_SENT.has(code);
}

/** The error of an import whose outcome is unknown: not sent again; the next run converges. */
function outcomeUnknown(cause: DirconnError, what: string, apiUrl: string, status?: number): DirconnError {
  const duplicates =
    status === 500
      ? " A bare 500 is often caused by duplicate emails or externalIds among the organization's existing members or groups: check the organization in the Admin Console."
      : '';
  return new DirconnError(
    status === undefined ? 'bitwarden.unreachable' : 'bitwarden.server-error',
    `The outcome of the import is unknown: ${what}. The server at ${hostOf(apiUrl)} may still be applying it (or have applied part of it), so dirconn did not send it again: two imports must never run at the same time.`,
    {
      hint: `Nothing else was sent; the saved state only records who this import may have added (so a leaver among them is still removed later): the next sync reads the organization again and converges (wait a few minutes if a proxy timed out while the server kept working).${duplicates}`,
      cause,
      details: { outcomeUnknown: true, ...(status !== undefined ? { status } : {}), ...(systemCodeOf(cause) !== null ? { systemCode: systemCodeOf(cause) } : {}) },
    },
  );
}

/** The typed error for an import answered with anything but 200. */
export function importError(response: HttpResponse, organizationId: string, apiUrl: string): DirconnError {
  const { text, errors } = describeErrorBody(response.body);
  const details = { status: response.status, errors };
  let code: ErrorCode = 'bitwarden.rejected';
  let message = `Bitwarden rejected the import (HTTP ${response.status}): ${text}`;
  let hint: string | undefined;
  switch (response.status) {
    case 400:
      if (errors !== null) hint = 'Members[i] and Groups[i] are positions in the request sent; see the run report for who they are.';
      break;
    case 404:
      message = `Bitwarden organization ${organizationId} was not found at ${hostOf(apiUrl)} (HTTP 404 on the import).`;
      hint = 'Check the server URL (server.api) and that the organization API key belongs to an existing organization.';
      break;
    case 413:
      message = `The import request is too large for the server (HTTP 413, ${text}).`;
      hint = 'Enable sync.largeImport to send the import in batches of 2000; a self-hosted proxy may also limit the body size.';
      break;
    case 415:
      hint = 'This is a bug in dirconn (wrong Content-Type); please report it.';
      break;
    case 422:
      message = `The server could not process the import (HTTP 422): ${text}`;
      hint = 'Vaultwarden needs every field with its exact type; this is likely a bug in dirconn, please report it.';
      break;
    default:
      code = response.status >= 200 && response.status < 300 ? 'bitwarden.server-error' : 'bitwarden.rejected';
      message = `Unexpected answer to the import: HTTP ${response.status}, ${text}`;
  }
  return new DirconnError(code, message, hint === undefined ? { details } : { hint, details });
}
