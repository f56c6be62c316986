/**
 * The data file `data.json` through lowdb with dirconn's own adapter: parse → migrate → validate on
 * read; serialize → atomic private write on write. A damaged file is renamed aside to
 * `data.json.corrupt-<time>` and the open fails with `store.corrupt`: it is never reset silently
 * (the reference connector's backup could capture the already-emptied file, reference §9.2).
 */
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { DirconnError } from '@dirconn/core';
import { Low, type Adapter } from 'lowdb';
import { AtomicTextFile, errnoCode, tightenFileMode, writeFileAtomic } from './atomic-file.js';
import { migrateDocument, type JsonDocument } from './data-file.migrations.js';
import { DataFileSchemaError, defaultDataFile, validateDataFile, type DataFile } from './data-file.schema.js';

/**
 * Serializes the data file: small sections indented for people who open the file, each sync state
 * on one compact line (a state can hold 100k synced users; indenting it would triple the size and
 * the write time). Ends with a newline.
 */
export function serializeDataFile(data: DataFile): string {
  const lines: string[] = [];
  for (const [key, value] of Object.entries(data as unknown as Record<string, unknown>)) {
    if (value === undefined) continue;
    let text: string;
    if (key === 'state' && typeof value === 'object' && value !== null && Object.keys(value).length > 0) {
      const scopes = Object.entries(value).map(
        ([scope, state]) => `    ${JSON.stringify(scope)}: ${JSON.stringify(state)}`,
      );
      text = `{\n${scopes.join(',\n')}\n  }`;
    } else {
      text = JSON.stringify(value, null, 2).replace(/\n/g, '\n  ');
    }
    lines.push(`  ${JSON.stringify(key)}: ${text}`);
  }
  return `{\n${lines.join(',\n')}\n}\n`;
}

/** A file-name-safe ISO time: `2025-01-31T12-00-00.000Z` (colons are not allowed on Windows). */
export function fileTimestamp(date: Date): string {
  return date.toISOString().replace(/:/g, '-');
}

/** What the last {@link DataFileAdapter.read} found, beyond the data itself. */
export interface ReadInfo {
  /** Schema version found in the file (before migrations). */
  fromVersion: number;
  /** Migrations applied (versions produced); empty when the file was current. */
  migrated: number[];
  /** Key paths that were missing and got defaults (see `ValidationResult.filled`). */
  filled: string[];
}

/** Options of {@link DataFileAdapter}. */
export interface DataFileAdapterOptions {
  /** Creates ids (the `appId`); default `crypto.randomUUID`. */
  newId?: () => string;
  /** Clock for the corrupt-backup name; default `new Date()`. */
  now?: () => Date;
}

/**
 * lowdb adapter for `data.json`. `read()` resolves null when the file does not exist and rejects
 * with a DirconnError otherwise: `store.corrupt` (renamed aside), `store.io` (unreadable, or written
 * by a newer dirconn: left untouched), `config.invalid` (a bwdc data file: left untouched).
 */
export class DataFileAdapter implements Adapter<DataFile> {
  private readonly text: AtomicTextFile;
  private readonly newId: () => string;
  private readonly now: () => Date;
  /** Details of the last successful read (null before the first). */
  lastRead: ReadInfo | null = null;

  /** @param file absolute path of `data.json` */
  constructor(
    readonly file: string,
    options: DataFileAdapterOptions = {},
  ) {
    this.text = new AtomicTextFile(file);
    this.newId = options.newId ?? randomUUID;
    this.now = options.now ?? (() => new Date());
  }

  /** Reads, migrates and validates the file; null when it does not exist. */
  async read(): Promise<DataFile | null> {
    const text = await this.text.read();
    if (text === null) return null;
    await tightenFileMode(this.file);

    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      // Never echo the parser message: Node quotes a slice of the input, which may hold a secret.
      return this.corrupt(describeJsonError(text, error));
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      return this.corrupt(`the top level must be a JSON object, found ${parsed === null ? 'null' : Array.isArray(parsed) ? 'an array' : typeof parsed}`);
    }

    let migrated: ReturnType<typeof migrateDocument>;
    try {
      migrated = migrateDocument(parsed as JsonDocument, { fileLabel: `The data file ${this.file}` });
    } catch (error) {
      if (error instanceof DataFileSchemaError) return this.corrupt(error.message);
      if (DirconnError.is(error)) throw error;
      throw new DirconnError('internal', `Migrating ${this.file} failed; the file was left untouched.`, {
        cause: error,
        hint: 'This is a bug in dirconn; please report it with the dirconn version.',
      });
    }

    try {
      const { data, filled } = validateDataFile(migrated.doc, this.newId);
      this.lastRead = { fromVersion: migrated.fromVersion, migrated: migrated.applied, filled };
      return data;
    } catch (error) {
      if (error instanceof DataFileSchemaError) return this.corrupt(error.message);
      throw error;
    }
  }

  /** Writes the whole file atomically (mode 0600). */
  async write(data: DataFile): Promise<void> {
    await writeFileAtomic(this.file, serializeDataFile(data));
  }

  /**
   * Creates the file with `data` only if it does not exist yet. Resolves false when another process
   * created it first (the caller then reads that one).
   */
  async create(data: DataFile): Promise<boolean> {
    try {
      await writeFileAtomic(this.file, serializeDataFile(data), { exclusive: true });
      return true;
    } catch (error) {
      if (errnoCode(error) === 'EEXIST') return false;
      throw error;
    }
  }

  /** Renames the damaged file aside and throws `store.corrupt` naming both paths. */
  private async corrupt(reason: string): Promise<never> {
    let backup = `${this.file}.corrupt-${fileTimestamp(this.now())}`;
    for (let n = 2; ; n++) {
      try {
        await fs.access(backup);
        backup = `${this.file}.corrupt-${fileTimestamp(this.now())}-${n}`;
      } catch {
        break;
      }
    }
    try {
      await fs.rename(this.file, backup);
    } catch (error) {
      throw new DirconnError(
        'store.io',
        `The data file ${this.file} is damaged (${reason}), and moving it aside to ${backup} failed (${errnoCode(error) ?? 'unknown error'}); it was left in place.`,
        { hint: `Move ${this.file} away by hand (or repair it), then run the command again.`, cause: error, details: { file: this.file, backup, reason } },
      );
    }
    throw new DirconnError('store.corrupt', `The data file ${this.file} is damaged (${reason}). It was moved aside to ${backup}.`, {
      hint:
        `To restore it, repair ${backup} (or take data.json from a backup) and move it back to ${this.file}. ` +
        'To start afresh instead, run the command again: a new data file is created, and the configuration and login must be set up again.',
      details: { file: this.file, backup, reason },
    });
  }
}

/** "invalid JSON at line L, column C" without quoting the content. */
function describeJsonError(text: string, error: unknown): string {
  if (text.trim() === '') return 'the file is empty';
  const match = /position (\d+)/.exec(error instanceof Error ? error.message : '');
  if (!match?.[1]) return 'it is not valid JSON';
  const position = Number(match[1]);
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  const column = position - before.lastIndexOf('\n');
  return `it is not valid JSON: syntax error at line ${line}, column ${column}`;
}

/** Result of {@link loadDataFile}. */
export interface LoadedDataFile {
  /** lowdb instance holding the validated data. */
  db: Low<DataFile>;
  /** The adapter (for `create`, `lastRead`). */
  adapter: DataFileAdapter;
  /** True when the file did not exist and was created with defaults by this call. */
  created: boolean;
  /**
   * True when the loaded data differs from the file in a way worth saving: a migration ran or an
   * `appId` was generated. Callers holding the lock write it back.
   */
  needsWrite: boolean;
}

/**
 * Loads `data.json` (creating it with defaults when missing, race-free against a concurrent
 * creator). See {@link DataFileAdapter.read} for the errors.
 */
export async function loadDataFile(file: string, options: DataFileAdapterOptions = {}): Promise<LoadedDataFile> {
  const adapter = new DataFileAdapter(file, options);
  const db = new Low<DataFile>(adapter, defaultDataFile(options.newId));
  const existing = await adapter.read();
  if (existing !== null) {
    db.data = existing;
    const info = adapter.lastRead;
    const needsWrite = info !== null && (info.migrated.length > 0 || info.filled.includes('appId'));
    return { db, adapter, created: false, needsWrite };
  }
  if (await adapter.create(db.data)) return { db, adapter, created: true, needsWrite: false };
  // Another process created it between our read and our create: use theirs.
  const theirs = await adapter.read();
  if (theirs === null) {
    throw new DirconnError('store.io', `The data file ${file} appeared and vanished while it was being created.`, {
      hint: 'Another program is changing the data directory; make sure only dirconn uses it, then run the command again.',
    });
  }
  db.data = theirs;
  return { db, adapter, created: false, needsWrite: false };
}
