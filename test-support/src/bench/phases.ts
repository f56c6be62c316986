// A sync's timeline (`--trace`): segments cut at the CLI's timestamped debug lines, each with the
// peak RSS sampled inside it.
// Test-only: lives in test-support, never shipped.

import type { Phase } from './bench.types.js';
import type { TraceEvent } from './dirconn-cli.js';
import type { RssSample } from './process.js';

/**
 * The timeline of a sync from its debug lines: the provider's "ldap read finished" (with the read's
 * own duration) and the Bitwarden client's "bitwarden: response" lines (route, ms). Segments:
 * startup → LDAP read → token + live-organization read → plan → import → finish (state, report,
 * JSON output, exit). Without an import, plan and finish are one segment.
 */
export function phasesFromTrace(trace: TraceEvent[], wallMs: number, ldapReadMs: number | null, rss: RssSample[]): Phase[] {
  if (trace.length === 0) return [];
  const readDone = trace.find((e) => e.message === 'ldap read finished');
  const responses = trace.filter((e) => e.message === 'bitwarden: response');
  const routeOf = (e: TraceEvent): string => {
    const route = e.fields?.['route'];
    return typeof route === 'string' ? route : '';
  };
  const msOf = (e: TraceEvent): number => {
    const ms = e.fields?.['ms'];
    return typeof ms === 'number' ? ms : 0;
  };
  const imports = responses.filter((e) => routeOf(e).includes('/import'));
  const beforeImport = responses.filter((e) => !routeOf(e).includes('/import'));
  const firstImport = imports[0];
  const lastImport = imports[imports.length - 1];
  const lastRead = beforeImport[beforeImport.length - 1];
  const ldapEnd = readDone?.atMs;
  const ldapStart = ldapEnd !== undefined && ldapReadMs !== null ? ldapEnd - ldapReadMs : undefined;
  const points: { name: string; end: number | undefined }[] = [
    { name: 'startup', end: ldapStart },
    { name: 'LDAP read', end: ldapEnd },
    { name: 'token + org read', end: lastRead?.atMs },
    ...(firstImport !== undefined && lastImport !== undefined
      ? [
          { name: 'plan', end: firstImport.atMs - msOf(firstImport) },
          { name: 'import', end: lastImport.atMs },
          { name: 'finish (state, report, output)', end: wallMs },
        ]
      : [{ name: 'plan + finish (state, report, output)', end: wallMs }]),
  ];
  const phases: Phase[] = [];
  let start = 0;
  for (const point of points) {
    if (point.end === undefined) continue;
    const end = Math.max(start, point.end);
    const inside = rss.filter((r) => r.atMs >= start && r.atMs <= end).map((r) => r.kb);
    phases.push({ name: point.name, startMs: start, endMs: end, peakRssMb: inside.length > 0 ? Math.max(...inside) / 1024 : null });
    start = end;
  }
  return phases;
}
