/**
 * Electron main: owns all I/O (issue #12). One instance; the sandboxed window loads the renderer
 * from `dirconn://app/`; the preload's bridge reaches the desktop API over one IPC channel per method;
 * the scheduler and every sync run here, with the store lock taken per operation like the CLI's; the
 * tray shows the last sync and offers "Sync now". Type-checked against Electron's types; the pieces
 * it wires are unit-tested with fakes (window.main.spec.ts, ipc.main.spec.ts, tray.main.spec.ts).
 */
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, ipcMain, Menu, nativeImage, protocol, screen, session, shell, Tray } from 'electron';
import { streamLogger } from '@dirconn/node-platform';
import { resolveDataDir } from '@dirconn/storage';
import { createDesktopApi, type DesktopApi } from '../node/desktop-api.js';
import { defaultRendererDir } from '../node/static-files.js';
import type { LastSyncResult } from '../shared/api-types.js';
import { APP_SCHEME_PRIVILEGES, registerAppProtocol } from './app-protocol.main.js';
import { registerIpcHandlers } from './ipc.main.js';
import { trayMenuTemplate, trayStatusText, type TrayStatus } from './tray.main.js';
import { createMainWindow, denyAllPermissions, hardenContents } from './window.main.js';
import { loadWindowState, saveWindowState } from './window-state.main.js';

const preloadPath = fileURLToPath(new URL('../preload/api.preload.cjs', import.meta.url));

/** Opens https links in the system browser; nothing else leaves the app. */
function openExternal(url: string): void {
  if (url.startsWith('https://')) void shell.openExternal(url);
}

async function start(): Promise<void> {
  const env = process.env;
  let api: DesktopApi | null = null;
  let window: BrowserWindow | null = null;
  let tray: Tray | null = null;

  // Every web contents, whatever created it, gets the same rules.
  app.on('web-contents-created', (_event, contents) => hardenContents(contents, openExternal));
  await app.whenReady();

  const dataDir = resolveDataDir(env);
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const logFile = path.join(dataDir, 'desktop.log');
  const logger = streamLogger({ stream: createWriteStream(logFile, { flags: 'a', mode: 0o600 }), verbose: env['DIRCONN_DEBUG'] === 'true', env });

  denyAllPermissions(session.defaultSession);
  registerAppProtocol(protocol, defaultRendererDir());

  const refreshTray = (): void => {
    void updateTray();
  };
  api = await createDesktopApi({
    face: 'desktop',
    env,
    platform: process.platform,
    version: app.getVersion(),
    logger,
    runtime: { node: process.versions.node, electron: process.versions.electron ?? '', chrome: process.versions.chrome ?? '' },
    logFile,
    onStateChange: refreshTray,
    onScheduleChange: refreshTray,
    openPath: async (folder) => {
      const problem = await shell.openPath(folder);
      if (problem !== '') throw new Error(`The folder ${folder} could not be opened: ${problem}`);
    },
  });
  const desktop = api;
  registerIpcHandlers(ipcMain, { call: desktop.call, trustedSenderIds: () => (window === null ? [] : [window.webContents.id]) });

  async function showWindow(): Promise<void> {
    if (window !== null) {
      if (window.isMinimized()) window.restore();
      window.focus();
      return;
    }
    const created = await createMainWindow({
      createWindow: (options) => new BrowserWindow(options),
      preloadPath,
      savedBounds: await loadWindowState(dataDir, screen.getAllDisplays()),
      openExternal,
      onBounds: (state) => {
        saveWindowState(dataDir, state).catch((error: unknown) => logger.warn('Could not save the window state', { error: String(error) }));
      },
    });
    window = created;
    created.on('closed', () => {
      window = null;
    });
  }

  async function updateTray(): Promise<void> {
    if (tray === null) return;
    const last = await desktop.call('lastSync', {});
    const status: TrayStatus = {
      lastSync: last.ok ? (last.value as LastSyncResult).users : null,
      schedule: desktop.scheduler.status(),
      syncing: desktop.operations.busy,
    };
    tray.setToolTip(trayStatusText(status));
    tray.setContextMenu(
      Menu.buildFromTemplate(
        trayMenuTemplate(status, {
          syncNow: () => {
            void desktop.call('syncNow', {}).then((result) => {
              if (!result.ok) logger.warn(`Sync from the tray: ${result.error.message}`);
              refreshTray();
            });
            refreshTray();
          },
          open: () => void showWindow(),
          quit: () => app.quit(),
        }),
      ),
    );
  }

  tray = new Tray(nativeImage.createFromPath(path.join(app.getAppPath(), 'resources', 'tray.png')));
  tray.on('click', () => void showWindow());
  await updateTray();

  app.on('second-instance', () => void showWindow());
  // Closing the window keeps a running schedule going from the tray; otherwise the app ends.
  app.on('window-all-closed', () => {
    if (!desktop.scheduler.status().enabled) app.quit();
  });
  app.on('before-quit', () => desktop.dispose());
  await showWindow();
}

// Before `ready`: the app scheme must be privileged, every renderer sandboxed, and one instance only.
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
app.enableSandbox();
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  start().catch((error: unknown) => {
    process.stderr.write(`dirconn desktop failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
    app.exit(1);
  });
}
