/**
 * UI end-to-end harness (issue #12): runs `dirconn ui` from the BUILT CLI and drives the built
 * renderer in Debian's chromium with playwright-core (no downloaded browser), and writes the
 * screenshots of each screen, light and dark, to docs/screenshots/. Test-only.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { REPO_ROOT, type Cli, type CliProcess } from './cli-harness.js';

/** Debian's chromium (test-support/scripts/install-chromium.sh installs it). */
export const CHROMIUM = process.env['DIRCONN_CHROMIUM'] ?? '/usr/bin/chromium';
/** The built renderer `dirconn ui` serves. */
export const RENDERER_INDEX = join(REPO_ROOT, 'apps/desktop/dist/renderer/index.html');
/** Where the screenshots go (committed, shown in the README). */
export const SCREENSHOT_DIR = join(REPO_ROOT, 'docs/screenshots');
/** The window size of every screenshot. */
export const VIEWPORT = { width: 1280, height: 800 } as const;

/** Throws a clear message when the renderer or the browser is missing. */
export function assertUiPrerequisites(): void {
  if (!existsSync(RENDERER_INDEX)) throw new Error(`The UI is not built: ${RENDERER_INDEX} is missing. Run "npm run build:ui" (scripts/setup.sh does).`);
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing. Install it with "bash test-support/scripts/install-chromium.sh" (as root).`);
}

/** A running `dirconn ui` and its one-time sign-in URL. */
export interface RunningUi {
  process: CliProcess;
  loginUrl: string;
  origin: string;
  /** Sends SIGTERM (what systemd and docker send) and resolves with the exit code (null if killed by the signal). */
  stop(): Promise<number | null>;
}

/** Starts `dirconn ui` on a free loopback port and waits for the URL it prints. */
export async function startUi(cli: Cli, timeoutMs = 30_000): Promise<RunningUi> {
  const child = cli.spawn(['ui'], { timeoutMs: 30 * 60_000 });
  const deadline = Date.now() + timeoutMs;
  let match: RegExpMatchArray | null = null;
  while ((match = /(http:\/\/127\.0\.0\.1:\d+)\/auth\?token=[A-Za-z0-9_-]+/.exec(child.stdout())) === null) {
    if (child.child.exitCode !== null) throw new Error(`dirconn ui exited early:\n${child.stdout()}\n${child.stderr()}`);
    if (Date.now() > deadline) throw new Error(`dirconn ui printed no URL within ${timeoutMs} ms:\n${child.stdout()}\n${child.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    process: child,
    loginUrl: match[0],
    origin: match[1] ?? '',
    stop: async () => {
      child.kill('SIGTERM');
      const result = await child.exited.catch(() => null);
      return result?.code ?? null;
    },
  };
}

/** A headless chromium with a fresh profile and the flags this closed network needs. */
export interface UiBrowser {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught page errors seen so far (a CSP violation shows up here). */
  problems: string[];
  close(): Promise<void>;
}

/** Launches chromium with a new empty profile and opens one page. */
export async function launchBrowser(): Promise<UiBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'dirconn-e2e-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: VIEWPORT,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  return {
    context,
    page,
    problems,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Writes `<name>-light.png` and `<name>-dark.png` of the current view (the OS colour scheme is
 * emulated; the page follows prefers-color-scheme) and leaves the page in light mode.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme, reducedMotion: 'reduce' });
    await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}-${colorScheme}.png`), animations: 'disabled', caret: 'hide' });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

/** Opens a screen from the main navigation and waits for its heading to take focus. */
export async function openScreen(page: Page, label: string, heading = label): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: label, exact: true }).click();
  await page.getByRole('heading', { level: 1, name: heading, exact: true }).waitFor();
}
