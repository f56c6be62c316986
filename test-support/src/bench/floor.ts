// The ldapsearch floor: the same searches a sync makes, paged like dirconn, output to /dev/null;
// the best of a few attempts is what a sync's wall time is compared with.
// Test-only: lives in test-support, never shipped.

import type { Cleanup } from './cleanup.js';
import { processCpuMs, runTimed } from './process.js';

/** One search the sync makes, for the ldapsearch floor. */
export interface FloorSearch {
  /** `users`, `groups`, … */
  label: string;
  base: string;
  scope: 'base' | 'one' | 'sub';
  filter: string;
  attributes: string[];
}

/** How ldapsearch reaches the directory. */
export interface LdapsearchAccess {
  /** `ldap://127.0.0.1:389`, `ldaps://…` */
  url: string;
  bindDn: string;
  /** File holding exactly the password (no newline): `-y`. */
  passwordFile: string;
  /** Extra arguments before the filter, e.g. `['-ZZ']` for StartTLS. */
  extraArgs?: string[];
  /** Extra environment, e.g. `LDAPTLS_CACERT`. LDAPNOINIT=1 is always set. */
  env?: Record<string, string>;
}

/** The floor: every search once, sequentially (as the sync does them), output to /dev/null. */
export interface FloorMeasurement {
  /** Best total of the attempts, ms. */
  wallMs: number;
  /** Every attempt's total, ms. */
  attemptsMs: number[];
  /** Per search, in the best attempt, ms. */
  perSearchMs: Record<string, number>;
  /** Directory server CPU during the best attempt, ms (when known). */
  serverCpuMs?: number;
  /** The command lines run (password file path only, never the password). */
  commands: string[];
}

/** ldapsearch command line for one search (paged with `-E pr=<pageSize>/noprompt`). */
export function ldapsearchArgs(access: LdapsearchAccess, search: FloorSearch, pageSize: number): string[] {
  return [
    '-x',
    '-H', access.url,
    '-D', access.bindDn,
    '-y', access.passwordFile,
    '-LLL',
    '-o', 'ldif-wrap=no',
    '-b', search.base,
    '-s', search.scope,
    '-E', `pr=${pageSize}/noprompt`,
    ...(access.extraArgs ?? []),
    search.filter,
    ...search.attributes,
  ];
}

function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** Runs the floor searches `attempts` times (default 3) and keeps the fastest total (warm caches, least noise). */
export async function measureFloor(
  access: LdapsearchAccess,
  searches: FloorSearch[],
  pageSize: number,
  options: { attempts?: number; serverPid?: number; cleanup?: Cleanup } = {},
): Promise<FloorMeasurement> {
  const env = { ...process.env, LDAPNOINIT: '1', ...(access.env ?? {}) };
  const attemptsMs: number[] = [];
  let best: { total: number; per: Record<string, number>; cpu: number | undefined } | undefined;
  const commands = searches.map((s) => ['ldapsearch', ...ldapsearchArgs(access, s, pageSize)].map(shellQuote).join(' ') + ' > /dev/null');
  for (let attempt = 0; attempt < (options.attempts ?? 3); attempt++) {
    const per: Record<string, number> = {};
    let total = 0;
    const cpuBefore = processCpuMs(options.serverPid);
    for (const search of searches) {
      const result = await runTimed('ldapsearch', ldapsearchArgs(access, search, pageSize), { env, stdout: 'ignore', ...(options.cleanup ? { cleanup: options.cleanup } : {}) });
      if (result.code !== 0) throw new Error(`ldapsearch (${search.label}) failed with exit code ${String(result.code)}: ${result.stderrTail.trim()}`);
      per[search.label] = result.wallMs;
      total += result.wallMs;
    }
    const cpuAfter = processCpuMs(options.serverPid);
    attemptsMs.push(total);
    if (best === undefined || total < best.total) {
      best = { total, per, cpu: cpuBefore !== undefined && cpuAfter !== undefined ? cpuAfter - cpuBefore : undefined };
    }
  }
  if (best === undefined) throw new Error('no floor attempt');
  return { wallMs: best.total, attemptsMs, perSearchMs: best.per, ...(best.cpu !== undefined ? { serverCpuMs: best.cpu } : {}), commands };
}
