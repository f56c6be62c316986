import { describe, expect, it } from '@jest/globals';
import { DirconnError, errorHint, renderHint, type HintWords } from './errors.js';

/** A face with other words, as the desktop would have (buttons). */
const buttons: HintWords = {
  command: (c) => `[${c.name}${c.args.length > 0 ? ` ${c.args.join(' ')}` : ''}]`,
  setting: (s) => `[set ${s.key}]`,
  override: (o) => `[${o.option}]`,
};

describe('structured hints', () => {
  const hint = errorHint({
    template: 'Run {command.0} then {command.1}; or {overrides}; or change {settings}.',
    commands: [
      { name: 'plan', args: ['--output', 'p.json'] },
      { name: 'login', args: [] },
    ],
    overrides: [{ option: 'allowRemovals', atLeast: 4 }, { option: 'allowEmpty' }],
    settings: [
      { key: 'sync.maxRemovals', value: '<n>' },
      { key: 'sync.maxRemovalPercent', value: '10' },
    ],
  });

  it('renders the fallback text in the reference wording', () => {
    expect(hint.text).toBe(
      'Run "dirconn plan --output p.json" then "dirconn login"; or --allow-removals 4 --allow-empty; or change "dirconn config sync.maxRemovals <n>" / "dirconn config sync.maxRemovalPercent 10".',
    );
  });

  it('lets a face use its own words', () => {
    expect(renderHint(hint, buttons)).toBe('Run [plan --output p.json] then [login]; or [allowRemovals] [allowEmpty]; or change [set sync.maxRemovals] / [set sync.maxRemovalPercent].');
  });

  it('keeps an unknown placeholder as written', () => {
    expect(renderHint({ template: 'Run {command.3}.', commands: [] }, buttons)).toBe('Run {command.3}.');
  });

  it('an error with an action has the text as its hint and both in its data', () => {
    const error = new DirconnError('auth.not-logged-in', 'Not logged in.', { action: hint });
    expect(error.hint).toBe(hint.text);
    expect(error.toData()).toEqual({ code: 'auth.not-logged-in', message: 'Not logged in.', hint: hint.text, action: hint });
    expect(new DirconnError('usage', 'x', { hint: 'mine', action: hint }).hint).toBe('mine');
    expect(new DirconnError('usage', 'x').toData()).toEqual({ code: 'usage', message: 'x' });
  });
});
