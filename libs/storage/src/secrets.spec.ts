import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { DirconnError, findSecretBinding, secretBindings, type SecretStore } from '@dirconn/core';
import {
  EnvSecretSource,
  KeychainSecretStore,
  LayeredSecretStore,
  PlaintextSecretStore,
  createSecretStore,
  describeSecretSources,
  plaintextSecretsEnabled,
  type KeyringEntry,
} from './secrets.js';
import { openWorkspace, type Workspace } from './workspace.js';
import { caught, makeTempDir } from './spec-helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir());
});
afterEach(() => cleanup());

/** In-memory SecretStore standing in for the keychain. */
class MemoryStore implements SecretStore {
  readonly description = 'memory';
  readonly values = new Map<string, string>();
  get(account: string) {
    return Promise.resolve(this.values.get(account) ?? null);
  }
  set(account: string, value: string) {
    this.values.set(account, value);
    return Promise.resolve();
  }
  delete(account: string) {
    this.values.delete(account);
    return Promise.resolve();
  }
}

/**
 * Storage holds no table of sources: the bindings are injected (built from the provider registry by
 * the composition root). These stand in for the registry's, with the reference's account names.
 */
const secret = (setting: string, account: string, variable: string, fileContent: 'first-line' | 'whole' = 'first-line') => ({
  secret: { setting, account, variable, fileVariable: `${variable}_FILE`, fileContent, description: setting },
});
const BINDINGS = secretBindings([
  secret('ldap.password', 'secretLdap', 'DIRCONN_LDAP_PASSWORD'),
  secret('entra.key', 'secretEntra', 'DIRCONN_ENTRA_KEY'),
  secret('google.privateKey', 'secretGsuite', 'DIRCONN_GOOGLE_PRIVATE_KEY', 'whole'),
  secret('okta.token', 'secretOkta', 'DIRCONN_OKTA_TOKEN'),
  secret('onelogin.clientSecret', 'secretOneLogin', 'DIRCONN_ONELOGIN_SECRET'),
  { secret: null },
]);
const envSource = (env: Record<string, string | undefined>) => new EnvSecretSource(env, BINDINGS);

describe('account names', () => {
  it('map to environment variables, scoped accounts included', () => {
    expect(findSecretBinding(BINDINGS, 'secretLdap:c1')).toMatchObject({ variable: 'DIRCONN_LDAP_PASSWORD', fileVariable: 'DIRCONN_LDAP_PASSWORD_FILE' });
    expect(findSecretBinding(BINDINGS, 'apiKeyClientSecret')).toMatchObject({ variable: 'BW_CLIENTSECRET', fileVariable: 'DIRCONN_CLIENT_SECRET_FILE' });
    expect(findSecretBinding(BINDINGS, 'apiKeyClientId')).toMatchObject({ variable: 'BW_CLIENTID', fileVariable: null });
    expect(findSecretBinding(BINDINGS, 'accessToken')).toBeUndefined();
    const names = BINDINGS.flatMap((b) => [b.variable, b.fileVariable]).filter((n) => n !== null);
    expect(new Set(names).size).toBe(names.length);
  });

  it('without injected bindings, know only the Bitwarden login', () => {
    expect(new EnvSecretSource({ DIRCONN_LDAP_PASSWORD: 'x' }).activeOverride('secretLdap:1')).toBeNull();
    expect(new EnvSecretSource({ BW_CLIENTSECRET: 'x' }).activeOverride('apiKeyClientSecret')).toEqual({ kind: 'variable', name: 'BW_CLIENTSECRET' });
  });
});

describe('EnvSecretSource', () => {
  it('reads a variable as is', async () => {
    const source = envSource({ DIRCONN_LDAP_PASSWORD: ' p w ' });
    expect(await source.get('secretLdap:any-id')).toBe(' p w ');
    expect(source.activeOverride('secretLdap:x')).toEqual({ kind: 'variable', name: 'DIRCONN_LDAP_PASSWORD' });
    expect(await source.get('secretOkta:x')).toBeNull();
  });

  it('treats an empty variable as unset', async () => {
    expect(await envSource({ BW_CLIENTSECRET: '' }).get('apiKeyClientSecret')).toBeNull();
  });

  it('reads the first line of a _FILE, trimmed', async () => {
    const file = path.join(dir, 'secret');
    await fs.writeFile(file, '  s3cret  \r\nsecond line\n');
    const source = envSource({ DIRCONN_CLIENT_SECRET_FILE: file });
    expect(await source.get('apiKeyClientSecret')).toBe('s3cret');
  });

  it('reads the whole file for a PEM key', async () => {
    const file = path.join(dir, 'key.pem');
    const pem = '-----BEGIN PRIVATE KEY-----\nMIIabc\n-----END PRIVATE KEY-----';
    await fs.writeFile(file, `${pem}\n`);
    expect(await envSource({ DIRCONN_GOOGLE_PRIVATE_KEY_FILE: file }).get('secretGsuite:g')).toBe(pem);
  });

  it('a missing file → secrets.missing naming the variable and path', async () => {
    const file = path.join(dir, 'nope');
    const error = (await caught(() => envSource({ DIRCONN_LDAP_PASSWORD_FILE: file }).get('secretLdap:1'))) as DirconnError;
    expect(error.code).toBe('secrets.missing');
    expect(error.message).toBe(`Cannot read the file ${file} named by DIRCONN_LDAP_PASSWORD_FILE (ENOENT).`);
  });

  it('an empty file → secrets.missing, content never quoted', async () => {
    const file = path.join(dir, 'empty');
    await fs.writeFile(file, '\nhunter2\n');
    const error = (await caught(() => envSource({ DIRCONN_LDAP_PASSWORD_FILE: file }).get('secretLdap:1'))) as DirconnError;
    expect(error.code).toBe('secrets.missing');
    expect(error.message).toContain('is empty');
    expect(JSON.stringify(error.toData())).not.toContain('hunter2');
  });

  it('an unreadable file → secrets.missing', async () => {
    const error = (await caught(() => envSource({ DIRCONN_OKTA_TOKEN_FILE: dir }).get('secretOkta:1'))) as DirconnError;
    expect(error.code).toBe('secrets.missing');
    expect(error.message).toContain('(EISDIR)');
  });

  it('both the variable and the _FILE set → config.invalid, values not shown', async () => {
    const source = envSource({ DIRCONN_LDAP_PASSWORD: 'hunter2', DIRCONN_LDAP_PASSWORD_FILE: '/x' });
    const error = (await caught(() => source.get('secretLdap:1'))) as DirconnError;
    expect(error.code).toBe('config.invalid');
    expect(error.message).toContain('Both DIRCONN_LDAP_PASSWORD and DIRCONN_LDAP_PASSWORD_FILE');
    expect(error.message).not.toContain('hunter2');
  });

  it('is read-only', async () => {
    const source = envSource({});
    await expect(source.set('secretLdap:1')).rejects.toMatchObject({ code: 'usage' });
    await expect(source.delete('apiKeyClientSecret')).rejects.toMatchObject({ code: 'usage', hint: expect.stringContaining('BW_CLIENTSECRET') as unknown });
  });
});

describe('plaintextSecretsEnabled', () => {
  it.each([
    [undefined, false],
    ['', false],
    ['true', true],
    ['TRUE', true],
    ['false', false],
  ])('%p → %p', (value, expected) => {
    expect(plaintextSecretsEnabled(value === undefined ? {} : { DIRCONN_PLAINTEXT_SECRETS: value })).toBe(expected);
  });

  it.each([['1'], ['yes'], ['on']])('%p is refused (one spelling)', (value) => {
    expect(() => plaintextSecretsEnabled({ DIRCONN_PLAINTEXT_SECRETS: value })).toThrow(expect.objectContaining({ code: 'config.invalid' }));
  });
});

describe('PlaintextSecretStore', () => {
  let ws: Workspace;
  beforeEach(async () => {
    ws = await openWorkspace({ dataDir: path.join(dir, 'data'), lock: true, command: 'test' });
  });
  afterEach(() => ws.close());

  it('stores into plaintextSecrets of the data file and removes the key with the last secret', async () => {
    const store = new PlaintextSecretStore(ws);
    expect(store.description).toContain('plaintext in');
    expect(await store.get('secretLdap:1')).toBeNull();
    await store.set('secretLdap:1', 'pw1');
    await store.set('apiKeyClientSecret', 'cs');
    expect(await store.get('secretLdap:1')).toBe('pw1');
    const disk = JSON.parse(await fs.readFile(ws.paths.dataFile, 'utf8')) as Record<string, unknown>;
    expect(disk['plaintextSecrets']).toEqual({ 'secretLdap:1': 'pw1', apiKeyClientSecret: 'cs' });

    await store.delete('secretLdap:1');
    await store.delete('secretLdap:1');
    await store.delete('apiKeyClientSecret');
    expect(ws.data.plaintextSecrets).toBeUndefined();
    expect(await fs.readFile(ws.paths.dataFile, 'utf8')).not.toContain('plaintextSecrets');
  });
});

describe('createSecretStore (layering)', () => {
  let ws: Workspace;
  beforeEach(async () => {
    ws = await openWorkspace({ dataDir: path.join(dir, 'data'), lock: true, command: 'test' });
  });
  afterEach(() => ws.close());

  it('environment overrides first, then the keychain; writes go to the keychain', async () => {
    const keychain = new MemoryStore();
    keychain.values.set('secretLdap:1', 'from-keychain');
    keychain.values.set('apiKeyClientSecret', 'kc-secret');
    const store = createSecretStore({ bindings: BINDINGS, env: { BW_CLIENTSECRET: 'env-secret' }, workspace: ws, keychain });
    expect(store.backing).toBe(keychain);
    expect(await store.get('apiKeyClientSecret')).toBe('env-secret');
    expect(await store.get('secretLdap:1')).toBe('from-keychain');
    expect(await store.get('secretOkta:1')).toBeNull();

    await store.set('apiKeyClientSecret', 'new');
    expect(keychain.values.get('apiKeyClientSecret')).toBe('new');
    expect(await store.get('apiKeyClientSecret')).toBe('env-secret'); // still overridden
    await store.delete('secretLdap:1');
    expect(keychain.values.has('secretLdap:1')).toBe(false);
    expect(store.description).toBe('memory; environment variables override it where set');
  });

  it('plaintext only with DIRCONN_PLAINTEXT_SECRETS=true, and env still wins', async () => {
    const keychain = new MemoryStore();
    const store = createSecretStore({ bindings: BINDINGS, env: { DIRCONN_PLAINTEXT_SECRETS: 'true', DIRCONN_LDAP_PASSWORD: 'env-pw' }, workspace: ws, keychain });
    expect(store.backing).toBeInstanceOf(PlaintextSecretStore);
    await store.set('secretLdap:1', 'stored');
    await store.set('secretOkta:1', 'tok');
    expect(keychain.values.size).toBe(0);
    expect(ws.data.plaintextSecrets).toEqual({ 'secretLdap:1': 'stored', 'secretOkta:1': 'tok' });
    expect(await store.get('secretLdap:1')).toBe('env-pw');
    expect(await store.get('secretOkta:1')).toBe('tok');
  });

  it('without the opt-in, plaintext secrets in the file are ignored', async () => {
    await ws.update((data) => void (data.plaintextSecrets = { 'secretLdap:1': 'old' }));
    const store = createSecretStore({ bindings: BINDINGS, env: {}, workspace: ws, keychain: new MemoryStore() });
    expect(await store.get('secretLdap:1')).toBeNull();
  });

  it('a default keychain store is created lazily (nothing contacted)', () => {
    const store = createSecretStore({ bindings: BINDINGS, env: {}, workspace: ws });
    expect(store.backing).toBeInstanceOf(KeychainSecretStore);
    expect(store).toBeInstanceOf(LayeredSecretStore);
  });
});

describe('KeychainSecretStore (fake entries)', () => {
  function storeWith(entry: Partial<KeyringEntry>, options: { timeoutMs?: number; onCreate?: () => void } = {}) {
    const calls: [string, string][] = [];
    const store = new KeychainSecretStore({
      platform: 'linux',
      bindings: BINDINGS,
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
      createEntry: (service, account) => {
        calls.push([service, account]);
        options.onCreate?.();
        return {
          getPassword: entry.getPassword ?? (() => Promise.resolve(null)),
          setPassword: entry.setPassword ?? (() => Promise.resolve()),
          deletePassword: entry.deletePassword ?? (() => Promise.resolve(true)),
        };
      },
    });
    return { store, calls };
  }

  it('uses service "dirconn" and the account as given', async () => {
    const { store, calls } = storeWith({ getPassword: () => Promise.resolve('v') });
    expect(await store.get('secretLdap:1')).toBe('v');
    expect(calls).toEqual([['dirconn', 'secretLdap:1']]);
    expect(store.description).toBe('OS keychain (Secret Service)');
    expect(new KeychainSecretStore({ platform: 'darwin' }).description).toBe('OS keychain (macOS Keychain)');
    expect(new KeychainSecretStore({ platform: 'win32' }).description).toBe('OS keychain (Windows Credential Manager)');
  });

  it.each([
    ['no D-Bus session (thrown by the constructor)', 'Platform failure: DBus error: Failed to connect to socket /nonexistent: No such file or directory'],
    ['no default collection', "Couldn't access platform storage: Secret Service: no result found"],
    ['kernel keyring denied', "Couldn't access platform storage: AccessDenied"],
    ['locked collection', 'Platform failure: Secret Service: the collection is locked'],
  ])('%s → secrets.unavailable naming env/file and plaintext alternatives', async (_name, message) => {
    const { store } = storeWith({}, { onCreate: () => { throw new Error(message); } });
    const error = (await caught(() => store.set('secretLdap:1', 'hunter2'))) as DirconnError;
    expect(error.code).toBe('secrets.unavailable');
    expect(error.message).toBe(`No OS keychain is reachable (Secret Service: ${message}).`);
    expect(error.hint).toBe(
      'On a headless server set the secret through the environment variable DIRCONN_LDAP_PASSWORD or a file named by DIRCONN_LDAP_PASSWORD_FILE, or opt in to plaintext storage with DIRCONN_PLAINTEXT_SECRETS=true.',
    );
    expect(JSON.stringify(error.toData())).not.toContain('hunter2');
  });

  it('other keyring errors → store.io', async () => {
    const { store } = storeWith({ getPassword: () => Promise.reject(new Error('Entry is matched by 2 credentials: ambiguous')) });
    await expect(store.get('apiKeyClientSecret')).rejects.toMatchObject({ code: 'store.io' });
  });

  it('a keychain that never answers → secrets.unavailable after the timeout', async () => {
    let aborted = false;
    const { store } = storeWith(
      {
        getPassword: (signal) =>
          new Promise<string | null>((_, reject) => {
            signal?.addEventListener('abort', () => {
              aborted = true;
              reject(new Error('aborted'));
            });
          }),
      },
      { timeoutMs: 50 },
    );
    const error = (await caught(() => store.get('apiKeyClientSecret'))) as DirconnError;
    expect(error.code).toBe('secrets.unavailable');
    expect(error.message).toContain('did not answer within');
    expect(error.hint).toContain('BW_CLIENTSECRET');
    expect(aborted).toBe(true);
  });

  it('delete of a missing secret is fine', async () => {
    const { store } = storeWith({ deletePassword: () => Promise.resolve(false) });
    await expect(store.delete('secretOkta:1')).resolves.toBeUndefined();
  });
});

describe('describeSecretSources', () => {
  it('lists every override with which variable is set, never a value', () => {
    const description = describeSecretSources(BINDINGS, { BW_CLIENTSECRET: 'hunter2', DIRCONN_LDAP_PASSWORD_FILE: '/run/secrets/ldap' }, 'linux');
    expect(description.store).toBe('keychain');
    expect(description.storeDescription).toBe('OS keychain (Secret Service)');
    expect(description.overrides.find((o) => o.account === 'apiKeyClientSecret')?.active).toEqual({ kind: 'variable', name: 'BW_CLIENTSECRET' });
    expect(description.overrides.find((o) => o.account === 'secretLdap')?.active).toEqual({ kind: 'file', name: 'DIRCONN_LDAP_PASSWORD_FILE' });
    expect(description.overrides.find((o) => o.account === 'secretOkta')?.active).toBeNull();
    expect(JSON.stringify(description)).not.toContain('hunter2');
  });

  it('reports plaintext mode', () => {
    expect(describeSecretSources(BINDINGS, { DIRCONN_PLAINTEXT_SECRETS: 'true' }).store).toBe('plaintext');
  });
});
