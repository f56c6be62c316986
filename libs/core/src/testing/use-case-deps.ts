/**
 * `UseCaseDeps` over in-memory fakes, for use-case tests: a MemoryWorkspace, a MemorySecretStore,
 * MemoryFiles, FakeHttpClients for Bitwarden and the directory, a FakeClock, a silent logger and
 * counting ids. Pass the source definitions under test as `definitions` (the registry).
 */
import { DirconnError } from '../errors.js';
import type { ProviderDefinition } from '../model/provider-definition.js';
import { silentLogger, type Logger } from '../ports.js';
import type { UseCaseDeps } from '../usecases/session.js';
import { FakeClock } from './fake-clock.js';
import { FakeHttpClient } from './fake-http.js';
import { MemoryFiles } from './memory-files.js';
import { MemorySecretStore } from './memory-secret-store.js';
import { MemoryWorkspace } from './memory-workspace.js';

/** What {@link testUseCaseDeps} builds, with the fakes exposed for scripting and assertions. */
export interface TestUseCaseDeps extends UseCaseDeps {
  workspace: MemoryWorkspace;
  secrets: MemorySecretStore;
  files: MemoryFiles;
  http: FakeHttpClient;
  directoryHttp: FakeHttpClient;
  clock: FakeClock;
}

/** Options of {@link testUseCaseDeps}; every fake can be given. */
export interface TestUseCaseDepsOptions {
  definitions: readonly ProviderDefinition[];
  workspace?: MemoryWorkspace;
  secrets?: MemorySecretStore;
  files?: MemoryFiles;
  http?: FakeHttpClient;
  directoryHttp?: FakeHttpClient;
  clock?: FakeClock;
  logger?: Logger;
}

/** Builds use-case deps over in-memory fakes; ids are `id-1`, `id-2`, … */
export function testUseCaseDeps(options: TestUseCaseDepsOptions): TestUseCaseDeps {
  let ids = 0;
  const definitions = options.definitions;
  return {
    workspace: options.workspace ?? new MemoryWorkspace(),
    secrets: options.secrets ?? new MemorySecretStore(),
    files: options.files ?? new MemoryFiles(),
    definitions,
    providers: (type) => {
      const found = definitions.find((d) => d.type === type);
      if (!found) throw new DirconnError('config.invalid', `Unknown directory type "${type}".`);
      return found;
    },
    http: options.http ?? new FakeHttpClient(),
    directoryHttp: options.directoryHttp ?? new FakeHttpClient(),
    clock: options.clock ?? new FakeClock(),
    logger: options.logger ?? silentLogger,
    clientVersion: '0.0.0-test',
    deviceType: 25,
    deviceName: 'dirconn test',
    newId: () => `id-${++ids}`,
  };
}
