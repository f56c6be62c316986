import { describe, expect, it } from '@jest/globals';
import { hasErrorCode } from '../errors.js';
import { normalizeServerUrl, resolveServerUrls } from './urls.js';

const server = (base: string | null, api: string | null = null, identity: string | null = null) => ({ base, api, identity });

describe('resolveServerUrls', () => {
  it('defaults to the US cloud', () => {
    expect(resolveServerUrls(server(null))).toEqual({
      api: 'https://api.bitwarden.com',
      identity: 'https://identity.bitwarden.com',
      webVault: 'https://vault.bitwarden.com',
      cloud: 'us',
    });
    expect(resolveServerUrls(server('  ')).cloud).toBe('us');
  });

  it.each(['https://vault.bitwarden.eu', 'vault.bitwarden.eu/', 'bitwarden.eu', 'https://BITWARDEN.EU//', 'eu', 'EU'])('recognises the EU cloud from %s', (base) => {
    expect(resolveServerUrls(server(base))).toEqual({
      api: 'https://api.bitwarden.eu',
      identity: 'https://identity.bitwarden.eu',
      webVault: 'https://vault.bitwarden.eu',
      cloud: 'eu',
    });
  });

  it('maps the US web vault address to the US cloud', () => {
    expect(resolveServerUrls(server('https://vault.bitwarden.com')).api).toBe('https://api.bitwarden.com');
  });

  it('derives /api and /identity from a self-hosted base', () => {
    expect(resolveServerUrls(server(' vault.example.com/ '))).toEqual({
      api: 'https://vault.example.com/api',
      identity: 'https://vault.example.com/identity',
      webVault: 'https://vault.example.com',
      cloud: null,
    });
    expect(resolveServerUrls(server('http://127.0.0.1:8080/bw///')).api).toBe('http://127.0.0.1:8080/bw/api');
  });

  it('lets explicit api and identity win, each on its own', () => {
    const urls = resolveServerUrls(server('https://vault.example.com', 'https://api.example.com/', null));
    expect(urls.api).toBe('https://api.example.com');
    expect(urls.identity).toBe('https://vault.example.com/identity');
    expect(urls.webVault).toBe('https://vault.example.com');
    expect(urls.cloud).toBeNull();
    const both = resolveServerUrls(server(null, 'bw.example.com/api', 'bw.example.com/identity'));
    expect(both).toEqual({ api: 'https://bw.example.com/api', identity: 'https://bw.example.com/identity', webVault: 'https://bw.example.com', cloud: null });
  });

  it('reports the cloud from the resolved API URL', () => {
    expect(resolveServerUrls(server('https://vault.example.com', 'https://api.bitwarden.eu', 'https://identity.bitwarden.eu')).cloud).toBe('eu');
  });

  it('refuses unusable URLs with config.invalid', () => {
    for (const bad of ['ftp://vault.example.com', 'https://vault.example.com/?x=1', 'https://user:pw@vault.example.com', 'https://exa mple.com']) {
      let caught: unknown;
      try {
        resolveServerUrls(server(bad));
      } catch (error) {
        caught = error;
      }
      expect(hasErrorCode(caught, 'config.invalid')).toBe(true);
    }
    expect(() => resolveServerUrls(server(null, 'ftp://x', null))).toThrow(/server\.api/);
  });
});

describe('normalizeServerUrl', () => {
  it('trims, adds https, lower-cases scheme and host, drops trailing slashes, keeps the path case', () => {
    expect(normalizeServerUrl('  HTTPS://Vault.Example.COM/Sub/Path// ')).toBe('https://vault.example.com/Sub/Path');
    expect(normalizeServerUrl('vault.example.com:8443')).toBe('https://vault.example.com:8443');
    expect(normalizeServerUrl('http://localhost:80/')).toBe('http://localhost');
  });
});
