/**
 * The Bitwarden server as the sync use cases see it, scripted on a {@link FakeHttpClient} (issue #7
 * item 5), and {@link syncTestDeps}: use-case deps for a sync of a {@link FakeProvider} into it.
 */
import { DEFAULT_SYNC_CONFIG } from '../config/config.js';
import type { DirectorySnapshot } from '../model/directory.js';
import type { OrgSnapshot } from '../model/organization.js';
import type { ProviderDefinition } from '../model/provider-definition.js';
import { CLIENT_SECRET_ACCOUNT } from '../usecases/session.js';
import { snapshot as emptySnapshot } from './builders.js';
import { FakeClock } from './fake-clock.js';
import { FakeHttpClient, type FakeHttpResponse } from './fake-http.js';
import { FakeProvider } from './fake-provider.js';
import { MemorySecretStore } from './memory-secret-store.js';
import { MemoryWorkspace } from './memory-workspace.js';
import { testUseCaseDeps, type TestUseCaseDeps } from './use-case-deps.js';

/** Organization id of the test API key (`organization.<id>`). */
export const TEST_ORGANIZATION_ID = '3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b';
/** Path of the import route (the default server is the US cloud). */
export const IMPORT_PATH = '/public/organization/import';

function base64url(text: string): string {
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * Answers a token for any key, the organization in `org` (read at request time, so a test can change
 * it between runs; null answers 404 as Vaultwarden does) and the import with `importQueue`'s next
 * answer, else `importReply` (200 unless set). The import does not change `org`: a test sets the organization it wants.
 */
export class FakeBitwardenServer {
  org: OrgSnapshot | null = { members: [], groups: [] };
  importReply: FakeHttpResponse = { status: 200 };
  /** Answers for the next imports, used (and removed) first, one per import; then `importReply`. */
  importQueue: FakeHttpResponse[] = [];

  constructor(
    readonly http: FakeHttpClient,
    private readonly clock: FakeClock,
  ) {
    const notFound = { status: 404, body: { error: { code: 404, reason: 'Not Found', description: 'The requested resource could not be found.' } } };
    http
      .on('POST', '/connect/token', () => ({ body: { access_token: this.#token(), expires_in: 3600, token_type: 'Bearer', scope: 'api.organization' } }))
      .on('GET', '/public/members', () => (this.org === null ? notFound : { body: { object: 'list', data: this.org.members.map((m) => ({ object: 'member', ...m })), continuationToken: null } }))
      .on('GET', '/public/groups', () =>
        this.org === null ? notFound : { body: { object: 'list', data: this.org.groups.map((g) => ({ object: 'group', id: g.id, name: g.name, externalId: g.externalId ?? '', collections: [] })) } },
      )
      .on('GET', /\/public\/groups\/[^/]+\/member-ids$/, (request) => {
        const id = decodeURIComponent(new URL(request.url).pathname.split('/')[3] ?? '');
        const group = this.org?.groups.find((g) => g.id === id);
        return group === undefined ? notFound : { body: group.memberIds ?? [] };
      })
      // Seats: not reported (self-hosted answers 400) unless a test says otherwise.
      .on('GET', '/public/organization/subscription', { status: 400, body: { message: 'Only allowed when not self hosted.' } })
      .on('POST', IMPORT_PATH, () => this.importQueue.shift() ?? this.importReply);
  }

  /** Bodies of the import requests received, in order. */
  imports(): string[] {
    return this.http.calls('POST', IMPORT_PATH).map((r) => (typeof r.body === 'string' ? r.body : ''));
  }

  #token(): string {
    const exp = Math.floor(this.clock.now().getTime() / 1000) + 3600;
    return `${base64url(JSON.stringify({ alg: 'RS256', typ: 'at+jwt' }))}.${base64url(JSON.stringify({ exp, client_id: `organization.${TEST_ORGANIZATION_ID}` }))}.signature`;
  }
}

/** A source definition with no settings and no secret whose provider is `provider`. */
export function fakeSourceDefinition(provider: FakeProvider): ProviderDefinition {
  return { type: provider.type, label: 'Fake directory', fields: [], defaults: {}, secret: null, identityFields: [], validate: () => [], create: () => provider };
}

/** What {@link syncTestDeps} builds. */
export interface SyncTestDeps extends TestUseCaseDeps {
  provider: FakeProvider;
  bitwarden: FakeBitwardenServer;
}

/**
 * Use-case deps for a sync: the `fake` source chosen with users and groups on, logged in to
 * {@link TEST_ORGANIZATION_ID} on the default server, the directory answering `snapshot` (default an
 * empty full read) and the organization empty until a test sets `bitwarden.org`.
 */
export function syncTestDeps(snapshot: DirectorySnapshot = emptySnapshot()): SyncTestDeps {
  const clock = new FakeClock('2026-03-02T09:00:00.000Z');
  const http = new FakeHttpClient();
  const provider = new FakeProvider(snapshot);
  const workspace = new MemoryWorkspace({
    config: { directory: provider.type, directories: { [provider.type]: {} }, sync: { ...DEFAULT_SYNC_CONFIG, users: true, groups: true } },
    login: { clientId: `organization.${TEST_ORGANIZATION_ID}`, organizationId: TEST_ORGANIZATION_ID },
  });
  const deps = testUseCaseDeps({ definitions: [fakeSourceDefinition(provider)], workspace, http, clock, secrets: new MemorySecretStore({ [CLIENT_SECRET_ACCOUNT]: 'test-client-secret' }) });
  return Object.assign(deps, { provider, bitwarden: new FakeBitwardenServer(http, clock) });
}
