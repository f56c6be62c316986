/**
 * The use cases behind `dirconn test`, `plan`, `sync` and `explain` (and the desktop's buttons):
 * read the directory → read the organization → plan() → safety → apply() → save state → report.
 * Fail closed: any error before apply leaves the saved state untouched and posts nothing.
 */
import { DirconnError, errorHint, toErrorData } from '../errors.js';
import type { DirectoryProvider, DirectorySnapshot, ReadOptions, ReadProgress, ProviderExplanation } from '../model/directory.js';
import type { ImportRequest } from '../model/import-request.js';
import type { OrgSnapshot } from '../model/organization.js';
import { EMPTY_SYNC_STATE, type SyncState } from '../model/state.js';
import { apply } from '../sync/apply.js';
import { plan as buildPlan } from '../sync/plan.js';
import type { SyncOverrides } from '../sync/overrides.js';
import type { SyncPlan } from '../sync/plan.types.js';
import { safetyStopError } from '../sync/safety-stop.js';
import { resolveServerUrls } from '../bitwarden/urls.js';
import type { BitwardenClient } from '../bitwarden/bitwarden-client.js';
import { describeSourceChange } from '../sync/source-change.js';
import { withPendingMembers } from '../sync/pending-users.js';
import { createBitwardenClient, createProvider, resolveDirectory, sourceOfSetup, stateScope, type DirectorySetup, type UseCaseDeps } from './session.js';
import { selectReportedChanges, type RunOutcome, type RunReport } from './run-report.js';

/** Options shared by the read-and-plan use cases. */
export interface PlanOptions {
  /** Read everything, ignoring delta cursors (default for `test`). */
  force?: boolean;
  /** One-run safety overrides (see SyncOverrides). */
  overrides?: SyncOverrides;
  /** Read the live organization (default true when logged in). */
  readOrganization?: boolean;
  signal?: AbortSignal;
  onProgress?: (progress: ReadProgress) => void;
  /** Batch size override (tests). */
  batchSize?: number;
  /** Compute the plan's fingerprints (default true; see PlanInput.fingerprints). */
  fingerprints?: boolean;
  /**
   * Which organization groups' members to read: `all` (default: what `plan`, `explain` and reviewed
   * plans show) or `needed` (a plain sync: only groups whose directory members changed, and all of
   * them at the periodic full check; sync/group-members-check.ts).
   */
  groupMembers?: 'all' | 'needed';
}

/** The result of reading and planning, before anything is posted. */
export interface PlanResult {
  plan: SyncPlan;
  snapshot: DirectorySnapshot;
  setup: DirectorySetup;
  scope: string;
  previous: SyncState;
  /** True when the plan was made without a Bitwarden login (directory side only). */
  loggedIn: boolean;
}

const PLACEHOLDER_ORG = '00000000-0000-0000-0000-000000000000';

/** Decides whether this run may use the delta cursor or must read everything. */
export function needsFullRead(previous: SyncState, fullSyncIntervalHours: number, now: Date, force: boolean, overwrite: boolean): boolean {
  if (force || overwrite || previous.cursor === null || previous.cursor === undefined) return true;
  if (fullSyncIntervalHours <= 0 || previous.lastFullSync === null) return true;
  const age = now.getTime() - Date.parse(previous.lastFullSync);
  return !(age >= 0 && age < fullSyncIntervalHours * 3_600_000);
}

/** Reads the directory (and the organization when possible) and builds the plan. */
export async function preparePlan(deps: UseCaseDeps, options: PlanOptions & { requireLogin: boolean }): Promise<PlanResult & { client: BitwardenClient | null }> {
  const config = deps.workspace.config;
  const setup = resolveDirectory(deps, config);
  let client: BitwardenClient | null = null;
  try {
    client = await createBitwardenClient(deps);
  } catch (error) {
    if (options.requireLogin || !DirconnError.is(error) || error.code !== 'auth.not-logged-in') throw error;
  }
  const organizationId = client?.organizationId ?? null;
  const urls = resolveServerUrls(config.server);
  const scope = stateScope(urls.api, organizationId);
  const previous = { ...EMPTY_SYNC_STATE, ...deps.workspace.getState(scope) };
  const source = sourceOfSetup(setup);
  const provider = await createProvider(deps, setup);
  const now = deps.clock.now();
  // Another source's delta cursor means nothing to this one: read everything.
  const sourceChanged = previous.source !== null && describeSourceChange(previous.source, source) !== null;
  const full = sourceChanged || needsFullRead(previous, setup.sync.fullSyncIntervalHours, now, options.force ?? false, setup.sync.overwriteExisting);
  const readOptions = {
    force: full,
    users: setup.sync.users,
    groups: setup.sync.groups,
    ...(full ? {} : { since: previous.cursor }),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  };
  const readOrg = client !== null && options.readOrganization !== false;
  const groupMembers = options.groupMembers === 'needed' ? 'none' : 'all';
  const { snapshot, org } = await readDirectoryAndOrganization(provider, readOptions, readOrg ? client : null, options.signal, groupMembers);

  let orgUnavailableReason: string | undefined;
  if (client === null) {
    orgUnavailableReason = 'not logged in to a Bitwarden organization';
  } else if (options.readOrganization === false) {
    orgUnavailableReason = 'organization not read for this command';
  } else if (org === null) {
    orgUnavailableReason = 'the server has no read endpoints (e.g. Vaultwarden): showing the directory-side view';
  }
  const planInput = {
    snapshot,
    previous,
    sync: setup.sync,
    org,
    target: { apiUrl: urls.api, organizationId: organizationId ?? PLACEHOLDER_ORG },
    source,
    now,
    ...(orgUnavailableReason !== undefined ? { orgUnavailableReason } : {}),
    ...(options.overrides ? { overrides: options.overrides } : {}),
    ...(options.batchSize !== undefined ? { batchSize: options.batchSize } : {}),
    ...(options.fingerprints === false ? { fingerprints: false } : {}),
    ...(client !== null
      ? {
          readGroupMembers: (read: OrgSnapshot, ids: readonly string[]) => client.readGroupMembers(read, ids, options.signal),
          readSeats: () => client.readSubscription(options.signal),
        }
      : {}),
  };
  let plan = await buildPlan(planInput);
  if (plan.unchanged && plan.warnings.some((w) => w.code === 'organization-drift')) {
    // The request is what we sent last time, yet the organization differs from it (skipped invites,
    // manual edits, a seat overrun): post again instead of trusting the cache (users-voice §1.4).
    // Only `unchanged` depends on the hash override, so the plan is not computed a second time.
    plan = {
      ...plan,
      unchanged: false,
      warnings: [
        ...plan.warnings.filter((w) => w.code !== 'organization-drift'),
        { code: 'sync.drift', message: 'The organization differs from the last sync although the directory did not change; the import will be sent again to correct it.' },
      ],
    };
  }
  return { plan, snapshot, setup, scope, previous, loggedIn: client !== null, client };
}

/**
 * Reads the directory and (with a client) the organization at the same time: both mostly wait on a
 * server (a 100k-user LDAP read, and one request per group of the organization), so the run takes
 * the longer of the two instead of their sum. Fail closed as before: either read failing stops the
 * other and fails the run before anything is planned or sent. The directory's own error is reported
 * in preference; the organization's when it failed first and the directory read only stopped because
 * of it.
 */
export async function readDirectoryAndOrganization(
  provider: DirectoryProvider,
  readOptions: ReadOptions,
  client: Pick<BitwardenClient, 'readOrganization'> | null,
  signal: AbortSignal | undefined,
  groupMembers: 'all' | 'none' = 'all',
): Promise<{ snapshot: DirectorySnapshot; org: OrgSnapshot | null }> {
  if (client === null) return { snapshot: await provider.read(readOptions), org: null };
  const both = new AbortController();
  const onAbort = (): void => both.abort();
  if (signal?.aborted === true) both.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  // Set by the organization read when it fails (a holder: assigned from the callback).
  const failed: { org: { error: unknown } | null } = { org: null };
  const orgRead = client.readOrganization(both.signal, { groupMembers }).catch((error: unknown) => {
    failed.org ??= { error };
    both.abort();
    return null;
  });
  try {
    let snapshot: DirectorySnapshot;
    try {
      snapshot = await provider.read({ ...readOptions, signal: both.signal });
    } catch (error) {
      const orgFailedFirst = failed.org;
      both.abort();
      await orgRead;
      if (orgFailedFirst !== null && signal?.aborted !== true && DirconnError.is(error) && error.code === 'cancelled') throw orgFailedFirst.error;
      throw error;
    }
    const org = await orgRead;
    if (failed.org !== null) throw failed.org.error;
    return { snapshot, org };
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}


/** Outcome of `sync` (also returned for dry runs). */
export interface SyncResult {
  outcome: RunOutcome;
  plan: SyncPlan;
  requestsPosted: number;
  report: RunReport;
}

export interface SyncOptions extends PlanOptions {
  dryRun?: boolean;
  /** A reviewed plan (`sync --plan plan.json`): applied only if nothing changed since it was made. */
  reviewedPlan?: SyncPlan;
  command?: string;
  /** The run's id, used as the report's id (the CLI puts it on every log line of the run). Default: a new id. */
  runId?: string;
  /** Told the run report as soon as it is made, also when the run fails (before it is written). */
  onReport?: (report: RunReport) => void;
}

/** What a run report needs from the prepared plan (not the directory snapshot itself). */
interface ReportedRun {
  plan: SyncPlan;
  snapshot: Pick<DirectorySnapshot, 'mode' | 'stats'>;
}

/** `dirconn sync`: read, plan, check safety, apply, save state, report. */
export async function runSync(deps: UseCaseDeps, options: SyncOptions = {}): Promise<SyncResult> {
  const started = deps.clock.now();
  const command = options.command ?? (options.dryRun ? 'sync --dry-run' : 'sync');
  let prepared: (ReportedRun & Pick<PlanResult, 'scope'>) | undefined;
  try {
    // Keep only what the report needs of the snapshot: the users and groups as read (100k entries
    // with their DNs and member lists) are not needed once planned; the plan has what apply() needs.
    // Fingerprints only where a plan is shown or compared (dry run, --plan): a plain sync never reads them.
    const { plan, client, scope, previous, snapshot: { mode, stats } } = await preparePlan(deps, {
      ...options,
      requireLogin: !options.dryRun,
      fingerprints: options.dryRun === true || options.reviewedPlan !== undefined,
      // A plain sync reads group members only where needed; a dry run or a reviewed plan shows all.
      groupMembers: options.groupMembers ?? (options.dryRun === true || options.reviewedPlan !== undefined ? 'all' : 'needed'),
    });
    prepared = { plan, scope, snapshot: { mode, stats } };
    if (options.reviewedPlan) assertPlanStillValid(options.reviewedPlan, plan);
    if (options.dryRun) {
      const report = await finishReport(deps, options, { command, started, outcome: 'dry-run', prepared, posted: 0, error: null });
      return { outcome: 'dry-run', plan, requestsPosted: 0, report };
    }
    if (!plan.safety.ok) {
      throw safetyStopError(plan);
    }
    if (client === null) {
      throw new DirconnError('auth.not-logged-in', 'You are not logged in to a Bitwarden organization.', {
        action: errorHint({ template: 'Run {command.0}.', commands: [{ name: 'login', args: [] }] }),
      });
    }
    // Write-ahead (issue #9 item 6): before each request, the members it sends that the state does
    // not know are saved as pending, so a later batch failing or the process dying after the server
    // accepted this one never hides a leaver from the next runs.
    let recorded: SyncState = previous;
    const beforeRequest = async (request: ImportRequest): Promise<void> => {
      const next = withPendingMembers(recorded, request);
      if (next === null) return;
      await deps.workspace.saveState(scope, next);
      recorded = next;
    };
    const applied = await apply(plan, { poster: client, beforeRequest, ...(options.signal ? { signal: options.signal } : {}) });
    await deps.workspace.saveState(prepared.scope, plan.nextState);
    const outcome: RunOutcome = applied.skipped ? 'unchanged' : 'synced';
    const report = await finishReport(deps, options, { command, started, outcome, prepared, posted: applied.posted, error: null });
    return { outcome, plan, requestsPosted: applied.posted, report };
  } catch (error) {
    const outcome: RunOutcome = DirconnError.is(error) && error.code === 'sync.safety-stop' ? 'safety-stop' : 'failed';
    await finishReport(deps, options, { command, started, outcome, prepared, posted: postedSoFar(error), error }).catch((reportError: unknown) => {
      deps.logger.warn('Could not write the run report', { error: toErrorData(reportError).message });
    });
    throw error;
  }
}

function postedSoFar(error: unknown): number {
  if (DirconnError.is(error) && typeof error.details === 'object' && error.details !== null) {
    const applied = (error.details as { appliedRequests?: unknown }).appliedRequests;
    if (typeof applied === 'number') return applied;
  }
  return 0;
}

/** Refuses a reviewed plan when the directory, the organization or the requests changed since. */
export function assertPlanStillValid(reviewed: SyncPlan, current: SyncPlan): void {
  const changed: string[] = [];
  // A plan made without fingerprints (a plain sync's) cannot show that nothing changed.
  if (reviewed.fingerprint.directory === '' || current.fingerprint.directory === '') changed.push('the fingerprints (the plan was made without them)');
  if (reviewed.target.organizationId !== current.target.organizationId || reviewed.target.apiUrl !== current.target.apiUrl) changed.push('the target organization or server');
  if (reviewed.fingerprint.directory !== current.fingerprint.directory) changed.push('the directory (users, groups or memberships)');
  if (reviewed.fingerprint.organization !== current.fingerprint.organization) changed.push('the organization (members or groups)');
  if (reviewed.hash !== current.hash) changed.push('the import requests');
  if (changed.length > 0) {
    throw new DirconnError('sync.plan-stale', `The saved plan is out of date: ${changed.join(', ')} changed since it was made (${reviewed.createdAt}).`, {
      action: errorHint({
        template: 'Make and review a new plan with {command.0}, then run {command.1}.',
        commands: [
          { name: 'plan', args: ['--output', 'plan.json'] },
          { name: 'sync', args: ['--plan', 'plan.json'] },
        ],
      }),
      details: { changed },
    });
  }
}

async function finishReport(
  deps: UseCaseDeps,
  options: Pick<SyncOptions, 'runId' | 'onReport'>,
  args: { command: string; started: Date; outcome: RunOutcome; prepared: ReportedRun | undefined; posted: number; error: unknown },
): Promise<RunReport> {
  const finished = deps.clock.now();
  const plan = args.prepared?.plan;
  const selected = plan ? selectReportedChanges(plan.changes) : { changes: [], truncated: false };
  const report: RunReport = {
    id: options.runId ?? (deps.newId ? deps.newId() : `${finished.getTime().toString(36)}-${Math.random().toString(36).slice(2, 8)}`),
    command: args.command,
    startedAt: args.started.toISOString(),
    finishedAt: finished.toISOString(),
    durationMs: finished.getTime() - args.started.getTime(),
    outcome: args.outcome,
    directory: deps.workspace.config.directory,
    organizationId: plan && plan.target.organizationId !== PLACEHOLDER_ORG ? plan.target.organizationId : null,
    readMode: args.prepared?.snapshot.mode ?? null,
    orgView: plan?.orgView ?? null,
    summary: plan?.summary ?? null,
    requestsPosted: args.posted,
    changes: selected.changes,
    changesTruncated: selected.truncated,
    warnings: plan?.warnings ?? [],
    safety: plan?.safety ?? null,
    stats: args.prepared?.snapshot.stats ?? {},
    error: args.error === null ? null : toErrorData(args.error),
  };
  options.onReport?.(report);
  await deps.workspace.writeReport(report);
  return report;
}

/** `dirconn test`: the directory side of a sync (no Bitwarden call needed). */
export async function runTest(deps: UseCaseDeps, options: PlanOptions & { last?: boolean } = {}): Promise<PlanResult> {
  const prepared = await preparePlan(deps, { ...options, force: !options.last, readOrganization: false, requireLogin: false });
  return prepared;
}

/** `dirconn plan`: what the sync would do against the live organization. */
export async function runPlan(deps: UseCaseDeps, options: PlanOptions = {}): Promise<PlanResult> {
  return preparePlan(deps, { ...options, requireLogin: false });
}

/** `dirconn explain <query>`: the provider's view plus what the next sync does to the subject. */
export async function runExplain(deps: UseCaseDeps, query: string, options: PlanOptions = {}): Promise<{ provider: ProviderExplanation | null; plan: SyncPlan; query: string }> {
  const prepared = await preparePlan(deps, { ...options, requireLogin: false });
  const provider = await createProvider(deps, prepared.setup);
  const explanation = provider.explain ? await provider.explain(query, options.signal) : null;
  return { provider: explanation, plan: prepared.plan, query };
}
