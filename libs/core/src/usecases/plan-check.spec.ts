import { describe, expect, it } from '@jest/globals';
import { hasErrorCode } from '../errors.js';
import { plan } from '../sync/plan.js';
import { planInput, snapshot, user } from '../testing/index.js';
import { assertPlanStillValid } from './sync.usecase.js';

describe('assertPlanStillValid (sync --plan)', () => {
  it('accepts an unchanged plan and refuses one made without fingerprints', async () => {
    const input = planInput({ snapshot: snapshot({ users: [user({ name: 'a' })], groups: null }) });
    const reviewed = await plan(input);
    expect(() => assertPlanStillValid(reviewed, reviewed)).not.toThrow();
    const unfingerprinted = await plan({ ...input, fingerprints: false });
    for (const [a, b] of [
      [unfingerprinted, reviewed],
      [reviewed, unfingerprinted],
    ] as const) {
      let error: unknown;
      try {
        assertPlanStillValid(a, b);
      } catch (caught) {
        error = caught;
      }
      expect(hasErrorCode(error, 'sync.plan-stale')).toBe(true);
      expect((error as Error).message).toContain('fingerprints');
    }
  });
});
