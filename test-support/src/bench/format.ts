// The printed report of a bench: the results table, per-run details, the target verdict and the
// `bench-result {...}` JSON line.
// Test-only: lives in test-support, never shipped.

import { TARGETS } from './bench-targets.js';
import type { BenchResult } from './bench.types.js';
import type { HttpCounts } from './fake-target.js';
import { round } from './numbers.js';

/** Seconds with 2 decimals. */
export function secs(ms: number): string {
  return (ms / 1000).toFixed(2);
}

/** HTTP counts as `token/import/reads`. */
export function httpText(h: HttpCounts): string {
  return `${h.token}/${h.import}/${h.reads}`;
}

/** The results table (one row per sync run and repetition, plus medians when repeated). */
export function formatTable(result: BenchResult): string {
  const head = ['users', 'groups', 'run', 'floor s', 'sync s', 'ratio', 'peak RSS MB', 'LDAP searches', 'LDAP pages', 'HTTP tok/imp/read', 'plan changes', 'outcome'];
  const rows: string[][] = [];
  for (const rep of result.repetitions) {
    for (const s of rep.syncs) {
      rows.push([
        String(result.users),
        String(result.groups),
        result.repetitions.length > 1 ? `${s.run} #${rep.rep}` : s.run,
        secs(rep.floor.wallMs),
        secs(s.wallMs),
        (s.wallMs / rep.floor.wallMs).toFixed(2),
        s.peakRssMb === null ? '?' : s.peakRssMb.toFixed(0),
        String(s.ldap.searches ?? '?'),
        String(s.ldap.pages ?? '?'),
        httpText(s.http),
        String(s.planChanges),
        `${s.outcome}${s.readMode ? ` (${s.readMode})` : ''}`,
      ]);
    }
  }
  if (result.repetitions.length > 1) {
    for (const s of result.median.syncs) {
      rows.push([String(result.users), String(result.groups), `${s.run} median`, secs(result.median.floorMs), secs(s.wallMs), s.ratio.toFixed(2), s.peakRssMb?.toFixed(0) ?? '?', '', '', '', '', '']);
    }
  }
  return renderTable(head, rows, new Set([0, 1, 3, 4, 5, 6, 7, 8, 9, 10]));
}

/** Per-run detail: CPU split, phases (with --trace), request routes. */
export function formatDetails(result: BenchResult): string {
  const lines: string[] = [];
  for (const rep of result.repetitions) {
    for (const s of rep.syncs) {
      const tag = result.repetitions.length > 1 ? ` #${rep.rep}` : '';
      const parts = [
        `cli CPU ${s.cliCpuMs === null ? '?' : secs(s.cliCpuMs)} s`,
        `fake CPU ${secs(s.fakeCpuMs)} s`,
        ...(s.serverCpuMs !== undefined ? [`slapd CPU ${secs(s.serverCpuMs)} s`] : []),
        `LDAP read ${s.ldap.readMs === null ? '?' : secs(s.ldap.readMs)} s (${s.ldap.entries ?? '?'} entries)`,
        `import ${(s.http.importBytes / 1e6).toFixed(1)} MB`,
        `stdout ${(s.stdoutBytes / 1e6).toFixed(1)} MB`,
      ];
      lines.push(`${s.run}${tag}: ${parts.join(', ')}`);
      lines.push(`  HTTP by route: ${Object.entries(s.http.byRoute).map(([k, v]) => `${k} ${v}`).join(', ')}${s.http.failed ? ` (${s.http.failed} non-2xx)` : ''}`);
      if (s.phases && s.phases.length > 0) {
        lines.push(`  phases (s, peak RSS in the phase): ${s.phases.map((p) => `${p.name} ${secs(p.endMs - p.startMs)}${p.peakRssMb === null ? '' : ` (${p.peakRssMb.toFixed(0)} MB)`}`).join(', ')}`);
      }
      if (s.warnings.length > 0) lines.push(`  warnings: ${s.warnings.join(', ')}`);
      if (s.cpuProfilePath) lines.push(`  cpu profile: ${s.cpuProfilePath}`);
      if (s.heapProfilePath) lines.push(`  heap profile: ${s.heapProfilePath}`);
    }
    lines.push(`floor #${rep.rep}: ${rep.floor.commands.join(' ; ')}${rep.floor.serverCpuMs !== undefined ? ` (slapd CPU ${secs(rep.floor.serverCpuMs)} s)` : ''}`);
  }
  return lines.join('\n');
}

/** The target verdict: one line per criterion (issue #14), measured against its limit. */
export function formatTargets(result: BenchResult): string {
  const t = result.targets;
  const head = `Targets of issue #14 (set for ${TARGETS.users / 1000}k users / ${TARGETS.groups / 1000}k groups)`;
  const scope = t.atTargetSize ? '' : ` [this run: ${result.users} users / ${result.groups} groups, below the target size: indicative only]`;
  const value = (v: number | null, unit: string): string => (v === null ? '?' : unit === 'requests' ? String(v) : unit === 'MB' ? `${v.toFixed(0)} MB` : unit === 's' ? `${v.toFixed(2)} s` : `${v.toFixed(2)}x`);
  const rows = t.rows.map((r) => [r.run, r.what, value(r.value, r.unit), `≤ ${value(r.limit, r.unit)}`, r.ok ? 'met' : 'MISSED']);
  return [`${head}${scope}: ${t.met ? 'ALL MET' : 'NOT ALL MET'}`, renderTable(['run', 'target', 'measured', 'limit', ''], rows)].join('\n');
}

/** The JSON line for notes and scripts: `bench-result {...}` with the main figures. */
export function resultJsonLine(result: BenchResult): string {
  const compact = {
    target: result.target,
    users: result.users,
    groups: result.groups,
    pageSize: result.pageSize,
    loadS: round(result.loadMs / 1000),
    node: result.node,
    cpus: result.cpus,
    loadAvg: result.loadAvg,
    repetitions: result.repetitions.map((rep) => ({
      rep: rep.rep,
      floorS: round(rep.floor.wallMs / 1000),
      floorPerSearchS: Object.fromEntries(Object.entries(rep.floor.perSearchMs).map(([k, v]) => [k, round(v / 1000)])),
      organizationAfterInitial: rep.organizationAfterInitial,
      syncs: rep.syncs.map((s) => ({
        run: s.run,
        outcome: s.outcome,
        readMode: s.readMode,
        wallS: round(s.wallMs / 1000),
        ratio: round(s.wallMs / rep.floor.wallMs),
        peakRssMb: s.peakRssMb === null ? null : Math.round(s.peakRssMb),
        cliCpuS: s.cliCpuMs === null ? null : round(s.cliCpuMs / 1000),
        fakeCpuS: round(s.fakeCpuMs / 1000),
        ...(s.serverCpuMs !== undefined ? { slapdCpuS: round(s.serverCpuMs / 1000) } : {}),
        ldapSearches: s.ldap.searches,
        ldapPages: s.ldap.pages,
        ldapEntries: s.ldap.entries,
        ldapReadS: s.ldap.readMs === null ? null : round(s.ldap.readMs / 1000),
        http: { total: s.http.total, token: s.http.token, import: s.http.import, reads: s.http.reads, failed: s.http.failed, byRoute: s.http.byRoute },
        importMb: round(s.http.importBytes / 1e6),
        requestsPosted: s.requestsPosted,
        planChanges: s.planChanges,
        identityChanges: s.identityChanges,
        stdoutMb: round(s.stdoutBytes / 1e6),
        ...(s.usersChanged !== undefined ? { usersChanged: s.usersChanged } : {}),
        ...(s.phases ? { phases: s.phases.map((p) => ({ name: p.name, s: round((p.endMs - p.startMs) / 1000), peakRssMb: p.peakRssMb === null ? null : Math.round(p.peakRssMb) })) } : {}),
        ...(s.cpuProfile ? { cpuProfile: s.cpuProfile.byCategory } : {}),
      })),
    })),
    median: { floorS: round(result.median.floorMs / 1000), syncs: result.median.syncs.map((s) => ({ run: s.run, wallS: round(s.wallMs / 1000), ratio: round(s.ratio), peakRssMb: s.peakRssMb === null ? null : Math.round(s.peakRssMb) })) },
    targets: result.targets,
  };
  return `bench-result ${JSON.stringify(compact)}`;
}

/** A plain-text table; columns in `right` are right-aligned. */
export function renderTable(head: string[], rows: string[][], right: Set<number> = new Set()): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (right.has(i) ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join(' | ')
      .trimEnd();
  return [line(head), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.map(line)].join('\n');
}
