/**
 * @dirconn/desktop/server — the desktop API's Node side, shared by Electron main and `dirconn ui`:
 * the dispatcher, the handler table over the core use cases, the scheduler and the HTTP server.
 * Nothing here imports Electron.
 */
export { dispatch, toApiError, type ApiHandlers, type CallContext } from './dispatch.js';
export { notImplementedHandlers } from './not-implemented.handlers.js';
