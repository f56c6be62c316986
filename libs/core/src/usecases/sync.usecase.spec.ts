/**
 * Fast tests of the sync use cases over in-memory fakes (issue #7 item 5): state saved only after a
 * successful apply, a report on every outcome, the drift re-post, the full/delta decision and the
 * refusal of a stale reviewed plan. The CLI end-to-end specs cover the same with real servers.
 */
import { describe, expect, it } from '@jest/globals';
import { DirconnError } from '../errors.js';
import type { DirectorySnapshot } from '../model/directory.js';
import type { OrgSnapshot } from '../model/organization.js';
import type { SafetyStopDetails } from '../sync/safety-stop.js';
import { group, orgGroup, orgMember, snapshot, syncState, user } from '../testing/builders.js';
import { TEST_ORGANIZATION_ID, syncTestDeps, type SyncTestDeps } from '../testing/fake-bitwarden-server.js';
import { needsFullRead, runPlan, runSync } from './sync.usecase.js';

/** The organization's state scope (issue #9 item 2): server + organization id. */
const SCOPE = `${TEST_ORGANIZATION_ID}@https://api.bitwarden.com`;
const HOUR = 3_600_000;

/** Alice and Bob in group Eng, read in full, cursor `c1`. */
function people(extra: string[] = []): DirectorySnapshot {
  const names = ['alice', 'bob', ...extra];
  return snapshot({ users: names.map((name) => user({ name })), groups: [group({ name: 'Eng', users: names })], cursor: 'c1' });
}

/** The organization as a sync of `people()` leaves it. */
function syncedOrg(): OrgSnapshot {
  return { members: [orgMember({ name: 'alice' }), orgMember({ name: 'bob' })], groups: [orgGroup({ name: 'Eng', memberIds: ['member-alice', 'member-bob'] })] };
}

/** Scopes whose state was saved, one entry per save. */
function savedScopes(deps: SyncTestDeps): string[] {
  return deps.workspace.writes.flatMap((w) => (w.kind === 'state' ? w.scopes : []));
}

async function failure(run: Promise<unknown>): Promise<DirconnError> {
  const error = await run.then(
    () => new Error('expected the run to fail'),
    (e: unknown) => e,
  );
  if (!DirconnError.is(error)) throw error;
  return error;
}

/** Deps after one successful sync of `people()` into an organization that now matches it. */
async function afterFirstSync(): Promise<SyncTestDeps> {
  const deps = syncTestDeps(people());
  await runSync(deps);
  deps.bitwarden.org = syncedOrg();
  return deps;
}

describe('runSync: state and reports', () => {
  it('saves the next state and writes a report after a successful apply', async () => {
    const deps = syncTestDeps(people());
    const result = await runSync(deps);
    expect(result).toMatchObject({ outcome: 'synced', requestsPosted: 1 });
    expect(deps.bitwarden.imports()).toHaveLength(1);
    // Twice: Alice and Bob recorded as pending before the import went out (issue #9 item 6), then the next state.
    expect(savedScopes(deps)).toEqual([SCOPE, SCOPE]);
    expect(deps.workspace.getState(SCOPE)).toEqual(result.plan.nextState);
    expect(deps.workspace.getState(SCOPE)).toMatchObject({ lastSyncHash: result.plan.hash, cursor: 'c1' });
    expect(deps.workspace.reports).toHaveLength(1);
    expect(deps.workspace.reports.at(-1)).toMatchObject({ id: 'id-1', command: 'sync', outcome: 'synced', requestsPosted: 1, organizationId: TEST_ORGANIZATION_ID, error: null });
  });

  it('leaves the state untouched but for the pending newcomer and still writes a report when the import fails', async () => {
    const deps = await afterFirstSync();
    const saved = deps.workspace.getState(SCOPE);
    deps.provider.setResult(people(['carol']));
    deps.bitwarden.importReply = { status: 400, body: { message: 'The model state is invalid.', validationErrors: null } };
    const error = await failure(runSync(deps));
    expect(deps.bitwarden.imports()).toHaveLength(2);
    expect(savedScopes(deps)).toEqual([SCOPE, SCOPE, SCOPE]);
    // Only Carol recorded as possibly added (issue #9 item 6: the server may have applied the import).
    expect(deps.workspace.getState(SCOPE)).toEqual({ ...saved, pendingUsers: [{ externalId: 'carol', email: 'carol@example.com' }] });
    expect(deps.workspace.reports).toHaveLength(2);
    expect(deps.workspace.reports.at(-1)).toMatchObject({ outcome: 'failed', requestsPosted: 0, error: { code: error.code } });
    expect(deps.workspace.reports.at(-1)?.summary).toMatchObject({ invites: 1 });
  });

  it('a safety stop posts nothing, saves nothing and reports the stop with its details', async () => {
    const deps = await afterFirstSync();
    const saved = deps.workspace.getState(SCOPE);
    deps.provider.setResult(snapshot({ users: [], groups: [] }));
    const error = await failure(runSync(deps));
    expect(error.code).toBe('sync.safety-stop');
    expect((error.details as SafetyStopDetails).checks.map((c) => c.rule)).toContain('empty-read');
    expect(error.action?.overrides).toContainEqual({ option: 'allowEmpty' });
    expect(deps.bitwarden.imports()).toHaveLength(1);
    expect(deps.workspace.getState(SCOPE)).toEqual(saved);
    expect(deps.workspace.reports.at(-1)).toMatchObject({ outcome: 'safety-stop', requestsPosted: 0, error: { code: 'sync.safety-stop', details: error.details } });
  });

  it('a failed directory read reports the failure and touches nothing', async () => {
    const deps = await afterFirstSync();
    const saved = deps.workspace.getState(SCOPE);
    deps.provider.setResult(new DirconnError('provider.unreachable', 'The directory is down.'));
    expect((await failure(runSync(deps))).code).toBe('provider.unreachable');
    expect(deps.workspace.getState(SCOPE)).toEqual(saved);
    expect(deps.workspace.reports.at(-1)).toMatchObject({ outcome: 'failed', summary: null, error: { code: 'provider.unreachable' } });
  });
});

/** Paths the fake Bitwarden server was asked for since request number `from`. */
function requestsSince(deps: SyncTestDeps, from: number): string[] {
  return deps.http.requests.slice(from).map((r) => `${r.method} ${new URL(r.url).pathname}`);
}

describe('runSync: the drift re-post', () => {
  it('posts nothing and reads no group members when neither the directory nor the organization changed', async () => {
    const deps = await afterFirstSync();
    const before = deps.http.requests.length;
    const result = await runSync(deps);
    expect(result).toMatchObject({ outcome: 'unchanged', requestsPosted: 0 });
    expect(deps.bitwarden.imports()).toHaveLength(1);
    // Issue #14 target 2: token, members, groups; no member-ids read for a group that did not change.
    expect(requestsSince(deps, before).filter((r) => !r.startsWith('POST /connect/token'))).toEqual(['GET /public/members', 'GET /public/groups']);
    expect(result.plan.groupMembersAssumed).toBe(1);
  });

  it('posts the same import again when the members list drifted although the hash is unchanged', async () => {
    const deps = await afterFirstSync();
    const org = syncedOrg();
    deps.bitwarden.org = { ...org, members: org.members.filter((m) => m.id !== 'member-bob') };
    const result = await runSync(deps);
    expect(result).toMatchObject({ outcome: 'synced', requestsPosted: 1 });
    expect(result.plan.warnings.map((w) => w.code)).toContain('sync.drift');
    const [first, second] = deps.bitwarden.imports();
    expect(second).toBe(first);
  });

  it('finds group-membership drift at the periodic full check (sync.fullSyncIntervalHours) and posts again', async () => {
    const deps = await afterFirstSync();
    const org = syncedOrg();
    deps.bitwarden.org = { ...org, groups: org.groups.map((g) => ({ ...g, memberIds: [] })) };
    // Within the interval the emptied group is not re-read: nothing to post.
    expect(await runSync(deps)).toMatchObject({ outcome: 'unchanged', requestsPosted: 0 });
    deps.clock.advance(25 * HOUR);
    const before = deps.http.requests.length;
    const result = await runSync(deps);
    expect(requestsSince(deps, before)).toContain('GET /public/groups/group-Eng/member-ids');
    expect(result).toMatchObject({ outcome: 'synced', requestsPosted: 1 });
    expect(result.plan.warnings.map((w) => w.code)).toContain('sync.drift');
    expect(result.plan.warnings.map((w) => w.code)).not.toContain('organization-drift');
    expect(result.plan.groupMembersAssumed).toBeUndefined();
    expect(deps.workspace.getState(SCOPE)?.lastMembershipCheck).toBe(deps.clock.now().toISOString());
  });

  it('reads the members of a group whose directory members changed, and only that group', async () => {
    const deps = syncTestDeps(snapshot({ users: ['alice', 'bob'].map((name) => user({ name })), groups: [group({ name: 'Eng', users: ['alice'] }), group({ name: 'Ops', users: ['bob'] })] }));
    await runSync(deps);
    deps.bitwarden.org = {
      members: [orgMember({ name: 'alice' }), orgMember({ name: 'bob' })],
      groups: [orgGroup({ name: 'Eng', memberIds: ['member-alice'] }), orgGroup({ name: 'Ops', memberIds: ['member-bob'] })],
    };
    deps.provider.setResult(snapshot({ users: ['alice', 'bob'].map((name) => user({ name })), groups: [group({ name: 'Eng', users: [] }), group({ name: 'Ops', users: ['bob'] })] }));
    const before = deps.http.requests.length;
    const result = await runPlan(deps, { groupMembers: 'needed' });
    expect(requestsSince(deps, before).filter((r) => r.includes('member-ids'))).toEqual(['GET /public/groups/group-Eng/member-ids']);
    // The read group's loss is seen (the membership checks count it); the other is assumed unchanged.
    expect(result.plan.summary.membershipRemovals).toBe(1);
    expect(result.plan.groupMembersAssumed).toBe(1);
  });

  it('plan (and a dry run) read every group, whatever changed', async () => {
    const deps = await afterFirstSync();
    const before = deps.http.requests.length;
    const result = await runPlan(deps);
    expect(requestsSince(deps, before)).toContain('GET /public/groups/group-Eng/member-ids');
    expect(result.plan.groupMembersAssumed).toBeUndefined();
  });
});

describe('full versus delta read', () => {
  const now = new Date('2026-03-02T09:00:00.000Z');
  const state = (lastFullSync: string | null, cursor: unknown = 'c1') => syncState({ lastFullSync, cursor });

  it.each([
    ['within the interval, with a cursor', state('2026-03-02T08:00:00.000Z'), 24, false, false, false],
    ['forced', state('2026-03-02T08:00:00.000Z'), 24, true, false, true],
    ['overwriteExisting', state('2026-03-02T08:00:00.000Z'), 24, false, true, true],
    ['no cursor', state('2026-03-02T08:00:00.000Z', null), 24, false, false, true],
    ['interval 0 (always full)', state('2026-03-02T08:00:00.000Z'), 0, false, false, true],
    ['never read in full', state(null), 24, false, false, true],
    ['the interval has passed', state('2026-03-01T09:00:00.000Z'), 24, false, false, true],
    ['one ms before the interval ends', state('2026-03-01T09:00:00.001Z'), 24, false, false, false],
    ['a last full read in the future (clock moved back)', state('2026-03-02T10:00:00.000Z'), 24, false, false, true],
  ] as const)('%s', (_name, previous, hours, force, overwrite, full) => {
    expect(needsFullRead(previous, hours, now, force, overwrite)).toBe(full);
  });

  it('a sync reads the delta since the saved cursor until fullSyncIntervalHours have passed', async () => {
    const deps = syncTestDeps();
    await deps.workspace.saveConfig({ ...deps.workspace.config, sync: { ...deps.workspace.config.sync, fullSyncIntervalHours: 24 } });
    deps.provider.setResult((options) => ({ ...people(), mode: options.force ? 'full' : 'delta', cursor: `c${deps.provider.reads.length}` }));
    await runSync(deps);
    deps.clock.advance(23 * HOUR);
    await runSync(deps);
    deps.clock.advance(2 * HOUR);
    await runSync(deps);
    await runSync(deps, { force: true });
    expect(deps.provider.reads.map((r) => [r.force, r.since])).toEqual([
      [true, undefined],
      [false, 'c1'],
      [true, undefined],
      [true, undefined],
    ]);
  });
});

describe('runSync with a reviewed plan', () => {
  async function reviewed(): Promise<SyncTestDeps & { plan: Awaited<ReturnType<typeof runPlan>>['plan'] }> {
    const deps = syncTestDeps(people());
    deps.bitwarden.org = syncedOrg();
    deps.bitwarden.org.members.pop();
    const { plan } = await runPlan(deps);
    return Object.assign(deps, { plan });
  }

  it('applies it when nothing changed since', async () => {
    const deps = await reviewed();
    expect(await runSync(deps, { reviewedPlan: deps.plan })).toMatchObject({ outcome: 'synced', requestsPosted: 1 });
    expect(deps.bitwarden.imports()).toEqual([JSON.stringify(deps.plan.requests[0])]);
  });

  it.each([
    ['the directory', (deps: SyncTestDeps) => deps.provider.setResult(people(['carol'])), 'the directory (users, groups or memberships)'],
    ['the organization', (deps: SyncTestDeps) => deps.bitwarden.org?.members.push(orgMember({ name: 'zoe' })), 'the organization (members or groups)'],
  ] as const)('refuses it when %s changed, posting and saving nothing', async (_name, change, changed) => {
    const deps = await reviewed();
    change(deps);
    const error = await failure(runSync(deps, { reviewedPlan: deps.plan }));
    expect(error.code).toBe('sync.plan-stale');
    expect((error.details as { changed: string[] }).changed).toContain(changed);
    expect(error.action?.commands?.map((c) => c.name)).toEqual(['plan', 'sync']);
    expect(deps.bitwarden.imports()).toEqual([]);
    expect(savedScopes(deps)).toEqual([]);
    expect(deps.workspace.reports.at(-1)).toMatchObject({ outcome: 'failed', error: { code: 'sync.plan-stale' } });
  });

  it('refuses a plan for another organization', async () => {
    const deps = await reviewed();
    const other = { ...deps.plan, target: { ...deps.plan.target, organizationId: '00000000-0000-4000-8000-000000000009' } };
    const error = await failure(runSync(deps, { reviewedPlan: other }));
    expect((error.details as { changed: string[] }).changed).toEqual(['the target organization or server']);
  });
});

describe('runSync: the seat pre-check (issue #13 item 8)', () => {
  const subscription = (seats: number | null, maxAutoScaleSeats: number | null = null) => ({ body: { object: 'organizationSubscription', passwordManager: { seats, maxAutoScaleSeats, storage: null } } });

  it('stops before inviting past the seats, names the shortfall, and posts once allowed', async () => {
    const deps = await afterFirstSync();
    // 2 members occupy 2 of 3 seats; carol and dave need 2.
    deps.http.on('GET', '/public/organization/subscription', subscription(3));
    deps.provider.setResult(people(['carol', 'dave']));
    const error = await failure(runSync(deps));
    expect(error.code).toBe('sync.safety-stop');
    const seats = (error.details as SafetyStopDetails).checks.find((c) => c.rule === 'seats');
    expect(seats).toMatchObject({ passed: false, allow: { option: 'allowSeatOverflow' } });
    expect(seats?.message).toContain('This sync invites 2 people; the organization has 3 seats, 2 occupied');
    expect(deps.bitwarden.imports()).toHaveLength(1);

    const allowed = await runSync(deps, { overrides: { allowSeatOverflow: true } });
    expect(allowed).toMatchObject({ outcome: 'synced', requestsPosted: 1 });
  });

  it('reads the seats only when the plan invites someone, and lets unlimited seats through', async () => {
    const deps = await afterFirstSync();
    deps.http.on('GET', '/public/organization/subscription', subscription(null));
    const seatReads = (): number => deps.http.calls('GET', '/public/organization/subscription').length;
    const before = seatReads();
    await runSync(deps);
    expect(seatReads()).toBe(before);
    deps.provider.setResult(people(['carol']));
    expect(await runSync(deps)).toMatchObject({ outcome: 'synced' });
    expect(seatReads()).toBe(before + 1);
  });
});
