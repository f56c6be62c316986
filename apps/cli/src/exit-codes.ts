/**
 * Exit codes (STYLE.md §10), in one table. Nothing turns a failure into exit 0.
 */
import type { ErrorCode } from '@dirconn/core';

export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  config: 3,
  auth: 4,
  unreachable: 5,
  safetyStop: 6,
  locked: 7,
  interrupted: 130,
} as const;

/** Documented meaning of each exit code (help topic `dirconn help exit-codes` and the README). */
export const EXIT_CODE_TABLE: readonly [number, string][] = [
  [0, 'OK, including "nothing to do"'],
  [1, 'Unexpected failure, or the server rejected the import'],
  [2, 'Usage error (unknown command, option or setting; bad argument)'],
  [3, 'Configuration invalid or incomplete, or no secret storage available'],
  [4, 'Authentication failed (directory or Bitwarden), or not logged in'],
  [5, 'Directory or Bitwarden unreachable, TLS failure, incomplete directory read, or throttled out'],
  [6, 'Safety stop: the plan was refused (too many removals, empty read, duplicates, stale plan)'],
  [7, 'The data directory is locked by another dirconn process'],
  [130, 'Interrupted'],
];

/** Maps an error code to the process exit code. */
export function exitCodeFor(code: ErrorCode): number {
  switch (code) {
    case 'usage':
      return EXIT.usage;
    case 'config.invalid':
    case 'config.incomplete':
    case 'secrets.unavailable':
    case 'secrets.missing':
      return EXIT.config;
    case 'auth.directory':
    case 'auth.bitwarden':
    case 'auth.not-logged-in':
    case 'provider.rights':
      return EXIT.auth;
    case 'provider.unreachable':
    case 'provider.throttled':
    case 'provider.tls':
    case 'provider.incomplete-read':
    case 'provider.referral':
    case 'provider.error':
    case 'bitwarden.unreachable':
    case 'bitwarden.throttled':
      return EXIT.unreachable;
    case 'sync.safety-stop':
    case 'sync.duplicate-email':
    case 'sync.duplicate-external-id':
    case 'sync.plan-stale':
      return EXIT.safetyStop;
    case 'store.locked':
      return EXIT.locked;
    case 'cancelled':
      return EXIT.interrupted;
    case 'bitwarden.rejected':
    case 'bitwarden.server-error':
    case 'store.corrupt':
    case 'store.io':
    case 'internal':
      return EXIT.failure;
  }
}
