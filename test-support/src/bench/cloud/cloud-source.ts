// What a cloud directory plug-in of cloud-bench.ts provides (one file per provider under cloud/).
// Test-only: lives in test-support, never shipped.

import type { Cleanup } from '../cleanup.js';

/** Size of the generated directory. */
export interface CloudBenchSize {
  users: number;
  groups: number;
  /** Where the plug-in may write files (key files, certificates). */
  workDir: string;
}

/** A started fake cloud directory, seeded and ready for `dirconn config`. */
export interface CloudBenchSource {
  /** What was generated, for the output: "50000 users (500 suspended), 5000 groups (20 members each, 500 nested)". */
  description: string;
  /** `dirconn config` settings after `server`, in order (directory type first). */
  settings: [string, string][];
  /** Extra environment for every dirconn run. */
  env: Record<string, string>;
  /** Directory API requests answered so far, by route (token requests included as `token`). */
  requestsByRoute(): Record<string, number>;
}

/** One provider of the cloud bench. */
export interface CloudBenchPlugin {
  name: string;
  start(size: CloudBenchSize, cleanup: Cleanup): Promise<CloudBenchSource>;
}
