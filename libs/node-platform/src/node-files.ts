/** The `FileReader` port over the file system. */
import { constants } from 'node:fs';
import { access, readFile } from 'node:fs/promises';
import type { FileReader } from '@dirconn/core';

/** Reads files as UTF-8 and checks read access; rejections carry Node's `code` (ENOENT, EACCES…). */
export const nodeFiles: FileReader = {
  readText: (path) => readFile(path, 'utf8'),
  checkReadable: (path) => access(path, constants.R_OK),
};
