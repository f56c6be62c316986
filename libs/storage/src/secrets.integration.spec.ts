/**
 * KeychainSecretStore against a REAL keyring (GNOME Keyring over D-Bus on Linux). Run it inside
 * `test-support/scripts/with-keyring.sh`. Without a reachable keyring these tests are skipped with a
 * note, unless DIRCONN_REQUIRE_KEYRING=1 (CI), where they fail.
 * The "no D-Bus" tests run a plain `node` child with a dead DBUS_SESSION_BUS_ADDRESS and need no keyring.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { findCredentials } from '@napi-rs/keyring';
import { DirconnError, type ErrorData } from '@dirconn/core';
import { KeychainSecretStore, createSecretStore } from './secrets.js';
import { openWorkspace, type Workspace } from './workspace.js';
import { makeTempDir, sourceUrl, writeTsLoader } from './spec-helpers.js';

const REQUIRE_KEYRING = process.env['DIRCONN_REQUIRE_KEYRING'] === '1';
/** A service of its own, so a developer's real dirconn entries are never touched. */
const SERVICE = `dirconn-test-${randomUUID().slice(0, 8)}`;

/** null when a keyring answers, else why not. */
async function probeKeyring(): Promise<string | null> {
  const store = new KeychainSecretStore({ service: SERVICE, timeoutMs: 5000 });
  try {
    await store.set('probe', 'probe');
    await store.delete('probe');
    return null;
  } catch (error) {
    return DirconnError.is(error) ? `${error.code}: ${error.message}` : String(error);
  }
}

const unreachable = await probeKeyring();
if (unreachable !== null && !REQUIRE_KEYRING) {
  console.warn(
    `Skipping the real-keyring tests: ${unreachable}\n` +
      'Run them with test-support/scripts/with-keyring.sh (after test-support/scripts/install-keyring.sh); ' +
      'DIRCONN_REQUIRE_KEYRING=1 turns this skip into a failure.',
  );
}
const describeWithKeyring = unreachable !== null && !REQUIRE_KEYRING ? describe.skip : describe;

describeWithKeyring('KeychainSecretStore with a real keyring', () => {
  const store = new KeychainSecretStore({ service: SERVICE });
  const accounts = ['secretLdap:cfg-1', 'apiKeyClientSecret', 'secretGsuite:g-1', 'secretOkta:o-1'];

  afterAll(async () => {
    for (const account of accounts) await store.delete(account).catch(() => undefined);
  });

  it('is reachable (DIRCONN_REQUIRE_KEYRING=1 makes a missing keyring a failure)', () => {
    expect(unreachable).toBeNull();
  });

  it('stores, reads, replaces and deletes a secret', async () => {
    expect(await store.get('secretLdap:cfg-1')).toBeNull();
    await store.set('secretLdap:cfg-1', 'first');
    expect(await store.get('secretLdap:cfg-1')).toBe('first');
    await store.set('secretLdap:cfg-1', 'second');
    expect(await store.get('secretLdap:cfg-1')).toBe('second');
    await store.delete('secretLdap:cfg-1');
    expect(await store.get('secretLdap:cfg-1')).toBeNull();
    await store.delete('secretLdap:cfg-1'); // deleting nothing is fine
  });

  it('stores values as plain strings under service + account (no JSON quoting)', async () => {
    await store.set('apiKeyClientSecret', 'plain "value" ü');
    const found = findCredentials(SERVICE).find((c) => c.account === 'apiKeyClientSecret');
    expect(found?.password).toBe('plain "value" ü');
  });

  it('keeps a multi-line PEM key intact', async () => {
    const pem = `-----BEGIN PRIVATE KEY-----\n${'A'.repeat(64)}\n`.repeat(25) + '-----END PRIVATE KEY-----\n';
    await store.set('secretGsuite:g-1', pem);
    expect(await store.get('secretGsuite:g-1')).toBe(pem);
  });

  it('keeps accounts apart', async () => {
    await store.set('secretOkta:o-1', 'okta');
    await store.set('apiKeyClientSecret', 'bw');
    expect(await store.get('secretOkta:o-1')).toBe('okta');
    expect(await store.get('apiKeyClientSecret')).toBe('bw');
    expect(await new KeychainSecretStore({ service: `${SERVICE}-other` }).get('secretOkta:o-1')).toBeNull();
  });

  describe('layered through createSecretStore', () => {
    let workspace: Workspace;
    let cleanup: () => Promise<void>;
    beforeAll(async () => {
      let dir: string;
      ({ dir, cleanup } = await makeTempDir());
      workspace = await openWorkspace({ dataDir: path.join(dir, 'data'), lock: true, command: 'test' });
    });
    afterAll(async () => {
      await workspace.close();
      await cleanup();
    });

    it('the environment overrides the keychain; writes land in the keychain, never in the data file', async () => {
      const layered = createSecretStore({
        env: { DIRCONN_OKTA_TOKEN: 'from-env' },
        workspace,
        keychain: store,
        bindings: [{ account: 'secretOkta', setting: 'okta.token', aliases: [], description: 'Okta API token', variable: 'DIRCONN_OKTA_TOKEN', fileVariable: 'DIRCONN_OKTA_TOKEN_FILE', fileContent: 'first-line' }],
      });
      await layered.set('secretLdap:cfg-1', 'kc-pw');
      expect(await store.get('secretLdap:cfg-1')).toBe('kc-pw');
      expect(await layered.get('secretLdap:cfg-1')).toBe('kc-pw');
      await store.set('secretOkta:o-1', 'kc-okta');
      expect(await layered.get('secretOkta:o-1')).toBe('from-env');
      expect(await fs.readFile(workspace.paths.dataFile, 'utf8')).not.toContain('kc-pw');
      expect(layered.description).toBe('OS keychain (Secret Service); environment variables override it where set');
    });
  });
});

// -------------------------------------------------------------------------------------------------

/** Runs `body` (an async function body with `secrets` = our secrets.ts) in a child node; returns its JSON output. */
async function inChild(env: NodeJS.ProcessEnv, body: string): Promise<unknown> {
  const { dir, cleanup } = await makeTempDir();
  try {
    const nodeArgs = await writeTsLoader(dir);
    const script = path.join(dir, 'child.mjs');
    await fs.writeFile(
      script,
      `const secrets = await import(${JSON.stringify(sourceUrl('secrets'))});
const workspaces = await import(${JSON.stringify(sourceUrl('workspace'))});
const dataDir = ${JSON.stringify(path.join(dir, 'data'))};
try {
  const result = await (async () => { ${body} })();
  console.log(JSON.stringify({ ok: result ?? null }));
} catch (error) {
  console.log(JSON.stringify({ error: typeof error.toData === 'function' ? error.toData() : { message: String(error) } }));
}
process.exit(0);
`,
    );
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, [...nodeArgs, script], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
      child.on('error', reject);
      child.on('exit', (code) => {
        clearTimeout(timer);
        const line = out.trim().split('\n').pop();
        if (!line) reject(new Error(`child exited ${code} without output: ${err}`));
        else resolve(line);
      });
    });
    return JSON.parse(output) as unknown;
  } finally {
    await cleanup();
  }
}

const noBusEnv = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = { ...process.env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/dirconn-test-bus', ...extra };
  for (const name of ['DIRCONN_PLAINTEXT_SECRETS', 'DIRCONN_LDAP_PASSWORD', 'DIRCONN_LDAP_PASSWORD_FILE']) if (!(name in extra)) delete env[name];
  return env;
};

const describeLinux = process.platform === 'linux' ? describe : describe.skip;

describeLinux('no D-Bus session (headless server), in a child process', () => {
  it('the keychain store raises secrets.unavailable naming both alternatives', async () => {
    const result = (await inChild(
      noBusEnv(),
      `const bindings = [{ account: 'secretLdap', setting: 'ldap.password', aliases: [], description: 'bind password', variable: 'DIRCONN_LDAP_PASSWORD', fileVariable: 'DIRCONN_LDAP_PASSWORD_FILE', fileContent: 'first-line' }];
       return await new secrets.KeychainSecretStore({ bindings }).set('secretLdap:cfg-1', 'hunter2');`,
    )) as { error?: ErrorData };
    expect(result.error?.code).toBe('secrets.unavailable');
    expect(result.error?.message).toMatch(/^No OS keychain is reachable \(Secret Service: .*\)\.$/);
    expect(result.error?.message).toContain('/nonexistent/dirconn-test-bus');
    expect(result.error?.hint).toBe(
      'On a headless server set the secret through the environment variable DIRCONN_LDAP_PASSWORD or a file named by DIRCONN_LDAP_PASSWORD_FILE, or opt in to plaintext storage with DIRCONN_PLAINTEXT_SECRETS=true.',
    );
    expect(JSON.stringify(result)).not.toContain('hunter2');
  }, 90_000);

  it('reading fails the same way (no silent fallback to the kernel keyring)', async () => {
    const env = noBusEnv();
    delete env['DBUS_SESSION_BUS_ADDRESS'];
    const result = (await inChild(env, `return await new secrets.KeychainSecretStore().get('apiKeyClientSecret');`)) as { error?: ErrorData };
    expect(result.error?.code).toBe('secrets.unavailable');
    expect(result.error?.hint).toContain('BW_CLIENTSECRET');
    expect(result.error?.hint).toContain('DIRCONN_PLAINTEXT_SECRETS=true');
  }, 90_000);

  it('the layered store still works from the environment, and plaintext works when opted in', async () => {
    const fromEnv = await inChild(
      noBusEnv({ DIRCONN_LDAP_PASSWORD: 'env-pw' }),
      `const ws = await workspaces.openWorkspace({ dataDir, lock: true, command: 'test' });
       const bindings = [{ account: 'secretLdap', setting: 'ldap.password', aliases: [], description: 'bind password', variable: 'DIRCONN_LDAP_PASSWORD', fileVariable: 'DIRCONN_LDAP_PASSWORD_FILE', fileContent: 'first-line' }];
       try { return await secrets.createSecretStore({ env: process.env, workspace: ws, bindings }).get('secretLdap:cfg-1'); } finally { await ws.close(); }`,
    );
    expect(fromEnv).toEqual({ ok: 'env-pw' });

    const plaintext = await inChild(
      noBusEnv({ DIRCONN_PLAINTEXT_SECRETS: 'true' }),
      `const ws = await workspaces.openWorkspace({ dataDir, lock: true, command: 'test' });
       try {
         const store = secrets.createSecretStore({ env: process.env, workspace: ws });
         await store.set('secretLdap:cfg-1', 'file-pw');
         return await store.get('secretLdap:cfg-1');
       } finally { await ws.close(); }`,
    );
    expect(plaintext).toEqual({ ok: 'file-pw' });
  }, 90_000);
});
