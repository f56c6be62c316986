import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { listRunReportFiles, listRunReports, readLastRunReport, readRunReport, writeRunReport } from './reports.js';
import { makeTempDir, modeOf } from './spec-helpers.js';

let reportsDir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  let dir: string;
  ({ dir, cleanup } = await makeTempDir());
  reportsDir = path.join(dir, 'data', 'reports');
});
afterEach(() => cleanup());

const at = (i: number) => new Date(Date.UTC(2025, 0, 1, 0, 0, i));

describe('run reports', () => {
  it('writes <time>-<id>.json (0600) in a 0700 folder, using the report id', async () => {
    const file = await writeRunReport(reportsDir, { id: 'run-1', outcome: 'synced' }, { now: new Date('2025-02-03T04:05:06.007Z') });
    expect(path.basename(file)).toBe('2025-02-03T04-05-06.007Z-run-1.json');
    expect(await modeOf(file)).toBe(0o600);
    expect(await modeOf(reportsDir)).toBe(0o700);
    expect(await readRunReport(file)).toEqual({ id: 'run-1', outcome: 'synced' });
  });

  it('makes an id file-name safe, or invents one', async () => {
    const a = await writeRunReport(reportsDir, { id: '../../etc/passwd' }, { now: at(1) });
    const b = await writeRunReport(reportsDir, { no: 'id' }, { now: at(2) });
    expect(path.dirname(a)).toBe(reportsDir);
    expect(path.basename(a)).toBe('2025-01-01T00-00-01.000Z-______etc_passwd.json');
    expect(path.basename(b)).toMatch(/^2025-01-01T00-00-02\.000Z-[0-9a-f-]{36}\.json$/);
  });

  it('keeps only the newest 50', async () => {
    for (let i = 0; i < 53; i++) await writeRunReport(reportsDir, { id: `r${i}`, i }, { now: at(i) });
    const entries = await listRunReportFiles(reportsDir);
    expect(entries).toHaveLength(50);
    expect(entries[0]).toMatchObject({ id: 'r52', time: at(52) });
    expect(entries[49]?.id).toBe('r3');
    expect(await readLastRunReport(reportsDir)).toEqual({ id: 'r52', i: 52 });
    expect(await listRunReports(reportsDir, { limit: 2 })).toEqual([
      { id: 'r52', i: 52 },
      { id: 'r51', i: 51 },
    ]);
  });

  it('lists newest first with a limit and ignores other files', async () => {
    await writeRunReport(reportsDir, { id: 'old' }, { now: at(1) });
    await writeRunReport(reportsDir, { id: 'new' }, { now: at(2) });
    await fs.writeFile(path.join(reportsDir, 'notes.txt'), 'x');
    expect((await listRunReportFiles(reportsDir, { limit: 1 })).map((e) => e.id)).toEqual(['new']);
    expect((await listRunReportFiles(reportsDir)).map((e) => e.id)).toEqual(['new', 'old']);
    expect(await listRunReports<{ id: string }>(reportsDir)).toEqual([{ id: 'new' }, { id: 'old' }]);
  });

  it('no folder yet: empty list, no last report', async () => {
    expect(await listRunReportFiles(reportsDir)).toEqual([]);
    expect(await listRunReports(reportsDir)).toEqual([]);
    expect(await readLastRunReport(reportsDir)).toBeNull();
  });

  it('a damaged report is store.corrupt naming the file', async () => {
    const file = await writeRunReport(reportsDir, { id: 'x' }, { now: at(1) });
    await fs.writeFile(file, '{');
    await expect(readLastRunReport(reportsDir)).rejects.toMatchObject({ code: 'store.corrupt', message: expect.stringContaining(file) as unknown });
    await expect(listRunReports(reportsDir)).rejects.toMatchObject({ code: 'store.corrupt' });
  });
});
