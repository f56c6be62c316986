/** Small helpers shared by commands: option parsers, progress wiring, override flags. */
import { InvalidArgumentError } from 'commander';
import type { ReadProgress, SyncOverrides } from '@dirconn/core';
import type { CliContext } from '../context.js';

/** commander parser for a non-negative whole number. */
export function nonNegativeInt(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('expected a whole number (0 or more).');
  return Number.parseInt(value, 10);
}

/** Progress callback printing on stderr at most every 250 ms. */
export function progressReporter(ctx: CliContext): (p: ReadProgress) => void {
  // On a terminal the line is rewritten 4 times a second; in logs (cron, CI) a line every 5 s, and
  // nothing for reads that finish quickly.
  const started = Date.now();
  const interval = ctx.io.stderr.isTTY ? 250 : 5000;
  let last = ctx.io.stderr.isTTY ? 0 : started;
  return (p) => {
    const now = Date.now();
    if (now - last < interval) return;
    last = now;
    ctx.output().progress(`Reading ${p.phase}: ${p.count}${p.total ? `/${p.total}` : ''}…`);
  };
}

/** Options shared by plan and sync for one-run safety overrides. */
export interface OverrideFlags {
  allowRemovals?: number;
  allowEmpty?: boolean;
}

/** The flags as core's structured one-run overrides. */
export function overridesFrom(flags: OverrideFlags): SyncOverrides {
  return {
    ...(flags.allowRemovals !== undefined ? { allowRemovals: flags.allowRemovals } : {}),
    ...(flags.allowEmpty ? { allowEmpty: true } : {}),
  };
}
