// The command-line driver shared by the bench scripts (ldap-bench.ts, ad-bench.ts): option helpers,
// work dir, cleanup, the run and the printed report.
// Test-only: lives in test-support, never shipped.

import type { BenchOptions, BenchResult, DirectoryTarget } from './bench.types.js';
import { Cleanup, tempDir } from './cleanup.js';
import { formatDetails, formatTable, formatTargets, resultJsonLine } from './format.js';
import { runBench } from './run-bench.js';

/** Parses a positive integer option. */
export function positiveInt(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new Error(`--${name} must be a positive whole number, got "${value}"`);
  return Number(value);
}

/** Writes a progress line on stderr (stdout carries only the results). */
export function benchLog(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** What differs between the bench scripts; `runBenchCli` does the rest. */
export interface BenchCli<O extends BenchOptions> {
  usage: string;
  /** Parses argv; null means `--help`. Throws on bad options. */
  parse(argv: string[]): O | null;
  /** Prefix of the temporary work dir. */
  workDirPrefix: string;
  /** Starts the directory server (registering its cleanup) and returns the target to measure. */
  start(options: O, cleanup: Cleanup): Promise<DirectoryTarget>;
  /** The one-line description printed above the table. */
  describe(result: BenchResult, options: O): string;
  /** Whether to print the 100k target verdict. */
  showTargets: boolean;
}

/** Shared main of the bench scripts: options, work dir, cleanup, the run and the printed report; returns the exit code. */
export async function runBenchCli<O extends BenchOptions>(cli: BenchCli<O>): Promise<number> {
  let options: O | null;
  try {
    options = cli.parse(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${cli.usage}\n`);
    return 2;
  }
  if (options === null) {
    process.stdout.write(`${cli.usage}\n`);
    return 0;
  }
  const cleanup = new Cleanup();
  cleanup.installSignalHandlers();
  try {
    options.workDir = await tempDir(cleanup, cli.workDirPrefix, options.keep);
    benchLog(`work dir: ${options.workDir}${options.keep ? ' (kept)' : ''}`);
    const target = await cli.start(options, cleanup);
    const result = await runBench(target, options, cleanup, benchLog);
    const out = ['', cli.describe(result, options), '', formatTable(result), '', formatDetails(result), ''];
    if (cli.showTargets) out.push(formatTargets(result), '');
    out.push(resultJsonLine(result), '');
    process.stdout.write(out.join('\n'));
    return 0;
  } catch (error) {
    process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 1;
  } finally {
    await cleanup.run();
    if (options.keep && options.workDir) benchLog(`kept: ${options.workDir}`);
  }
}
