// Spawning and measuring child processes: wall time, stdout/stderr capture, RSS samples and CPU
// time read from /proc (Linux).
// Test-only: lives in test-support, never shipped.

import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { Cleanup } from './cleanup.js';
import { REPO_ROOT } from './paths.js';

/** Result of one timed child process. */
export interface TimedRun {
  /** Exit code (null when killed by a signal). */
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Spawn to close, milliseconds. */
  wallMs: number;
  /** Captured stdout (empty unless `stdout: 'capture'`). */
  stdout: string;
  /** Last 64 KiB of stderr. */
  stderrTail: string;
  /** Resident set size samples (with `sampleRssMs`; Linux /proc), oldest first. */
  rss: RssSample[];
}

/** One RSS sample of a child process. */
export interface RssSample {
  /** ms since spawn. */
  atMs: number;
  kb: number;
}

/** Options of {@link runTimed}. */
export interface RunTimedOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** `ignore` (/dev/null, default), `capture` (in memory), or a file path. */
  stdout?: 'ignore' | 'capture' | { file: string };
  /** Called with every complete stderr line. */
  onStderrLine?: (line: string) => void;
  /** Sample the child's RSS from /proc every this many ms (Linux). */
  sampleRssMs?: number;
  cleanup?: Cleanup;
}

/** VmRSS of a process in kB (Linux), or undefined. */
export function processRssKb(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

const STDERR_TAIL = 64 * 1024;

/** Runs a command and measures its wall time (spawn → all output closed). Never throws for a non-zero exit. */
export function runTimed(cmd: string, args: string[], options: RunTimedOptions = {}): Promise<TimedRun> {
  return new Promise((resolvePromise, reject) => {
    if (options.cleanup?.started) {
      reject(new Error(`not starting ${cmd}: the bench is cleaning up`));
      return;
    }
    const stdoutMode = options.stdout ?? 'ignore';
    let fd: number | undefined;
    if (typeof stdoutMode === 'object') fd = openSync(stdoutMode.file, 'w', 0o600);
    const started = performance.now();
    let child: ChildProcess;
    try {
      child = spawn(cmd, args, {
        env: options.env ?? process.env,
        cwd: options.cwd ?? REPO_ROOT,
        stdio: ['ignore', fd ?? (stdoutMode === 'capture' ? 'pipe' : 'ignore'), 'pipe'],
      });
    } catch (error) {
      if (fd !== undefined) closeSync(fd);
      reject(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    if (fd !== undefined) closeSync(fd); // the child has its own copy
    options.cleanup?.track(child);
    const out: Buffer[] = [];
    const rss: RssSample[] = [];
    const sampler =
      options.sampleRssMs !== undefined
        ? setInterval(() => {
            const kb = processRssKb(child.pid);
            if (kb !== undefined) rss.push({ atMs: performance.now() - started, kb });
          }, options.sampleRssMs)
        : undefined;
    let tail = '';
    let partial = '';
    child.stdout?.on('data', (b: Buffer) => out.push(b));
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (text: string) => {
      tail = (tail + text).slice(-STDERR_TAIL);
      if (options.onStderrLine) {
        const lines = (partial + text).split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) options.onStderrLine(line);
      }
    });
    child.on('error', (error) => {
      clearInterval(sampler);
      reject(error);
    });
    child.on('close', (code, signal) => {
      const wallMs = performance.now() - started;
      clearInterval(sampler);
      if (partial && options.onStderrLine) options.onStderrLine(partial);
      resolvePromise({ code, signal, wallMs, stdout: Buffer.concat(out).toString('utf8'), stderrTail: tail, rss });
    });
  });
}

/** User + system CPU time of a running process from /proc (Linux), ms; undefined elsewhere or when gone. */
export function processCpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain blanks) start at ") ".
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14, 15)
    return Number.isFinite(ticks) ? ticks * 10 : undefined; // USER_HZ is 100 on Linux
  } catch {
    return undefined;
  }
}
