/**
 * A handler table whose every method fails with `internal` "not implemented": the contract's first
 * landing, so the renderer can be built against the API while the real handlers are written.
 */
import { DirconnError } from '@dirconn/core';
import { API_METHOD_NAMES } from '../shared/api-methods.js';
import type { ApiHandlers } from './dispatch.js';

function notImplemented(method: string): () => Promise<never> {
  return async () => {
    throw new DirconnError('internal', `${method} is not implemented yet.`, { hint: 'This build of dirconn has a placeholder for this action.' });
  };
}

/** Every method of the contract, each throwing "not implemented". */
export const notImplementedHandlers: ApiHandlers = Object.fromEntries(API_METHOD_NAMES.map((m) => [m, notImplemented(m)])) as unknown as ApiHandlers;
