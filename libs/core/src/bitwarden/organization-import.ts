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

/**
 * Sends one import request body (`ImportRequest` JSON). Resolves on HTTP 200.
 *
 * The import is not idempotent in general, but it is convergent: posting the same body again after
 * a partial failure produces the same end state (bitwarden-api.md §4: every step is keyed by
 * externalId/email and re-applying it is a no-op). That is why the transport retries a 5xx, a
 * network error or a timeout here, as the spec asks, even though the server may have committed
 * part of the first attempt.
 *
 * @param organizationId for the 404 message
 * @param timeoutMs timeout of the request (large imports take minutes on cloud)
 * @throws DirconnError see `BitwardenClient.importOrganization`
 */
export async function postImport(api: BitwardenApi, organizationId: string, json: string, timeoutMs: number, signal: AbortSignal | undefined): Promise<void> {
  const response = await api.send(
    // Sent as idempotent: convergent, see above.
    { route: IMPORT_ROUTE, method: 'POST', path: '/public/organization/import', headers: { 'Content-Type': 'application/json' }, body: json, timeoutMs, what: 'the import', idempotent: true },
    signal,
  );
  if (response.status === 200) return;
  throw importError(response, organizationId, api.apiUrl);
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
