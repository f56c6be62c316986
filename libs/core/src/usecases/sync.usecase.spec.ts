import { describe, expect, it } from '@jest/globals';
import { combineOverrides } from './sync.usecase.js';

describe('combineOverrides (the safety-stop hint)', () => {
  it('suggests --allow-removals once, with the largest count', () => {
    expect(combineOverrides(['--allow-removals 17', '--allow-removals 17'])).toEqual(['--allow-removals 17']);
    expect(combineOverrides(['--allow-removals 6', '--allow-removals 9'])).toEqual(['--allow-removals 9']);
    expect(combineOverrides(['--allow-removals 9', '--allow-empty', '--allow-removals 6'])).toEqual(['--allow-removals 9', '--allow-empty']);
  });

  it('keeps other overrides once, in order', () => {
    expect(combineOverrides(['--allow-empty', '--allow-removals <n>', '--allow-empty'])).toEqual(['--allow-empty', '--allow-removals <n>']);
    expect(combineOverrides([])).toEqual([]);
  });
});
