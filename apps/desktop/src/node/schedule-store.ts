/**
 * The desktop schedule, persisted next to the data file (`<dataDir>/desktop-schedule.json`, 0600,
 * atomic writes) so that a running schedule resumes after a restart (the reference forgets it,
 * reference-connector.md §11.2). Only the desktop app and `dirconn ui` read it; the CLI schedules with
 * `dirconn sync --interval` or cron.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '@dirconn/storage';
import { MAX_SCHEDULE_MINUTES, MIN_SCHEDULE_MINUTES } from '../shared/api-contract.js';

/** File name of the schedule inside the data directory. */
export const SCHEDULE_FILE_NAME = 'desktop-schedule.json';

const scheduleSchema = z.object({
  version: z.literal(1),
  enabled: z.boolean(),
  intervalMinutes: z.number().int().min(MIN_SCHEDULE_MINUTES).max(MAX_SCHEDULE_MINUTES),
  lastRunAt: z.string().nullable(),
  lastOutcome: z.enum(['synced', 'unchanged', 'dry-run', 'safety-stop', 'failed', 'skipped']).nullable(),
  lastMessage: z.string().nullable(),
});

/** The persisted schedule. */
export type SavedSchedule = z.infer<typeof scheduleSchema>;

/** Where the schedule is kept (a port, so the scheduler's specs need no files). */
export interface ScheduleStore {
  load(): Promise<SavedSchedule | null>;
  save(schedule: SavedSchedule): Promise<void>;
}

/** The schedule file in a data directory. An unreadable or invalid file reads as "no schedule". */
export class FileScheduleStore implements ScheduleStore {
  readonly file: string;

  constructor(dataDir: string) {
    this.file = path.join(dataDir, SCHEDULE_FILE_NAME);
  }

  async load(): Promise<SavedSchedule | null> {
    let text: string;
    try {
      text = await fs.readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    try {
      const parsed = scheduleSchema.safeParse(JSON.parse(text));
      return parsed.success ? parsed.data : null;
    } catch {
      // Not JSON: treated as no schedule (it is rewritten on the next start or stop).
      return null;
    }
  }

  async save(schedule: SavedSchedule): Promise<void> {
    await writeFileAtomic(this.file, `${JSON.stringify(schedule, null, 2)}\n`);
  }
}

/** A schedule store in memory (tests, and a face that must not persist). */
export class MemoryScheduleStore implements ScheduleStore {
  constructor(public saved: SavedSchedule | null = null) {}

  async load(): Promise<SavedSchedule | null> {
    return this.saved === null ? null : { ...this.saved };
  }

  async save(schedule: SavedSchedule): Promise<void> {
    this.saved = { ...schedule };
  }
}
