/**
 * @dirconn/desktop/server — the desktop API's Node side, shared by Electron main and `dirconn ui`:
 * the dispatcher, the handler table over the core use cases, the scheduler and the HTTP server.
 * Nothing here imports Electron.
 */
export { dispatch, toApiError, type ApiHandlers, type CallContext } from './dispatch.js';
export { DesktopError, type DesktopErrorCode } from './desktop-error.js';
export { notImplementedHandlers } from './not-implemented.handlers.js';
export { OperationRunner, type OperationControl } from './operations.js';
export { Scheduler, systemTimer, type SchedulerOptions, type SchedulerTimer } from './scheduler.js';
export { FileScheduleStore, MemoryScheduleStore, SCHEDULE_FILE_NAME, type SavedSchedule, type ScheduleStore } from './schedule-store.js';
export { defaultRendererDir, readStaticFile, PLACEHOLDER_PAGE, type StaticFile } from './static-files.js';
export { startUiServer, MAX_BODY_BYTES, type RunningUiServer, type UiServerOptions } from './ui-server.js';
export { assertListenAllowed, isLoopbackAddress } from './ui-security.js';
export { createHandlers } from './handlers.js';
export { workspaceWithConfig, type HandlerEnv, type StoreLocation, type StoreOptions } from './handler-env.js';
export { createDesktopApi, type DesktopApi, type DesktopApiOptions } from './desktop-api.js';
export { serveUi, type ServeUiOptions, type ServingUi } from './serve-ui.js';
