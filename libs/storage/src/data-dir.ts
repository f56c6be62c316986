/**
 * The per-OS data directory shared by the CLI and the desktop app (ARCHITECTURE.md "The store shared
 * by both apps", STYLE.md §12): one function, one override variable, env-paths style. Nothing here
 * touches the file system.
 */
import os from 'node:os';
import path from 'node:path';

/** Environment variable that overrides the data directory (absolute, or relative to the working directory). */
export const DATA_DIR_ENV = 'DIRCONN_DATA_DIR';

/** Folder name used under the per-OS configuration directory. */
export const APP_DIR_NAME = 'dirconn';

/** File names inside the data directory. */
export const DATA_FILE_NAME = 'data.json';
/** Lock directory created by proper-lockfile while a process holds the store (see lock.ts). */
export const LOCK_DIR_NAME = 'dirconn.lock';
/** Sidecar naming the lock holder (pid, command, start time) so a busy error can name it. */
export const LOCK_OWNER_FILE_NAME = 'dirconn.lock.json';
/** Folder holding the last run reports (see reports.ts). */
export const REPORTS_DIR_NAME = 'reports';

/**
 * Resolves the data directory. First match wins:
 * 1. `DIRCONN_DATA_DIR` (non-empty; a relative value is resolved against the working directory);
 * 2. macOS: `~/Library/Application Support/dirconn`;
 * 3. Windows: `%APPDATA%\dirconn`, else `<home>\AppData\Roaming\dirconn`;
 * 4. Linux and other Unix: `$XDG_CONFIG_HOME/dirconn` when XDG_CONFIG_HOME is absolute (the XDG spec
 *    says relative values are ignored), else `~/.config/dirconn`.
 *
 * Creates nothing; callers create the directory (mode 0700) when they open the store.
 *
 * @param env environment to read (default `process.env`)
 * @param platform OS to resolve for (default `process.platform`)
 * @param home home directory (default `os.homedir()`)
 */
export function resolveDataDir(
  env: Readonly<Record<string, string | undefined>> = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = os.homedir(),
): string {
  const paths = platform === 'win32' ? path.win32 : path.posix;
  const override = env[DATA_DIR_ENV]?.trim();
  if (override) return paths.resolve(override);

  if (platform === 'darwin') return paths.join(home, 'Library', 'Application Support', APP_DIR_NAME);
  if (platform === 'win32') {
    const appData = env['APPDATA']?.trim();
    return paths.join(appData ? appData : paths.join(home, 'AppData', 'Roaming'), APP_DIR_NAME);
  }
  const xdg = env['XDG_CONFIG_HOME']?.trim();
  if (xdg && paths.isAbsolute(xdg)) return paths.join(xdg, APP_DIR_NAME);
  return paths.join(home, '.config', APP_DIR_NAME);
}

/** Every path dirconn uses inside one data directory. */
export interface StorePaths {
  /** The data directory itself (mode 0700). */
  dataDir: string;
  /** `<dataDir>/data.json`: configuration, auth references, sync state (mode 0600). */
  dataFile: string;
  /** `<dataDir>/reports`: the last 50 run reports. */
  reportsDir: string;
  /** `<dataDir>/dirconn.lock`: present while a process holds the store. */
  lockDir: string;
  /** `<dataDir>/dirconn.lock.json`: who holds the lock. */
  lockOwnerFile: string;
}

/** Builds the paths used inside `dataDir` (pure; uses the current platform's separator). */
export function storePaths(dataDir: string): StorePaths {
  return {
    dataDir,
    dataFile: path.join(dataDir, DATA_FILE_NAME),
    reportsDir: path.join(dataDir, REPORTS_DIR_NAME),
    lockDir: path.join(dataDir, LOCK_DIR_NAME),
    lockOwnerFile: path.join(dataDir, LOCK_OWNER_FILE_NAME),
  };
}
