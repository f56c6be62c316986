import { describe, expect, it } from '@jest/globals';
import { DirconnError, hasErrorCode } from '../errors.js';
import { directoryA, planInput, snapshot, syncConfig, syncState, user } from '../testing/index.js';
import { apply, type ImportPoster, type PartialApplyDetails } from './apply.js';
import { plan } from './plan.js';
import type { SyncPlan } from './plan.types.js';
import type { SafetyStopDetails } from './safety-stop.js';

class RecordingPoster implements ImportPoster {
  readonly bodies: string[] = [];
  constructor(private readonly failAt?: number, private readonly failure: Error = new DirconnError('bitwarden.server-error', 'An unhandled server error has occurred.')) {}
  importOrganization(json: string): Promise<void> {
    if (this.failAt !== undefined && this.bodies.length + 1 === this.failAt) return Promise.reject(this.failure);
    this.bodies.push(json);
    return Promise.resolve();
  }
}

async function caught(run: () => Promise<unknown>): Promise<DirconnError> {
  try {
    await run();
  } catch (error) {
    if (DirconnError.is(error)) return error;
    throw error;
  }
  throw new Error('expected an error');
}

const batchedPlan = (): Promise<SyncPlan> => plan(planInput({ snapshot: directoryA(), sync: syncConfig({ largeImport: true }), batchSize: 4 }));

describe('apply', () => {
  it('posts exactly the plan requests, in order, as the hashed bytes', async () => {
    const p = await batchedPlan();
    const poster = new RecordingPoster();
    const progress: [number, number][] = [];
    const result = await apply(p, { poster, onProgress: (done, total) => progress.push([done, total]) });
    expect(result).toEqual({ posted: 7, skipped: false, requests: 7 });
    expect(poster.bodies).toEqual(p.requests.map((r) => JSON.stringify(r)));
    expect(`[${poster.bodies.join(',')}]`).toBe(JSON.stringify(p.requests));
    expect(progress).toEqual([1, 2, 3, 4, 5, 6, 7].map((n) => [n, 7]));
  });

  it('applies a plan that went through JSON (saved plan file)', async () => {
    const p = JSON.parse(JSON.stringify(await plan(planInput({ snapshot: directoryA() })))) as SyncPlan;
    const poster = new RecordingPoster();
    await apply(p, { poster });
    expect(poster.bodies).toEqual([JSON.stringify(p.requests[0])]);
  });

  it('refuses an unsafe plan with sync.safety-stop and the failed checks', async () => {
    const p = await plan(planInput({ snapshot: snapshot({ users: [], groups: null }), previous: syncState({ lastCounts: { users: 10, groups: 0 } }), sync: syncConfig({ overwriteExisting: true }) }));
    expect(p.safety.ok).toBe(false);
    const poster = new RecordingPoster();
    const error = await caught(() => apply(p, { poster }));
    expect(error.code).toBe('sync.safety-stop');
    expect((error.details as SafetyStopDetails).checks.map((c) => c.rule)).toContain('empty-read');
    expect(error.hint).toContain('--allow-empty');
    expect(poster.bodies).toEqual([]);
  });

  it('posts nothing for an unchanged plan', async () => {
    const first = await plan(planInput({ snapshot: directoryA() }));
    const again = await plan(planInput({ snapshot: directoryA(), previous: first.nextState }));
    const poster = new RecordingPoster();
    expect(await apply(again, { poster })).toEqual({ posted: 0, skipped: true, requests: 1 });
    expect(poster.bodies).toEqual([]);
  });

  it('says how many batches were applied when one fails (no transaction on the server)', async () => {
    const p = await batchedPlan();
    const poster = new RecordingPoster(4);
    const error = await caught(() => apply(p, { poster }));
    expect(error.code).toBe('bitwarden.server-error');
    expect(error.details).toEqual({ appliedRequests: 3, totalRequests: 7, failedRequest: 4 } satisfies PartialApplyDetails);
    expect(error.message).toContain('request 4 of 7; 3 applied before it');
    expect(error.hint).toContain('3 of 7 request(s) were applied');
    expect(poster.bodies).toHaveLength(3);
  });

  it('wraps an unexpected failure as internal, still with the applied count', async () => {
    const p = await plan(planInput({ snapshot: snapshot({ users: [user({ name: 'a' })], groups: null }) }));
    const error = await caught(() => apply(p, { poster: new RecordingPoster(1, new Error('boom')) }));
    expect(error.code).toBe('internal');
    expect(error.details).toEqual({ appliedRequests: 0, totalRequests: 1, failedRequest: 1 });
  });

  it('stops between requests when cancelled', async () => {
    const p = await batchedPlan();
    const controller = new AbortController();
    const poster: ImportPoster = {
      importOrganization: () => {
        controller.abort();
        return Promise.resolve();
      },
    };
    const error = await caught(() => apply(p, { poster, signal: controller.signal }));
    expect(hasErrorCode(error, 'cancelled')).toBe(true);
    expect(error.details).toMatchObject({ appliedRequests: 1, failedRequest: null });
  });

  it('refuses a plan whose requests were edited after hashing', async () => {
    const p = await plan(planInput({ snapshot: directoryA() }));
    p.requests[0]!.members[0]!.deleted = true;
    const poster = new RecordingPoster();
    const error = await caught(() => apply(p, { poster }));
    expect(error.code).toBe('sync.plan-stale');
    expect(poster.bodies).toEqual([]);
  });
});
