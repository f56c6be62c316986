/** How this installation introduces itself to the Bitwarden server. */
import { hostname } from 'node:os';

/** Bitwarden device type for this OS's CLI (bitwarden-api.md §2.1). */
export function deviceTypeForPlatform(platform: NodeJS.Platform): number {
  if (platform === 'win32') return 23;
  if (platform === 'darwin') return 24;
  return 25;
}

/** The device name sent with token requests: `dirconn on <host name>`. */
export function deviceName(): string {
  return `dirconn on ${hostname()}`;
}
