import { describe, expect, it } from '@jest/globals';
import { combineOverrides, describeOverride, type SafetyOverride } from './overrides.js';

const removals = (atLeast: number | null): SafetyOverride => ({ option: 'allowRemovals', atLeast });
const empty: SafetyOverride = { option: 'allowEmpty' };
/** The suggestions as the safety-stop hint words them. */
const worded = (overrides: SafetyOverride[]): string[] => combineOverrides(overrides).map(describeOverride);

describe('combineOverrides (the safety-stop hint)', () => {
  it('suggests allowRemovals once, with the largest count', () => {
    expect(combineOverrides([removals(17), removals(17)])).toEqual([removals(17)]);
    expect(worded([removals(17), removals(17)])).toEqual(['--allow-removals 17']);
    expect(worded([removals(6), removals(9)])).toEqual(['--allow-removals 9']);
    expect(worded([removals(9), empty, removals(6)])).toEqual(['--allow-removals 9', '--allow-empty']);
  });

  it('keeps other overrides once, in order', () => {
    expect(worded([empty, removals(null), empty])).toEqual(['--allow-empty', '--allow-removals <n>']);
    expect(combineOverrides([])).toEqual([]);
  });

  it('a known count replaces an unknown one: the option takes one value', () => {
    expect(combineOverrides([removals(null), removals(4)])).toEqual([removals(4)]);
    expect(combineOverrides([removals(4), removals(null)])).toEqual([removals(4)]);
  });
});
