/** Small helpers shared by commands: option parsers, progress wiring, override flags. */
import { InvalidArgumentError, type Command } from 'commander';
import type { ReadProgress, SyncOverrides } from '@dirconn/core';
import type { CliContext } from '../context.js';

/** commander parser for a non-negative whole number. */
export function nonNegativeInt(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('expected a whole number (0 or more).');
  return Number.parseInt(value, 10);
}

/** Parses a number > 0 (commander option parser). */
export function positiveNumber(text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value <= 0) throw new InvalidArgumentError('expected a number greater than 0.');
  return value;
}

/** Parses a whole number > 0 (commander option parser). */
export function positiveInteger(text: string): number {
  if (!/^\d+$/.test(text.trim()) || Number(text) <= 0) throw new InvalidArgumentError('expected a whole number greater than 0.');
  return Number(text);
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

/** commander parser for `--allow-removals`: a whole number, or `all` (needed when the count is unknown). */
export function removalAllowance(value: string): number | 'all' {
  if (value.trim().toLowerCase() === 'all') return 'all';
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('expected a whole number (0 or more) or "all".');
  return Number.parseInt(value, 10);
}

/** Options shared by plan and sync for one-run safety overrides. */
export interface OverrideFlags {
  allowRemovals?: number | 'all';
  allowEmpty?: boolean;
  allowMembershipRemovals?: number;
  allowSourceChange?: boolean;
  allowSeatOverflow?: boolean;
}

/** The one-run overrides flags of plan and sync (one place, so both commands offer the same). */
export function addOverrideOptions(command: Command, what: string): Command {
  return command
    .option('--allow-removals <n|all>', `allow up to n removals in this ${what} (overrides the limits once); "all" when dirconn cannot count them`, removalAllowance)
    .option('--allow-membership-removals <n>', `allow up to n group-membership removals in this ${what}`, nonNegativeInt)
    .option('--allow-empty', 'allow a directory read with no users, or with only empty groups, although the last sync had some')
    .option('--allow-source-change', 'allow a new directory type or root to remove the people synced from the previous one')
    .option('--allow-seat-overflow', 'allow invitations beyond the organization\'s seats (Bitwarden cloud buys seats by autoscale, or refuses past its limit)');
}

/** The flags as core's structured one-run overrides. */
export function overridesFrom(flags: OverrideFlags): SyncOverrides {
  return {
    ...(flags.allowRemovals !== undefined ? { allowRemovals: flags.allowRemovals } : {}),
    ...(flags.allowMembershipRemovals !== undefined ? { allowMembershipRemovals: flags.allowMembershipRemovals } : {}),
    ...(flags.allowEmpty ? { allowEmpty: true } : {}),
    ...(flags.allowSourceChange ? { allowSourceChange: true } : {}),
    ...(flags.allowSeatOverflow ? { allowSeatOverflow: true } : {}),
  };
}
