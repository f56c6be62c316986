/**
 * The handler table of the desktop API: every method of the contract, typed against it (a missing
 * or mistyped handler fails to compile), each calling the core use cases through {@link HandlerEnv}.
 * Inputs arrive already validated by the dispatcher.
 */
import type { ApiHandlers } from './dispatch.js';
import type { HandlerEnv } from './handler-env.js';
import { accountHandlers } from './account.handlers.js';
import { runHandlers } from './run.handlers.js';
import { settingsHandlers } from './settings.handlers.js';

/** Builds the handler table over `env`. */
export function createHandlers(env: HandlerEnv): ApiHandlers {
  return { ...accountHandlers(env), ...settingsHandlers(env), ...runHandlers(env) };
}
