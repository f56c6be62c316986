import { describe, expect, it } from '@jest/globals';
import { DirconnError, safetyStopHint, type SafetyOverride } from '@dirconn/core';
import { overrideFlag, renderCliHint } from './hint-words.js';
import { Output } from './output.js';

describe('the CLI words of structured hints', () => {
  it('words each override as its flag', () => {
    expect(overrideFlag({ option: 'allowRemovals', atLeast: 12 })).toBe('--allow-removals 12');
    expect(overrideFlag({ option: 'allowRemovals', atLeast: null })).toBe('--allow-removals <n>');
    expect(overrideFlag({ option: 'allowEmpty' })).toBe('--allow-empty');
  });

  it('prints exactly the text core falls back to (the output stays as it was)', () => {
    const overrides: SafetyOverride[] = [{ option: 'allowRemovals', atLeast: 6 }, { option: 'allowEmpty' }];
    const hint = safetyStopHint(overrides.map((allow) => ({ rule: 'max-removals', passed: false, message: 'm', allow })));
    expect(renderCliHint(hint)).toBe(hint.text);
    expect(renderCliHint(hint)).toBe(
      'Review the plan with "dirconn plan". If it is intended, run once with --allow-removals 6 --allow-empty or change the limits with "dirconn config sync.maxRemovals <n>" / "dirconn config sync.maxRemovalPercent <p>".',
    );
  });

  it('renders the action of an error, in text and in --json', () => {
    const action = { ...safetyStopHint([]), text: 'stale fallback' };
    const error = new DirconnError('sync.safety-stop', 'Safety stop.', { action });
    const err: string[] = [];
    const out: string[] = [];
    const io = { stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => err.push(s) }, env: {} };
    new Output(io, { json: false, color: false, quiet: false }).error(error);
    expect(err.join('')).toBe('Error: Safety stop.\nHint: Review the plan with "dirconn plan" and fix the directory or the organization; these checks have no override.\n');
    new Output(io, { json: true, color: false, quiet: false }).error(error);
    expect(JSON.parse(out.join(''))).toEqual({ error: { code: 'sync.safety-stop', message: 'Safety stop.', hint: renderCliHint(action), action } });
  });
});
