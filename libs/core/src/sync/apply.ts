/**
 * `apply()`: posts a plan's requests, in order, through an injected poster (the Bitwarden client).
 *
 * - Refuses a plan whose safety checks failed (`sync.safety-stop`, see safety-stop.ts for its details).
 * - Refuses a plan whose requests no longer match its hash (edited plan file: `sync.plan-stale`).
 * - Posts nothing when the plan is unchanged (hash skip).
 * - Posts each request sequentially; the body is `JSON.stringify(request)`, exactly the bytes the hash
 *   was computed over (for batches, the elements of the hashed array).
 * - The server has no transaction: when request k+1 fails, requests 1..k stay applied. The error then
 *   says so (`details.appliedRequests`). The batch order chosen by the request builder (additions,
 *   then groups, then deletions) makes every such prefix safe; see request-builder.ts.
 *
 * Saving `plan.nextState` after success is the caller's job (core does no I/O). Before each request
 * `beforeRequest` lets the caller record what it is about to send (issue #9 item 6: `pendingUsers`);
 * when that fails, the request is not posted.
 */
import { DirconnError, type ErrorCode } from '../errors.js';
import type { ImportRequest } from '../model/import-request.js';
import { computeSyncHash } from './hash.js';
import type { SyncPlan } from './plan.types.js';
import { serializeImportRequests } from './request-builder.js';
import { safetyStopError } from './safety-stop.js';

/** Posts one import body (`POST /public/organization/import`). Implemented by the Bitwarden client. */
export interface ImportPoster {
  /** Sends `json` as the request body; resolves on 200, throws a DirconnError otherwise. */
  importOrganization(json: string, signal?: AbortSignal): Promise<void>;
}

/** What `apply` needs from outside. */
export interface ApplyDeps {
  poster: ImportPoster;
  signal?: AbortSignal;
  /**
   * Called (and awaited) before each request is posted, with the request and its 0-based index: the
   * caller saves what the server may hold once it is accepted. A failure stops the run before that
   * request (requests before it stay applied, see PartialApplyDetails).
   */
  beforeRequest?: (request: ImportRequest, index: number) => Promise<void>;
  /** Called after each posted request with (requests done, requests to post). */
  onProgress?: (done: number, total: number) => void;
}

/** What `apply` did. */
export interface ApplyResult {
  /** Requests posted. */
  posted: number;
  /** True when nothing was posted because the hash equals the last successful sync's. */
  skipped: boolean;
  /** Requests in the plan. */
  requests: number;
}

/** Details of an error thrown after some requests may have been applied. */
export interface PartialApplyDetails {
  /** Requests the server accepted before the failure (they stay applied: no transaction). */
  appliedRequests: number;
  totalRequests: number;
  /** 1-based number of the request that failed, or null when cancelled between requests. */
  failedRequest: number | null;
  /** The `details` of the underlying error, if any. */
  cause?: unknown;
}

/** Posts the plan's requests. See the module comment for the refusals and the failure contract. */
export async function apply(plan: SyncPlan, deps: ApplyDeps): Promise<ApplyResult> {
  if (!plan.safety.ok) {
    throw safetyStopError(plan);
  }
  const total = plan.requests.length;
  if (plan.unchanged) return { posted: 0, skipped: true, requests: total };
  if (total === 0) return { posted: 0, skipped: false, requests: 0 };

  const expected = await computeSyncHash(plan.target.apiUrl, plan.target.organizationId, serializeImportRequests(plan.requests));
  if (expected !== plan.hash) {
    throw new DirconnError('sync.plan-stale', 'The plan\'s requests do not match its hash: the plan file was modified.', {
      hint: 'Create a new plan and apply that one.',
    });
  }

  let posted = 0;
  for (const request of plan.requests) {
    if (deps.signal?.aborted === true) {
      throw partialError('cancelled', `Cancelled after ${posted} of ${total} import request(s).`, { appliedRequests: posted, totalRequests: total, failedRequest: null }, undefined);
    }
    try {
      await deps.beforeRequest?.(request, posted);
      await deps.poster.importOrganization(JSON.stringify(request), deps.signal);
    } catch (error) {
      throw wrapFailure(error, posted, total);
    }
    posted += 1;
    deps.onProgress?.(posted, total);
  }
  return { posted, skipped: false, requests: total };
}

function partialError(code: ErrorCode, message: string, details: PartialApplyDetails, cause: unknown, hint?: string): DirconnError {
  const appliedHint =
    details.appliedRequests > 0
      ? `${details.appliedRequests} of ${details.totalRequests} request(s) were applied and stay applied (the server has no transaction); ` +
        'the next sync posts everything again and converges.'
      : undefined;
  const fullHint = [hint, appliedHint].filter((h): h is string => h !== undefined).join(' ');
  return new DirconnError(code, message, { cause, details, ...(fullHint !== '' ? { hint: fullHint } : {}) });
}

function wrapFailure(error: unknown, posted: number, total: number): DirconnError {
  const details: PartialApplyDetails = { appliedRequests: posted, totalRequests: total, failedRequest: posted + 1 };
  const where = total > 1 ? ` (request ${posted + 1} of ${total}; ${posted} applied before it)` : '';
  if (DirconnError.is(error)) {
    if (error.details !== undefined) details.cause = error.details;
    return partialError(error.code, `${error.message}${where}`, details, error, error.hint);
  }
  const message = error instanceof Error ? error.message : String(error);
  return partialError('internal', `Import failed: ${message}${where}`, details, error);
}
