// Where the bench finds the repository and the built CLI, and which Node.js runs it.
// Test-only: lives in test-support, never shipped.

import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root (test-support/dist/bench/paths.js → ../../..). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
/** The CLI entry the bench runs (the installed `dirconn` bin). */
export const DIRCONN_BIN = join(REPO_ROOT, 'apps', 'cli', 'bin', 'dirconn.js');

/** Node.js 22+ to run the CLI with: this process's node when it is 22+, else the node@22 devDependency. */
export function nodeForCli(): string {
  const major = Number(process.versions.node.split('.')[0]);
  if (major >= 22) return process.execPath;
  const local = join(REPO_ROOT, 'node_modules', '.bin', 'node');
  if (existsSync(local)) return local;
  throw new Error(`the CLI needs Node.js 22+ (this is ${process.version}); run the bench through "npm run bench"`);
}
