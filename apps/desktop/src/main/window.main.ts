/**
 * The main window and the rules every web contents obeys (STYLE.md §7, issue #12): a sandboxed,
 * context-isolated renderer without Node, the preload as its only bridge, no new windows, no
 * navigation away from the app, no permissions, no webviews. Written against small slices of
 * Electron's types so the specs can pass fakes and assert the options.
 */
import type { BrowserWindowConstructorOptions, HandlerDetails, Rectangle, WebPreferences, WindowOpenHandlerResponse } from 'electron';
import { APP_START_URL, isAppUrl } from './app-protocol.main.js';

export { isAppUrl };

/** The renderer's web preferences: nothing here may be loosened. */
export function secureWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    spellcheck: false,
  };
}

/** Window size and position remembered between runs. */
export interface WindowBounds {
  bounds: Rectangle | null;
  maximized: boolean;
}

/** Default and smallest window sizes (the reference's minimum is 680×500). */
export const DEFAULT_WINDOW_SIZE = { width: 1100, height: 760 };
export const MIN_WINDOW_SIZE = { width: 680, height: 500 };

/** The main window's options. */
export function mainWindowOptions(preloadPath: string, saved: WindowBounds | null): BrowserWindowConstructorOptions {
  const bounds = saved?.bounds ?? null;
  return {
    ...(bounds ?? DEFAULT_WINDOW_SIZE),
    minWidth: MIN_WINDOW_SIZE.width,
    minHeight: MIN_WINDOW_SIZE.height,
    show: false,
    title: 'dirconn',
    autoHideMenuBar: true,
    backgroundColor: '#00000000',
    webPreferences: secureWebPreferences(preloadPath),
  };
}

/** The parts of a WebContents the hardening touches. */
export interface HardenableContents {
  setWindowOpenHandler(handler: (details: HandlerDetails) => WindowOpenHandlerResponse): void;
  on(event: 'will-navigate' | 'will-redirect', listener: (event: { preventDefault(): void; url: string }) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: { preventDefault(): void }) => void): unknown;
}

/**
 * Denies every new window (links to the outside world are opened by `openExternal` for https only),
 * every navigation or redirect leaving the app, and every webview.
 */
export function hardenContents(contents: HardenableContents, openExternal: (url: string) => void): void {
  contents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) openExternal(url);
    return { action: 'deny' };
  });
  const stayInApp = (event: { preventDefault(): void; url: string }): void => {
    if (!isAppUrl(event.url)) event.preventDefault();
  };
  contents.on('will-navigate', stayInApp);
  contents.on('will-redirect', stayInApp);
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** The session slice used to refuse permissions (camera, notifications, …): the app needs none. */
export interface PermissionSession {
  setPermissionRequestHandler(handler: ((webContents: unknown, permission: string, callback: (granted: boolean) => void) => void) | null): void;
  setPermissionCheckHandler(handler: ((webContents: unknown, permission: string) => boolean) | null): void;
}

/** Refuses every permission request and check. */
export function denyAllPermissions(session: PermissionSession): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

/** The BrowserWindow slice the app uses. */
export interface AppWindow {
  readonly webContents: HardenableContents & { readonly id: number };
  loadURL(url: string): Promise<void>;
  once(event: 'ready-to-show', listener: () => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  show(): void;
  maximize(): void;
  isMaximized(): boolean;
  getNormalBounds(): Rectangle;
}

/** What {@link createMainWindow} needs. */
export interface MainWindowDeps<W extends AppWindow> {
  createWindow: (options: BrowserWindowConstructorOptions) => W;
  preloadPath: string;
  savedBounds: WindowBounds | null;
  openExternal: (url: string) => void;
  /** Called with the bounds when the window closes (to remember them). */
  onBounds: (state: WindowBounds) => void;
}

/** Creates the hardened main window and loads the app into it. */
export async function createMainWindow<W extends AppWindow>(deps: MainWindowDeps<W>): Promise<W> {
  const window = deps.createWindow(mainWindowOptions(deps.preloadPath, deps.savedBounds));
  hardenContents(window.webContents, deps.openExternal);
  window.once('ready-to-show', () => {
    if (deps.savedBounds?.maximized === true) window.maximize();
    window.show();
  });
  window.on('close', () => deps.onBounds({ bounds: window.getNormalBounds(), maximized: window.isMaximized() }));
  await window.loadURL(APP_START_URL);
  return window;
}
