import { describe, expect, it } from '@jest/globals';
import type { TraceEvent } from './dirconn-cli.js';
import { median } from './numbers.js';
import { phasesFromTrace } from './phases.js';

function response(atMs: number, route: string, ms: number): TraceEvent {
  return { atMs, level: 'DEBUG', message: 'bitwarden: response', fields: { route, ms } };
}

describe('phasesFromTrace', () => {
  const readDone: TraceEvent = { atMs: 900, level: 'DEBUG', message: 'ldap read finished' };

  it('cuts startup, LDAP read, org read, plan, import and finish, with the peak RSS of each', () => {
    const trace = [readDone, response(1000, '/connect/token', 20), response(1200, '/public/members', 100), response(1700, '/public/organization/import', 300), response(1900, '/public/organization/import', 150)];
    const rss = [
      { atMs: 100, kb: 51200 },
      { atMs: 800, kb: 102400 },
      { atMs: 1300, kb: 153600 },
    ];
    const phases = phasesFromTrace(trace, 2500, 600, rss);
    expect(phases.map((p) => [p.name, p.startMs, p.endMs])).toEqual([
      ['startup', 0, 300],
      ['LDAP read', 300, 900],
      ['token + org read', 900, 1200],
      ['plan', 1200, 1400],
      ['import', 1400, 1900],
      ['finish (state, report, output)', 1900, 2500],
    ]);
    expect(phases.map((p) => p.peakRssMb)).toEqual([50, 100, null, 150, null, null]);
  });

  it('merges plan and finish without an import, and is empty without a trace', () => {
    const phases = phasesFromTrace([readDone, response(1000, '/public/members', 50)], 1500, null, []);
    expect(phases.map((p) => p.name)).toEqual(['LDAP read', 'token + org read', 'plan + finish (state, report, output)']);
    expect(phasesFromTrace([], 1500, 100, [])).toEqual([]);
  });
});

describe('median', () => {
  it('takes the middle value, or the mean of the two middle ones', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(Number.isNaN(median([]))).toBe(true);
  });
});
