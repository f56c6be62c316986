import { describe, expect, it } from '@jest/globals';
import { DirconnError } from '../errors.js';
import type { DirectoryProvider, DirectorySnapshot, ReadOptions } from '../model/directory.js';
import type { OrgSnapshot } from '../model/organization.js';
import { readDirectoryAndOrganization } from './sync.usecase.js';

const SNAPSHOT: DirectorySnapshot = { users: [], groups: [], mode: 'full', warnings: [], stats: {} };
const ORG: OrgSnapshot = { members: [], groups: [] };
const OPTIONS: ReadOptions = { force: true, users: true, groups: true };

/** A read that settles when told to, or rejects with `cancelled` when its signal aborts. */
function controllable<T>(events: string[], name: string) {
  let settle: { resolve: (value: T) => void; reject: (error: unknown) => void } | undefined;
  const read = (signal?: AbortSignal): Promise<T> => {
    events.push(`${name} started`);
    return new Promise<T>((resolve, reject) => {
      settle = { resolve, reject };
      signal?.addEventListener('abort', () => {
        events.push(`${name} aborted`);
        reject(new DirconnError('cancelled', 'Cancelled.'));
      });
    });
  };
  return { read, resolve: (value: T) => settle?.resolve(value), reject: (error: unknown) => settle?.reject(error) };
}

function setup() {
  const events: string[] = [];
  const directory = controllable<DirectorySnapshot>(events, 'directory');
  const organization = controllable<OrgSnapshot | null>(events, 'organization');
  const provider: DirectoryProvider = { type: 'test', read: (options) => directory.read(options.signal) };
  const client = { readOrganization: (signal?: AbortSignal) => organization.read(signal) };
  return { events, directory, organization, provider, client };
}

const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

describe('readDirectoryAndOrganization', () => {
  it('reads both at the same time', async () => {
    const { events, directory, organization, provider, client } = setup();
    const result = readDirectoryAndOrganization(provider, OPTIONS, client, undefined);
    await tick();
    expect(events).toEqual(['organization started', 'directory started']);
    organization.resolve(ORG);
    directory.resolve(SNAPSHOT);
    await expect(result).resolves.toEqual({ snapshot: SNAPSHOT, org: ORG });
  });

  it('stops the directory read when the organization read fails, and reports that failure', async () => {
    const { events, organization, provider, client } = setup();
    const result = readDirectoryAndOrganization(provider, OPTIONS, client, undefined);
    await tick();
    organization.reject(new DirconnError('auth.bitwarden', 'refused'));
    await expect(result).rejects.toMatchObject({ code: 'auth.bitwarden' });
    expect(events).toContain('directory aborted');
  });

  it('reports the directory failure, stopping the organization read', async () => {
    const { events, directory, provider, client } = setup();
    const result = readDirectoryAndOrganization(provider, OPTIONS, client, undefined);
    await tick();
    directory.reject(new DirconnError('provider.incomplete-read', 'page 7 failed'));
    await expect(result).rejects.toMatchObject({ code: 'provider.incomplete-read' });
    expect(events).toContain('organization aborted');
  });

  it('fails even when the directory read succeeds but the organization read failed', async () => {
    const { directory, organization, provider, client } = setup();
    const result = readDirectoryAndOrganization(provider, OPTIONS, client, undefined);
    await tick();
    directory.resolve(SNAPSHOT);
    await tick();
    organization.reject(new DirconnError('bitwarden.server-error', 'bad list'));
    await expect(result).rejects.toMatchObject({ code: 'bitwarden.server-error' });
  });

  it('passes a cancellation through and reads only the directory without a client', async () => {
    const { provider, client } = setup();
    const controller = new AbortController();
    const result = readDirectoryAndOrganization(provider, OPTIONS, client, controller.signal);
    controller.abort();
    await expect(result).rejects.toMatchObject({ code: 'cancelled' });
    const alone = setup();
    const only = readDirectoryAndOrganization(alone.provider, OPTIONS, null, undefined);
    alone.directory.resolve(SNAPSHOT);
    await expect(only).resolves.toEqual({ snapshot: SNAPSHOT, org: null });
    expect(alone.events).toEqual(['directory started']);
  });
});
