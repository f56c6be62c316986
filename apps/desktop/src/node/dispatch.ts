/**
 * The one entry point both faces call (Electron IPC and `dirconn ui`'s HTTP): looks the method up
 * in the contract, validates the payload with its zod schema, runs the handler, and turns whatever
 * it throws into `{code, message, hint}`. Nothing reaches a handler unvalidated.
 */
import { toErrorData } from '@dirconn/core';
import type { ZodError } from 'zod';
import { DesktopError } from './desktop-error.js';
import { apiInputs, isApiMethod, type ApiMethod, type ApiParsedInput, type ApiResult } from '../shared/api-contract.js';
import type { ApiError, ApiFace, ApiResponse } from '../shared/api-types.js';

/** Who is calling: which face, for handlers that answer differently (about, status). */
export interface CallContext {
  face: ApiFace;
}

/** One handler per method, typed against the contract: a missing or mistyped handler fails to compile. */
export type ApiHandlers = {
  readonly [M in ApiMethod]: (input: ApiParsedInput<M>, call: CallContext) => Promise<ApiResult<M>>;
};

/** Validates and runs one call; never rejects. */
export async function dispatch(handlers: ApiHandlers, method: string, payload: unknown, call: CallContext): Promise<ApiResponse<unknown>> {
  if (!isApiMethod(method)) {
    return { ok: false, error: { code: 'usage', message: `Unknown method "${method.slice(0, 64)}".` } };
  }
  const parsed = apiInputs[method].safeParse(payload ?? {});
  if (!parsed.success) return { ok: false, error: invalidInputError(method, parsed.error) };
  try {
    const handler = handlers[method] as (input: unknown, call: CallContext) => Promise<unknown>;
    return { ok: true, value: await handler(parsed.data, call) };
  } catch (error) {
    return { ok: false, error: toApiError(error) };
  }
}

/** The error shape that crosses to the renderer (core's ErrorData: code, message, hint, details). */
export function toApiError(error: unknown): ApiError {
  if (DesktopError.is(error)) return error.hint === undefined ? { code: error.code, message: error.message } : { code: error.code, message: error.message, hint: error.hint };
  const data = toErrorData(error);
  const out: ApiError = { code: data.code, message: data.message };
  if (data.hint !== undefined) out.hint = data.hint;
  if (data.details !== undefined) out.details = data.details;
  return out;
}

/** A `usage` error naming each invalid field (paths and zod's messages; never the values sent). */
function invalidInputError(method: ApiMethod, error: ZodError): ApiError {
  const issues = error.issues.map((issue) => ({ path: issue.path.map(String).join('.') || '(input)', message: issue.message }));
  return {
    code: 'usage',
    message: `Invalid input for ${method}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}.`,
    details: { issues },
  };
}
