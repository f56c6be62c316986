/** The security check of issue #12: the window's options and the rules every web contents obeys, with fake Electron objects. */
import { describe, expect, it } from '@jest/globals';
import type { BrowserWindowConstructorOptions, HandlerDetails, Rectangle, WindowOpenHandlerResponse } from 'electron';
import { APP_START_URL, serveAppRequest } from './app-protocol.main.js';
import { CONTENT_SECURITY_POLICY } from '../shared/content-security-policy.js';
import { createMainWindow, denyAllPermissions, hardenContents, type AppWindow, type HardenableContents } from './window.main.js';

/** What Electron passes to a window-open handler, for a URL. */
function details(url: string): HandlerDetails {
  return { url, frameName: '', features: '', disposition: 'new-window', referrer: { url: '', policy: 'no-referrer' } } as unknown as HandlerDetails;
}

type Listener = (event: { preventDefault(): void; url: string }) => void;

class FakeContents implements HardenableContents {
  readonly id = 7;
  openHandler: ((details: HandlerDetails) => WindowOpenHandlerResponse) | null = null;
  readonly listeners = new Map<string, Listener[]>();
  setWindowOpenHandler(handler: (details: HandlerDetails) => WindowOpenHandlerResponse): void {
    this.openHandler = handler;
  }
  on(event: string, listener: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  /** Emits `event`; true when a listener prevented it. */
  emit(event: string, url = ''): boolean {
    let prevented = false;
    for (const listener of this.listeners.get(event) ?? []) listener({ url, preventDefault: () => void (prevented = true) });
    return prevented;
  }
}

class FakeWindow implements AppWindow {
  readonly webContents = new FakeContents();
  loaded: string[] = [];
  constructor(readonly options: BrowserWindowConstructorOptions) {}
  loadURL(url: string): Promise<void> {
    this.loaded.push(url);
    return Promise.resolve();
  }
  once(): this {
    return this;
  }
  on(): this {
    return this;
  }
  show(): void {}
  maximize(): void {}
  isMaximized(): boolean {
    return false;
  }
  getNormalBounds(): Rectangle {
    return { x: 0, y: 0, width: 800, height: 600 };
  }
}

async function mainWindow() {
  const opened: string[] = [];
  const window = await createMainWindow({
    createWindow: (options) => new FakeWindow(options),
    preloadPath: '/app/dist/preload/api.preload.cjs',
    savedBounds: null,
    openExternal: (url) => opened.push(url),
    onBounds: () => undefined,
  });
  return { window, opened };
}

describe('the main window', () => {
  it('is sandboxed and context-isolated, without Node, with web security, the preload as its only bridge', async () => {
    const { window } = await mainWindow();
    expect(window.options.webPreferences).toEqual(
      expect.objectContaining({
        preload: '/app/dist/preload/api.preload.cjs',
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        nodeIntegrationInSubFrames: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        webviewTag: false,
      }),
    );
    // No remote module, no flags that loosen any of the above.
    const preferences = window.options.webPreferences as Record<string, unknown>;
    expect(preferences['enableRemoteModule']).toBeUndefined();
    expect(preferences['disableBlinkFeatures']).toBeUndefined();
    expect(window.options.minWidth).toBe(680);
    expect(window.loaded).toEqual([APP_START_URL]);
  });

  it('denies every new window; https links go to the system browser, others nowhere', async () => {
    const { window, opened } = await mainWindow();
    expect(window.webContents.openHandler?.(details('https://bitwarden.com/help'))).toEqual({ action: 'deny' });
    expect(window.webContents.openHandler?.(details('file:///etc/passwd'))).toEqual({ action: 'deny' });
    expect(window.webContents.openHandler?.(details('dirconn://app/other'))).toEqual({ action: 'deny' });
    expect(opened).toEqual(['https://bitwarden.com/help']);
  });

  it('blocks navigation and redirects out of the app and every webview', async () => {
    const { window } = await mainWindow();
    const contents = window.webContents;
    expect(contents.emit('will-navigate', 'https://evil.example.com/')).toBe(true);
    expect(contents.emit('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(contents.emit('will-navigate', 'dirconn://app.evil.example/')).toBe(true);
    expect(contents.emit('will-redirect', 'http://127.0.0.1:8080/')).toBe(true);
    expect(contents.emit('will-navigate', 'not a url')).toBe(true);
    expect(contents.emit('will-navigate', 'dirconn://app/settings')).toBe(false);
    expect(contents.emit('will-attach-webview')).toBe(true);
  });

  it('hardens any other web contents the same way', () => {
    const contents = new FakeContents();
    hardenContents(contents, () => undefined);
    expect(contents.openHandler?.(details('https://x.example'))).toEqual({ action: 'deny' });
    expect(contents.emit('will-navigate', 'https://x.example')).toBe(true);
  });

  it('refuses every permission request and check', () => {
    let request: ((c: unknown, p: string, cb: (granted: boolean) => void) => void) | null = null;
    let check: ((c: unknown, p: string) => boolean) | null = null;
    denyAllPermissions({ setPermissionRequestHandler: (h) => void (request = h), setPermissionCheckHandler: (h) => void (check = h) });
    const answers: boolean[] = [];
    request!(null, 'media', (granted) => answers.push(granted));
    request!(null, 'notifications', (granted) => answers.push(granted));
    expect(answers).toEqual([false, false]);
    expect(check!(null, 'clipboard-read')).toBe(false);
  });
});

describe('the app protocol', () => {
  it('sets the strict Content-Security-Policy on every response', async () => {
    const page = await serveAppRequest(new Request('dirconn://app/'), null);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).toMatch(/default-src 'none'/);
    expect(CONTENT_SECURITY_POLICY).toMatch(/script-src 'self'(;|$)/);
    const missing = await serveAppRequest(new Request('dirconn://app/missing.js'), null);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
  });

  it('serves nothing for another host of the scheme', async () => {
    expect((await serveAppRequest(new Request('dirconn://other/'), null)).status).toBe(404);
  });
});
