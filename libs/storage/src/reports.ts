/**
 * Run reports: one JSON file per run in `<dataDir>/reports`, named `<time>-<id>.json` so names sort
 * by time; only the newest 50 are kept. Written atomically with mode 0600 (a report names users).
 */
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { DirconnError, type RunReport } from '@dirconn/core';
import { ensurePrivateDir, errnoCode, readTextFile, storeIoError, writeFileAtomic } from './atomic-file.js';
import { fileTimestamp } from './data-file.js';

/** How many reports are kept by default. */
export const DEFAULT_REPORTS_KEPT = 50;

/** `2025-01-31T12-00-00.000Z-<id>.json`: file-name-safe ISO time, then the id. */
const REPORT_NAME = /^(\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}(?:\.\d{3})?Z)-([A-Za-z0-9_-]+)\.json$/;

/** Options of {@link writeRunReport}. */
export interface WriteRunReportOptions {
  /** Report id in the file name; default the report's own string `id`, else a random UUID. */
  id?: string;
  /** Time in the file name; default now. */
  now?: Date;
  /** Reports to keep, counting this one; older ones are deleted. Default 50. */
  keep?: number;
}

/** A report file found by {@link listRunReportFiles}. */
export interface RunReportEntry {
  /** Absolute path. */
  path: string;
  /** File name, e.g. `2025-01-31T12-00-00.000Z-1b2c.json`. */
  fileName: string;
  /** Time from the file name. */
  time: Date;
  /** Id from the file name. */
  id: string;
}

/**
 * Writes `report` as `<reportsDir>/<time>-<id>.json` (directory created 0700, file 0600, atomic)
 * and deletes all but the newest `keep` reports.
 * @returns the path written
 */
export async function writeRunReport(reportsDir: string, report: object, options: WriteRunReportOptions = {}): Promise<string> {
  const ownId = (report as { id?: unknown }).id;
  const rawId = options.id ?? (typeof ownId === 'string' && ownId !== '' ? ownId : randomUUID());
  const id = rawId.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64) || randomUUID();
  const fileName = `${fileTimestamp(options.now ?? new Date())}-${id}.json`;
  const file = path.join(reportsDir, fileName);
  await ensurePrivateDir(reportsDir);
  await writeFileAtomic(file, `${JSON.stringify(report, null, 2)}\n`);
  await pruneRunReports(reportsDir, options.keep ?? DEFAULT_REPORTS_KEPT);
  return file;
}

/** Deletes all but the newest `keep` reports. @returns how many were deleted */
export async function pruneRunReports(reportsDir: string, keep: number = DEFAULT_REPORTS_KEPT): Promise<number> {
  const entries = await listRunReportFiles(reportsDir);
  const old = entries.slice(Math.max(0, keep));
  for (const entry of old) {
    try {
      await fs.rm(entry.path, { force: true });
    } catch (error) {
      throw storeIoError('delete the old run report', entry.path, error);
    }
  }
  return old.length;
}

/**
 * Report files in `reportsDir`, newest first (by the time in the name), without reading them.
 * Other files are ignored; a missing directory gives an empty list.
 */
export async function listRunReportFiles(reportsDir: string, options: { limit?: number } = {}): Promise<RunReportEntry[]> {
  let names: string[];
  try {
    names = await fs.readdir(reportsDir);
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return [];
    throw storeIoError('list', reportsDir, error);
  }
  const entries: RunReportEntry[] = [];
  for (const fileName of names) {
    const match = REPORT_NAME.exec(fileName);
    if (!match?.[1] || !match[2]) continue;
    const time = new Date(match[1].replace(/T(\d{2})-(\d{2})-(\d{2})/, 'T$1:$2:$3'));
    if (Number.isNaN(time.getTime())) continue;
    entries.push({ path: path.join(reportsDir, fileName), fileName, time, id: match[2] });
  }
  // Names start with a fixed-width ISO time, so name order is time order.
  entries.sort((a, b) => (a.fileName < b.fileName ? 1 : a.fileName > b.fileName ? -1 : 0));
  return options.limit === undefined ? entries : entries.slice(0, Math.max(0, options.limit));
}

/**
 * The newest `limit` reports (all when no limit), newest first. A damaged report fails the listing
 * with `store.corrupt` naming the file.
 */
export async function listRunReports<T = RunReport>(reportsDir: string, options: { limit?: number } = {}): Promise<T[]> {
  const entries = await listRunReportFiles(reportsDir, options);
  const reports: T[] = [];
  for (const entry of entries) reports.push(await readRunReport<T>(entry.path));
  return reports;
}

/** Reads one report. A damaged file → `store.corrupt` naming it. */
export async function readRunReport<T = RunReport>(file: string): Promise<T> {
  const text = await readTextFile(file);
  if (text === null) {
    throw new DirconnError('store.io', `The run report ${file} does not exist.`, { hint: 'List the reports again; it may have been pruned.' });
  }
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new DirconnError('store.corrupt', `The run report ${file} is damaged (not valid JSON).`, {
      hint: `Delete ${file}; it only records a past run.`,
      cause: error,
    });
  }
}

/** The newest report in `reportsDir`, or null when there is none. */
export async function readLastRunReport<T = RunReport>(reportsDir: string): Promise<T | null> {
  const [newest] = await listRunReportFiles(reportsDir, { limit: 1 });
  return newest ? readRunReport<T>(newest.path) : null;
}
