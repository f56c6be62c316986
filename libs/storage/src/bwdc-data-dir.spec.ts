import { describe, expect, it } from '@jest/globals';
import { resolveBwdcDataDir } from './bwdc-data-dir.js';

describe("bwdc's data directory (reference §9.1)", () => {
  it.each([
    [{ BITWARDENCLI_CONNECTOR_APPDATA_DIR: '/srv/bwdc', BITWARDEN_CONNECTOR_APPDATA_DIR: '/other' }, 'linux', '/srv/bwdc'],
    [{ BITWARDEN_CONNECTOR_APPDATA_DIR: '/other' }, 'linux', '/other'],
    [{}, 'linux', '/home/u/.config/Bitwarden Directory Connector'],
    [{ XDG_CONFIG_HOME: '/cfg' }, 'linux', '/cfg/Bitwarden Directory Connector'],
    [{ XDG_CONFIG_HOME: 'relative' }, 'linux', '/home/u/.config/Bitwarden Directory Connector'],
    [{}, 'darwin', '/home/u/Library/Application Support/Bitwarden Directory Connector'],
  ] as const)('%j on %s → %s', (env, platform, expected) => {
    expect(resolveBwdcDataDir(env, platform, '/home/u')).toBe(expected);
  });

  it('uses %APPDATA% on Windows', () => {
    expect(resolveBwdcDataDir({ APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, 'win32', 'C:\\Users\\u')).toBe('C:\\Users\\u\\AppData\\Roaming\\Bitwarden Directory Connector');
  });
});
