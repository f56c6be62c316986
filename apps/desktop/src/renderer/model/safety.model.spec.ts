import { describe, expect, it } from '@jest/globals';
import type { PlannedChange, SafetyCheck } from '@dirconn/core';
import { readSafetyStop, suggestedOverrides } from './safety.model.js';

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
    expect(suggestedOverrides(stop)).toEqual({ overrides: { allowRemovals: 3 }, needsCount: false, canOverride: true, commandLineOnly: [] });
    const bigger = { checks: [check({ allow: { option: 'allowRemovals', atLeast: 7 } })], removals };
    expect(suggestedOverrides(bigger).overrides).toEqual({ allowRemovals: 7 });
  });

  it('asks for a count when a check does not know it, and adds allowEmpty when asked', () => {
    const stop = { checks: [check({ allow: { option: 'allowRemovals', atLeast: null } }), check({ rule: 'empty-read', allow: { option: 'allowEmpty' } })], removals };
    expect(suggestedOverrides(stop)).toEqual({ overrides: { allowRemovals: 3, allowEmpty: true }, needsCount: true, canOverride: true, commandLineOnly: [] });
  });

  it('offers no override when a failed check has none; passed checks are ignored', () => {
    const stop = { checks: [check({ allow: { option: 'allowRemovals', atLeast: 3 } }), check({ rule: 'duplicate-external-id' }), check({ rule: 'empty-read', passed: true })], removals };
    expect(suggestedOverrides(stop).canOverride).toBe(false);
  });

  it('names the suggestions the desktop API cannot carry in command-line words and offers no override then', () => {
    const stop = {
      checks: [
        check({ allow: { option: 'allowRemovals', atLeast: 3 } }),
        check({ rule: 'source-changed', allow: { option: 'allowSourceChange' }, override: '--allow-source-change' }),
        check({ rule: 'max-removals', allow: { option: 'allowRemovals', atLeast: 'all' }, override: '--allow-removals all' }),
      ],
      removals,
    };
    const suggestion = suggestedOverrides(stop);
    expect(suggestion.commandLineOnly).toEqual(['--allow-source-change', '--allow-removals all']);
    expect(suggestion.canOverride).toBe(false);
  });
});
