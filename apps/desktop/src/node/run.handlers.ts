/**
 * Handlers for reading and syncing: test (directory side), plan (what changes in the organization,
 * with the safety verdicts), explain, sync now (a safety stop crosses as `sync.safety-stop` with
 * the checks and removals in its details; the overrides allow it once), cancel, activity, and the
 * schedule. Each long operation holds the store lock for its own run, like the CLI's commands.
 */
import { runExplain, runPlan, runSync, runTest, type PlanOverrides, type RunOutcome } from '@dirconn/core';
import type { ApiInput } from '../shared/api-contract.js';
import type { ApiHandlers } from './dispatch.js';
import type { HandlerEnv } from './handler-env.js';
import type { OperationControl } from './operations.js';
import { planView, testView } from './views.js';

type RunMethods = 'test' | 'plan' | 'explain' | 'syncNow' | 'cancel' | 'activity' | 'scheduleGet' | 'scheduleStart' | 'scheduleStop';

/** The contract's overrides as the planner takes them (absent fields stay absent). */
function planOverrides(overrides: NonNullable<ApiInput<'syncNow'>['overrides']>): PlanOverrides {
  const out: PlanOverrides = {};
  if (overrides.allowRemovals !== undefined) out.allowRemovals = overrides.allowRemovals;
  if (overrides.allowEmpty !== undefined) out.allowEmpty = overrides.allowEmpty;
  if (overrides.allowMembershipRemovals !== undefined) out.allowMembershipRemovals = overrides.allowMembershipRemovals;
  if (overrides.allowSourceChange !== undefined) out.allowSourceChange = overrides.allowSourceChange;
  if (overrides.allowSeatOverflow !== undefined) out.allowSeatOverflow = overrides.allowSeatOverflow;
  return out;
}

/** One sync with the store locked for its run; used by "Sync now", the tray and the scheduler. */
export async function syncOnce(env: HandlerEnv, trigger: 'user' | 'schedule', overrides: PlanOverrides) {
  return env.operations.run('syncNow', trigger, (control: OperationControl) =>
    env.withStore(
      trigger === 'schedule' ? 'desktop scheduled sync' : 'desktop sync',
      async (deps) => {
        try {
          return await runSync(deps, { overrides, signal: control.signal, onProgress: control.onProgress, command: trigger === 'schedule' ? 'desktop scheduled sync' : 'desktop sync' });
        } finally {
          env.onStateChange?.();
        }
      },
      { lock: true },
    ),
  );
}

/** The scheduler's run: one sync, its outcome. */
export async function scheduledSync(env: HandlerEnv): Promise<RunOutcome> {
  return (await syncOnce(env, 'schedule', {})).outcome;
}

/** The read, plan, sync and schedule handlers. */
export function runHandlers(env: HandlerEnv): Pick<ApiHandlers, RunMethods> {
  return {
    test: (input) =>
      env.operations.run('test', 'user', (control) =>
        env.withStore('desktop test', async (deps) => testView(await runTest(deps, { last: input.sinceLastSync, signal: control.signal, onProgress: control.onProgress })), { lock: true }),
      ),

    plan: (input) =>
      env.operations.run('plan', 'user', (control) =>
        env.withStore(
          'desktop plan',
          async (deps) => planView((await runPlan(deps, { overrides: planOverrides(input.overrides), signal: control.signal, onProgress: control.onProgress })).plan),
          { lock: true },
        ),
      ),

    explain: (input) =>
      env.operations.run('explain', 'user', (control) =>
        env.withStore(
          'desktop explain',
          async (deps) => {
            const result = await runExplain(deps, input.query, { signal: control.signal });
            const needle = input.query.toLowerCase();
            const subject = new Set([needle, result.provider?.referenceId?.toLowerCase(), result.provider?.user?.email?.toLowerCase()].filter((v): v is string => v !== undefined));
            const changes = result.plan.changes.filter(
              (c) => subject.has(c.externalId.toLowerCase()) || (c.email !== undefined && subject.has(c.email.toLowerCase())) || (c.members ?? []).some((m) => subject.has(m.toLowerCase())),
            );
            return { query: input.query, found: result.provider?.found ?? false, checks: result.provider?.checks ?? [], changes };
          },
          { lock: true },
        ),
      ),

    syncNow: async (input) => {
      const result = await syncOnce(env, 'user', planOverrides(input.overrides));
      return { outcome: result.outcome, requestsPosted: result.requestsPosted, summary: result.plan.summary, reportId: result.report.id };
    },

    cancel: async () => ({ cancelled: env.operations.cancel() }),

    activity: async () => env.operations.activity(),

    scheduleGet: async () => env.scheduler.status(),

    scheduleStart: (input) => env.scheduler.start(input.intervalMinutes),

    scheduleStop: () => env.scheduler.stop(),
  };
}
