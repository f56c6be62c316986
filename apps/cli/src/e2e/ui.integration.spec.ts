/**
 * The renderer end to end (issue #12): `dirconn ui` from the BUILT CLI, the built renderer in
 * Debian's chromium (playwright-core), a real slapd with directory A and the fake Bitwarden server.
 * One admin's path through the screens: sign in, configure LDAP, test, plan, sync, a safety stop and
 * its confirmation, schedule start/stop, the CLI holding the lock, dashboard and More. Every screen
 * is photographed light and dark into docs/screenshots/.
 *
 * The tests share one world and run in order (each builds on the store the previous one left).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { directoryA } from '@dirconn/test-support';
import { addUser, assertCliBuilt, deleteEntries, expectExit, importCount, readData, startWorld, syncedMembers, waitUntil, type World } from './cli-harness.js';
import { assertUiPrerequisites, launchBrowser, openScreen, screenshot, startUi, type RunningUi, type UiBrowser } from './ui-harness.js';

const byId = (page: Page, key: string) => page.locator(`#setting-${key.replace(/[^A-Za-z0-9_-]/g, '-')}`);
/** A button in the screen's content (the navigation has buttons with the same words). */
const button = (page: Page, name: string | RegExp) => page.locator('#main').getByRole('button', { name, exact: typeof name === 'string' });

describe('dirconn ui e2e: the screens in chromium', () => {
  let world: World;
  let ui: RunningUi;
  let browser: UiBrowser;
  let page: Page;

  beforeAll(async () => {
    assertCliBuilt();
    assertUiPrerequisites();
    world = await startWorld('ui', { env: { DIRCONN_PLAINTEXT_SECRETS: 'true' }, ldapPasswordInEnv: false });
    ui = await startUi(world.cli);
    browser = await launchBrowser();
    page = browser.page;
    page.setDefaultTimeout(30_000);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await ui?.stop();
    await world?.close();
  });

  it('opens with the one-time link on the Sign in screen; the link works only once', async () => {
    await page.goto(ui.loginUrl);
    // The screen appears once the app has asked for the status (not at once on load).
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    const second = await browser.context.request.get(ui.loginUrl, { maxRedirects: 0 });
    expect(second.status()).toBe(401);
  });

  it('signs in: a wrong secret is refused in plain words and nothing is saved; the right key is verified and saved', async () => {
    await page.getByLabel('Self-hosted').check();
    await page.getByLabel('Server URL').fill(world.fake.url);
    await page.getByLabel('Client ID').fill(world.fake.clientId);
    await page.getByLabel('Client secret').fill('not-the-secret');
    await button(page, 'Sign in').click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/Not signed in\./);
    expect(await alert.textContent()).toMatch(/What to do:/);
    expect(readData(world.dataDir).auth.clientId).toBeNull();

    await page.getByLabel('Client secret').fill(world.fake.apiKey);
    await button(page, 'Sign in').click();
    await page.getByText(/Signed in to organization/).waitFor();
    expect(readData(world.dataDir).auth.clientId).toBe(world.fake.clientId);
    await screenshot(page, 'sign-in');
  });

  it('moves through the navigation with the keyboard, landing on each screen heading', async () => {
    // The skip link comes first, then the navigation in screen order.
    await page.getByRole('link', { name: 'Skip to content' }).focus();
    await page.keyboard.press('Tab');
    expect(await page.locator(':focus').textContent()).toBe('Dashboard');
    await page.keyboard.press('Tab');
    expect(await page.locator(':focus').textContent()).toBe('Test');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Test' }).waitFor();
    expect(await page.locator(':focus').getAttribute('id')).toBe('screen-title');
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Test' }).getAttribute('aria-current')).toBe('page');
    // The next Tab goes into the screen's content (its first control).
    await page.keyboard.press('Tab');
    expect(await page.locator(':focus').textContent()).toBe('Run test');
  });

  it('configures LDAP in the generated form: explicit Save, and leaving with unsaved changes asks first', async () => {
    await openScreen(page, 'Directory');
    await page.getByLabel('Source').selectOption('ldap');
    await byId(page, 'ldap.hostname').waitFor();
    await byId(page, 'ldap.hostname').fill('127.0.0.1');
    await byId(page, 'ldap.port').fill(String(world.slapd.port));
    await byId(page, 'ldap.username').fill(world.slapd.adminDn);
    await byId(page, 'ldap.password').fill(world.slapd.adminPassword);
    expect(await byId(page, 'ldap.password').getAttribute('type')).toBe('password');
    await byId(page, 'ldap.ad').uncheck();
    await byId(page, 'ldap.rootPath').fill(directoryA.baseDn);
    await page.getByText('Unsaved changes', { exact: true }).waitFor();

    await openScreen(page, 'Test', 'Directory').catch(() => undefined);
    const dialog = page.getByRole('dialog', { name: 'Leave without saving?' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Stay' }).click();
    await page.getByRole('heading', { level: 1, name: 'Directory' }).waitFor();
    expect(readData(world.dataDir).config.directory).toBeNull();
    await screenshot(page, 'directory');

    await button(page, 'Save').click();
    await page.getByText(/^Saved \d+ settings/).waitFor();
    const data = readData(world.dataDir);
    expect(data.config.directory).toBe('ldap');
    expect(data.config.directories['ldap']).toMatchObject({ hostname: '127.0.0.1', port: world.slapd.port, ad: false, rootPath: directoryA.baseDn });
    expect(JSON.stringify(data.config)).not.toContain(world.slapd.adminPassword);
  });

  it('saves sync settings all or nothing, with the server validator’s message on the field', async () => {
    await openScreen(page, 'Sync settings');
    await byId(page, 'sync.users').check();
    await byId(page, 'sync.groups').check();
    await byId(page, 'sync.userObjectClass').fill('person');
    await byId(page, 'sync.groupObjectClass').fill('posixGroup');
    await byId(page, 'sync.memberAttribute').fill('memberUid');
    await byId(page, 'sync.groupNameAttribute').fill('cn');
    await byId(page, 'sync.userEmailAttribute').fill('mail');
    await byId(page, 'sync.emailSuffix').fill('example.com');
    await button(page, 'Save').click();
    await page.getByText('Nothing was saved.').waitFor();
    expect(await byId(page, 'sync.emailSuffix').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('.field-invalid').textContent()).toMatch(/starting with @/);
    expect(readData(world.dataDir).config.sync['userObjectClass'] ?? null).toBeNull();
    await screenshot(page, 'sync-settings-invalid');

    await byId(page, 'sync.emailSuffix').fill('');
    await button(page, 'Save').click();
    await page.getByText(/^Saved \d+ settings/).waitFor();
    expect(readData(world.dataDir).config.sync).toMatchObject({ users: true, groups: true, userObjectClass: 'person', memberAttribute: 'memberUid' });
    await screenshot(page, 'sync-settings');

    await openScreen(page, 'Directory');
    await button(page, 'Check connection').click();
    await page.getByText(/Connected to the .* directory/).waitFor();
  });

  it('tests: 20 users and 5 groups with flattened members, counts that add up, search and sort', async () => {
    await openScreen(page, 'Test');
    await button(page, 'Run test').click();
    await page.locator('dd[data-count="users"]').waitFor({ timeout: 60_000 });
    const count = async (name: string) => Number(await page.locator(`dd[data-count="${name}"]`).textContent());
    expect(await count('users')).toBe(directoryA.users.length);
    expect((await count('enabled')) + (await count('disabled')) + (await count('deleted'))).toBe(await count('users'));
    expect(await count('groups')).toBe(directoryA.groups.length);

    const users = page.getByRole('table', { name: 'Users read from the directory' });
    await page.getByLabel('Search users').fill('dyker');
    await page.getByText('Showing 1 of 20 users').waitFor();
    await page.getByLabel('Search users').fill('');
    const emailHeader = users.getByRole('columnheader', { name: /Email/ });
    expect(await emailHeader.getAttribute('aria-sort')).toBe('ascending');
    await emailHeader.getByRole('button').click();
    expect(await emailHeader.getAttribute('aria-sort')).toBe('descending');
    const sorted = [...directoryA.users.map((u) => u.email)].sort().reverse();
    expect(await users.locator('tbody tr').first().locator('td').first().textContent()).toBe(sorted[0]);
    const groups = page.getByRole('table', { name: /Groups read from the directory/ });
    expect(await groups.locator('tbody tr').count()).toBe(directoryA.groups.length);
    await screenshot(page, 'test');
  });

  it('plans: 20 invitations, every safety check passed, nothing sent', async () => {
    await openScreen(page, 'Plan');
    await button(page, 'Make a plan').click();
    await page.locator('dd[data-count="invites"]').waitFor({ timeout: 60_000 });
    expect(await page.locator('dd[data-count="invites"]').textContent()).toBe('20');
    await page.getByRole('heading', { name: 'Safety checks: all passed' }).waitFor();
    expect(await page.locator('tr[data-passed="false"]').count()).toBe(0);
    expect(await page.locator('section[data-kind="invite"] li').count()).toBe(20);
    expect(importCount(world.fake)).toBe(0);
    await screenshot(page, 'plan');
  });

  it('syncs now and reports what was sent', async () => {
    await openScreen(page, 'Sync');
    await button(page, 'Sync now').click();
    await page.getByText('Synced.').waitFor({ timeout: 60_000 });
    expect(syncedMembers(world.fake).size).toBe(20);
    await screenshot(page, 'sync');
  });

  it('stops before a mass removal, lists who would be removed, and syncs once after the admin confirms', async () => {
    const gone = directoryA.users.slice(-6);
    const restore = await deleteEntries(world.slapd, gone.map((u) => u.dn));
    try {
      const before = importCount(world.fake);
      await openScreen(page, 'Sync');
      await button(page, 'Sync now').click();
      await page.getByRole('heading', { name: 'Safety stop: nothing was sent' }).waitFor({ timeout: 60_000 });
      expect(importCount(world.fake)).toBe(before);
      const listed = await page.locator('.removal-list li strong').allTextContents();
      expect(listed.sort()).toEqual(gone.map((u) => u.email).sort());
      expect(await page.locator('tr[data-rule="max-removals"][data-passed="false"]').count()).toBe(1);
      await screenshot(page, 'safety-stop');

      await button(page, 'Review and allow once…').click();
      const dialog = page.getByRole('dialog', { name: 'Allow this sync once?' });
      await dialog.waitFor();
      await screenshot(page, 'safety-confirm');
      await dialog.getByRole('button', { name: 'Sync and allow 6 removals' }).click();
      await page.getByText('Synced.').waitFor({ timeout: 60_000 });
      expect(syncedMembers(world.fake).size).toBe(14);
      const saved = readData(world.dataDir).config.sync;
      expect(saved['maxRemovals'] ?? 5).toBe(5);
    } finally {
      await restore();
    }
  });

  it('schedules every 5 minutes or more, shows the next run, and stops', async () => {
    await openScreen(page, 'Schedule');
    const minutes = page.getByLabel('Minutes between runs');
    await page.getByText('At least 5 minutes.').waitFor();
    await minutes.fill('3');
    expect(await button(page, 'Start schedule').isDisabled()).toBe(true);
    await minutes.fill('5');
    await button(page, 'Start schedule').click();
    await page.locator('dd[data-field="enabled"]', { hasText: 'Running' }).waitFor();
    // Start runs one sync at once: the six people restored after the safety stop are back.
    await waitUntil('the first scheduled run syncs', () => syncedMembers(world.fake).size === 20, 60_000);
    expect(await page.locator('dd[data-field="next-run"]').textContent()).not.toBe('not scheduled');
    await screenshot(page, 'schedule');
    await button(page, 'Stop schedule').click();
    await page.locator('dd[data-field="enabled"]', { hasText: 'Stopped' }).waitFor();
  });

  it('says the data is in use by another dirconn process while the CLI holds the lock, and works again after', async () => {
    // A new person gives the CLI's sync something to send; its import is held for a while, so the
    // CLI holds the data directory's lock. (The fault fires once: later imports are not delayed.)
    const added = await addUser(world.slapd, { cn: 'Lock Tester', ou: 'Peons', uid: 'lockt', mail: 'lock.tester@example.com' });
    try {
      world.fake.delay('import', 6000);
      const before = importCount(world.fake);
      const cliSync = world.cli.spawn(['sync']);
      await waitUntil('the CLI sync posts its import (or exits)', () => importCount(world.fake) > before || cliSync.child.exitCode !== null, 60_000);
      if (importCount(world.fake) === before) throw new Error(`the CLI sync ended before posting:\n${cliSync.stdout()}\n${cliSync.stderr()}`);
      await openScreen(page, 'Sync');
      await button(page, 'Sync now').click();
      const alert = page.getByRole('alert');
      await alert.waitFor();
      expect(await alert.textContent()).toMatch(/in use by another dirconn process/);
      await screenshot(page, 'store-locked');
      expectExit(await cliSync.exited, 0);
      expect(syncedMembers(world.fake).size).toBe(21);

      // The lock is free again: the UI's sync runs (nothing left to send).
      await button(page, 'Sync now').click();
      await page.getByText(/^(Synced|Nothing to change)\./).waitFor({ timeout: 60_000 });
    } finally {
      await added.remove();
    }
  });

  it('shows the last sync times and the last run reports on the dashboard', async () => {
    await openScreen(page, 'Dashboard');
    await page.locator('dd[data-field="last-user-sync"]').filter({ hasNotText: '…' }).waitFor();
    expect(await page.locator('dd[data-field="last-user-sync"]').textContent()).not.toBe('never');
    await page.locator('tr[data-outcome="safety-stop"]').first().waitFor();
    expect(await page.locator('tr[data-outcome="synced"]').count()).toBeGreaterThanOrEqual(2);
    await screenshot(page, 'dashboard');
  });

  it('More: shows the data folder and version, clears the cache after explaining it, and logs out', async () => {
    await openScreen(page, 'More');
    await page.locator('[data-field="data-dir"]').waitFor();
    expect(await page.locator('[data-field="data-dir"]').textContent()).toBe(world.dataDir);
    await screenshot(page, 'more');

    await button(page, 'Clear sync cache…').click();
    await page.getByRole('dialog', { name: 'Clear the sync cache?' }).getByRole('button', { name: 'Clear cache' }).click();
    await page.getByText(/Cleared the cache of/).waitFor();
    const state = Object.values(readData(world.dataDir).state);
    expect(state.every((s) => s.lastSyncHash === null)).toBe(true);

    await button(page, 'Log out…').click();
    await page.getByRole('dialog', { name: 'Log out?' }).getByRole('button', { name: 'Log out' }).click();
    await page.getByText('Logged out.').waitFor();
    expect(readData(world.dataDir).auth.clientId).toBeNull();
  });

  it('saw no console error, CSP violation or uncaught error in the page', () => {
    expect(browser.problems).toEqual([]);
  });

  it('stops cleanly on SIGTERM (systemd, docker): exit 0, and the sign-in link is gone', async () => {
    const code = await ui.stop();
    expect(code).toBe(0);
    await expect(fetch(ui.loginUrl)).rejects.toThrow();
  });
});
