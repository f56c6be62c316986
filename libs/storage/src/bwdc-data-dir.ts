/**
 * Where the Bitwarden Directory Connector (`bwdc`) keeps its data for this OS user
 * (reference-connector.md §9.1), for `dirconn import-bwdc` without a path. Nothing here touches the
 * file system. The portable folder next to a bwdc executable is not guessed: give its path.
 */
import os from 'node:os';
import path from 'node:path';

/** bwdc's folder name under the per-OS configuration directory. */
export const BWDC_APP_DIR_NAME = 'Bitwarden Directory Connector';

/** bwdc's keychain service name (§9.4). */
export const BWDC_KEYCHAIN_SERVICE = 'Bitwarden Directory Connector';

/**
 * bwdc's data directory, first match wins: `BITWARDENCLI_CONNECTOR_APPDATA_DIR`,
 * `BITWARDEN_CONNECTOR_APPDATA_DIR`, macOS `~/Library/Application Support/Bitwarden Directory
 * Connector`, Windows `%APPDATA%\Bitwarden Directory Connector`, else
 * `$XDG_CONFIG_HOME/Bitwarden Directory Connector` or `~/.config/Bitwarden Directory Connector`.
 */
export function resolveBwdcDataDir(
  env: Readonly<Record<string, string | undefined>> = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = os.homedir(),
): string {
  const paths = platform === 'win32' ? path.win32 : path.posix;
  for (const name of ['BITWARDENCLI_CONNECTOR_APPDATA_DIR', 'BITWARDEN_CONNECTOR_APPDATA_DIR']) {
    const value = env[name]?.trim();
    if (value) return paths.resolve(value);
  }
  if (platform === 'darwin') return paths.join(home, 'Library', 'Application Support', BWDC_APP_DIR_NAME);
  if (platform === 'win32') {
    const appData = env['APPDATA']?.trim();
    return paths.join(appData ? appData : paths.join(home, 'AppData', 'Roaming'), BWDC_APP_DIR_NAME);
  }
  const xdg = env['XDG_CONFIG_HOME']?.trim();
  if (xdg && paths.isAbsolute(xdg)) return paths.join(xdg, BWDC_APP_DIR_NAME);
  return paths.join(home, '.config', BWDC_APP_DIR_NAME);
}
