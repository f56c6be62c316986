import { describe, expect, it } from '@jest/globals';
import { resolveDataDir, storePaths } from './data-dir.js';

describe('resolveDataDir', () => {
  const home = '/home/ada';

  it.each([
    ['linux, XDG_CONFIG_HOME set', 'linux', { XDG_CONFIG_HOME: '/xdg' }, '/xdg/dirconn'],
    ['linux, no XDG_CONFIG_HOME', 'linux', {}, '/home/ada/.config/dirconn'],
    ['linux, empty XDG_CONFIG_HOME', 'linux', { XDG_CONFIG_HOME: '' }, '/home/ada/.config/dirconn'],
    ['linux, relative XDG_CONFIG_HOME is ignored (XDG spec)', 'linux', { XDG_CONFIG_HOME: 'rel/dir' }, '/home/ada/.config/dirconn'],
    ['freebsd follows XDG', 'freebsd', { XDG_CONFIG_HOME: '/xdg' }, '/xdg/dirconn'],
    ['macOS', 'darwin', { XDG_CONFIG_HOME: '/xdg' }, '/home/ada/Library/Application Support/dirconn'],
    ['override wins on linux', 'linux', { DIRCONN_DATA_DIR: '/srv/dirconn', XDG_CONFIG_HOME: '/xdg' }, '/srv/dirconn'],
    ['override wins on macOS', 'darwin', { DIRCONN_DATA_DIR: '/srv/dirconn' }, '/srv/dirconn'],
    ['blank override is ignored', 'linux', { DIRCONN_DATA_DIR: '   ' }, '/home/ada/.config/dirconn'],
  ] as const)('%s', (_name, platform, env, expected) => {
    expect(resolveDataDir(env, platform, home)).toBe(expected);
  });

  it('Windows uses %APPDATA% with backslashes', () => {
    expect(resolveDataDir({ APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' }, 'win32', 'C:\\Users\\ada')).toBe('C:\\Users\\ada\\AppData\\Roaming\\dirconn');
  });

  it('Windows without APPDATA falls back to <home>\\AppData\\Roaming', () => {
    expect(resolveDataDir({}, 'win32', 'C:\\Users\\ada')).toBe('C:\\Users\\ada\\AppData\\Roaming\\dirconn');
  });

  it('Windows override', () => {
    expect(resolveDataDir({ DIRCONN_DATA_DIR: 'D:\\dirconn', APPDATA: 'C:\\x' }, 'win32', 'C:\\Users\\ada')).toBe('D:\\dirconn');
  });

  it('a relative override is resolved against the working directory', () => {
    expect(resolveDataDir({ DIRCONN_DATA_DIR: 'some/dir' }, 'linux', home)).toBe(`${process.cwd()}/some/dir`);
  });

  it('defaults to process.env / platform / home and creates nothing', () => {
    expect(typeof resolveDataDir()).toBe('string');
  });
});

describe('storePaths', () => {
  it('names every file inside the data directory', () => {
    expect(storePaths('/d')).toEqual({
      dataDir: '/d',
      dataFile: '/d/data.json',
      reportsDir: '/d/reports',
      lockDir: '/d/dirconn.lock',
      lockOwnerFile: '/d/dirconn.lock.json',
    });
  });
});
