/**
 * The `FileWriter` port over the file system, for status files read by other programs (node_exporter's
 * textfile collector, a container HEALTHCHECK): temp file in the same directory, then rename, so a
 * scraper never reads half a file. Mode 0644: these files hold counts and times, never a name or a secret.
 */
import { randomBytes } from 'node:crypto';
import { open, rename, rm, utimes, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { FileWriter } from '@dirconn/core';

/** Writes status files atomically and touches heartbeat files; rejections carry Node's `code`. */
export const nodeFileWriter: FileWriter = {
  async writeTextAtomic(path, text) {
    const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    try {
      await writeFile(temp, text, { encoding: 'utf8', mode: 0o644, flag: 'wx' });
      await rename(temp, path);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  },
  async touch(path) {
    const now = new Date();
    try {
      await utimes(path, now, now);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      const handle = await open(path, 'a', 0o644);
      await handle.close();
      await utimes(path, now, now);
    }
  },
};
