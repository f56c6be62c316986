import { describe, expect, it } from '@jest/globals';
import type { PlannedChange, SafetyCheck } from '@dirconn/core';
import { describeOverrides, readSafetyStop, suggestedOverrides } from './safety.model.js';

const removal = (n: number): PlannedChange => ({ kind: 'remove', externalId: `u${n}`, email: `u${n}@example.com`, reason: 'no longer in the directory' });
const removals = [removal(1), removal(2), removal(3)];
const check = (patch: Partial<SafetyCheck>): SafetyCheck => ({ rule: 'max-removals', passed: false, message: 'too many', ...patch });

describe('safety stop model', () => {
  it('reads the documented details shape and refuses anything else', () => {
    expect(readSafetyStop({ checks: [], removals: [] })).toEqual({ checks: [], removals: [] });
    expect(readSafetyStop({ checks: 'x' })).toBeNull();
    expect(readSafetyStop(null)).toBeNull();
  });

  it('allows the largest known count, at least every listed removal', () => {
    const stop = { checks: [check({ allow: { option: 'allowRemovals', atLeast: 2 } }), check({ rule: 'user-count-drop', allow: { option: 'allowRemovals', atLeast: 1 } })], removals };
    expect(suggestedOverrides(stop)).toEqual({ overrides: { allowRemovals: 3 }, needsCount: false, canOverride: true });
    const bigger = { checks: [check({ allow: { option: 'allowRemovals', atLeast: 7 } })], removals };
    expect(suggestedOverrides(bigger).overrides).toEqual({ allowRemovals: 7 });
  });

  it('asks for a count when a check does not know it, and adds allowEmpty when asked', () => {
    const stop = { checks: [check({ allow: { option: 'allowRemovals', atLeast: null } }), check({ rule: 'empty-read', allow: { option: 'allowEmpty' } })], removals };
    expect(suggestedOverrides(stop)).toEqual({ overrides: { allowRemovals: 3, allowEmpty: true }, needsCount: true, canOverride: true });
  });

  it('offers no override when a failed check has none; passed checks are ignored', () => {
    const stop = { checks: [check({ allow: { option: 'allowRemovals', atLeast: 3 } }), check({ rule: 'duplicate-external-id' }), check({ rule: 'empty-read', passed: true })], removals };
    expect(suggestedOverrides(stop).canOverride).toBe(false);
  });

  it('carries every override core suggests: unknown counts, membership removals and a source change', () => {
    const stop = {
      checks: [
        check({ allow: { option: 'allowRemovals', atLeast: 3 } }),
        check({ rule: 'source-changed', allow: { option: 'allowSourceChange' }, override: '--allow-source-change' }),
        check({ rule: 'max-removals', allow: { option: 'allowRemovals', atLeast: 'all' }, override: '--allow-removals all' }),
        check({ rule: 'max-membership-removals', allow: { option: 'allowMembershipRemovals', atLeast: 40 } }),
        check({ rule: 'max-membership-removals', allow: { option: 'allowMembershipRemovals', atLeast: 12 } }),
      ],
      removals,
    };
    const suggestion = suggestedOverrides(stop);
    expect(suggestion).toEqual({ overrides: { allowRemovals: 'all', allowSourceChange: true, allowMembershipRemovals: 40 }, needsCount: false, canOverride: true });
    expect(describeOverrides(suggestion.overrides)).toBe('any number of removals, 40 group-membership removals and a change of directory source');
  });

  it('keeps `all` once a check asked for it, whatever the order', () => {
    const stop = { checks: [check({ allow: { option: 'allowRemovals', atLeast: 'all' } }), check({ allow: { option: 'allowRemovals', atLeast: 9 } })], removals };
    expect(suggestedOverrides(stop).overrides).toEqual({ allowRemovals: 'all' });
    expect(describeOverrides({ allowRemovals: 1 })).toBe('1 removal');
    expect(describeOverrides({ allowEmpty: true })).toBe('an empty read');
  });
});
