/**
 * Wires the desktop API for one process from the Node composition root (the same store, lock,
 * secrets and HTTP as the CLI): the handler table, the dispatcher, the operation runner and the
 * persisted scheduler. Electron main calls it with face `desktop`, `dirconn ui` with `browser`.
 */
import type { Logger } from '@dirconn/core';
import { createNodePlatform, systemClock } from '@dirconn/node-platform';
import { resolveDataDir, storePaths } from '@dirconn/storage';
import type { ApiFace, ApiResponse, ScheduleStatus } from '../shared/api-types.js';
import { dispatch, type ApiHandlers } from './dispatch.js';
import type { HandlerEnv, StoreLocation } from './handler-env.js';
import { createHandlers } from './handlers.js';
import { OperationRunner } from './operations.js';
import { scheduledSync } from './run.handlers.js';
import { FileScheduleStore } from './schedule-store.js';
import { Scheduler } from './scheduler.js';

/** Options of {@link createDesktopApi}. */
export interface DesktopApiOptions {
  face: ApiFace;
  /** Environment: data directory, secret overrides, proxy (as for the CLI). */
  env: Readonly<Record<string, string | undefined>>;
  platform: NodeJS.Platform;
  version: string;
  logger: Logger;
  /** Runtime versions shown by `about` (default: node's). */
  runtime?: Record<string, string>;
  logFile?: string | null;
  /** Opens a folder in the file manager (desktop only). */
  openPath?: (path: string) => Promise<void>;
  /** After a sync, sign-in or logout (the tray refreshes). */
  onStateChange?: () => void;
  /** After every schedule change or scheduled run. */
  onScheduleChange?: (status: ScheduleStatus) => void;
}

/** The wired API of one process. */
export interface DesktopApi {
  /** Validates and runs one call. */
  readonly call: (method: string, payload: unknown) => Promise<ApiResponse<unknown>>;
  readonly handlers: ApiHandlers;
  readonly scheduler: Scheduler;
  readonly operations: OperationRunner;
  readonly location: StoreLocation;
  /** Stops the schedule's timer (the saved schedule stays). */
  readonly dispose: () => void;
}

/** Builds the API and resumes a saved schedule. */
export async function createDesktopApi(options: DesktopApiOptions): Promise<DesktopApi> {
  const platform = createNodePlatform({ env: options.env, platform: options.platform, clientVersion: options.version, logger: options.logger });
  const paths = storePaths(resolveDataDir(options.env, options.platform));
  const location: StoreLocation = { dataDir: paths.dataDir, dataFile: paths.dataFile, reportsDir: paths.reportsDir };
  const operations = new OperationRunner(() => systemClock.now());
  // The scheduler and the handlers refer to each other through `env` (scheduled runs are syncs).
  const holder: { env: HandlerEnv | null } = { env: null };
  const scheduler = new Scheduler({
    store: new FileScheduleStore(paths.dataDir),
    now: () => systemClock.now(),
    logger: options.logger,
    runSync: () => scheduledSync(holder.env as HandlerEnv),
    defaultIntervalMinutes: () => platform.withWorkspace('desktop schedule', async (deps) => deps.workspace.config.sync.interval ?? 5, { lock: false }),
    ...(options.onScheduleChange ? { onChange: options.onScheduleChange } : {}),
  });
  const env: HandlerEnv = {
    withStore: (command, fn, storeOptions) => platform.withWorkspace(command, (deps) => fn(deps), { lock: storeOptions.lock }),
    location,
    operations,
    scheduler,
    face: options.face,
    version: options.version,
    runtime: options.runtime ?? { node: process.versions.node },
    platform: `${options.platform} ${process.arch}`,
    logFile: options.logFile ?? null,
    ...(options.onStateChange ? { onStateChange: options.onStateChange } : {}),
    ...(options.openPath ? { openPath: options.openPath } : {}),
  };
  holder.env = env;
  const handlers = createHandlers(env);
  await scheduler.restore();
  return {
    call: (method, payload) => dispatch(handlers, method, payload, { face: options.face }),
    handlers,
    scheduler,
    operations,
    location,
    dispose: () => scheduler.dispose(),
  };
}
