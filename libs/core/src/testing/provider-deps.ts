/**
 * `ProviderDeps` for provider unit tests: the given config, sync settings and secret, with a silent
 * logger, a FakeClock, a scripted FakeHttpClient and a RetryingTransport over them (no jitter).
 */
import { DEFAULT_SYNC_CONFIG, type SyncConfig } from '../config/config.js';
import type { ProviderDeps } from '../model/provider-definition.js';
import { RetryingTransport, type RetryPolicy } from '../http/retrying-transport.js';
import { silentLogger, type Logger } from '../ports.js';
import { FakeClock } from './fake-clock.js';
import { FakeHttpClient } from './fake-http.js';

/** What {@link testProviderDeps} builds, with the fakes exposed for scripting and assertions. */
export interface TestProviderDeps<C> extends ProviderDeps<C> {
  http: FakeHttpClient;
  clock: FakeClock;
}

/** Options of {@link testProviderDeps}. */
export interface TestProviderDepsOptions<C> {
  config: C;
  sync?: Partial<SyncConfig>;
  secret?: string | null;
  logger?: Logger;
  http?: FakeHttpClient;
  clock?: FakeClock;
  policy?: Partial<RetryPolicy>;
}

/** Builds provider deps over in-memory fakes; see the module comment. */
export function testProviderDeps<C>(options: TestProviderDepsOptions<C>): TestProviderDeps<C> {
  const http = options.http ?? new FakeHttpClient();
  const clock = options.clock ?? new FakeClock();
  const logger = options.logger ?? silentLogger;
  const transport = new RetryingTransport({
    http,
    clock,
    logger,
    service: 'the test directory',
    errorCodes: { unreachable: 'provider.unreachable', throttled: 'provider.throttled', serverError: 'provider.error' },
    random: () => 0.5,
    ...(options.policy ? { policy: options.policy } : {}),
  });
  return {
    config: options.config,
    sync: { ...DEFAULT_SYNC_CONFIG, ...options.sync },
    secret: options.secret ?? null,
    logger,
    http,
    clock,
    transport,
  };
}
