/**
 * One API call's state for a screen: idle, running, its value or its error. Each call resolves to
 * the envelope `{ok, value}` / `{ok, error}`; a rejected promise (a bug in a transport) becomes an
 * error too, so a screen never hangs in "running".
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiError, ApiResponse } from '../../shared/api-types.js';

/** What a screen renders from. */
export interface CallState<T> {
  running: boolean;
  value: T | null;
  error: ApiError | null;
}

/** `[state, run, reset]`: `run` starts the call and resolves to its envelope when it finishes. */
export function useCall<T, A extends unknown[]>(
  call: (...args: A) => Promise<ApiResponse<T>>,
): [CallState<T>, (...args: A) => Promise<ApiResponse<T>>, () => void] {
  const [state, setState] = useState<CallState<T>>({ running: false, value: null, error: null });
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);
  const run = useCallback(
    async (...args: A): Promise<ApiResponse<T>> => {
      setState((s) => ({ ...s, running: true, error: null }));
      let response: ApiResponse<T>;
      try {
        response = await call(...args);
      } catch (error) {
        response = { ok: false, error: { code: 'internal', message: error instanceof Error ? error.message : String(error) } };
      }
      if (mounted.current) setState(response.ok ? { running: false, value: response.value, error: null } : { running: false, value: null, error: response.error });
      return response;
    },
    [call],
  );
  const reset = useCallback(() => setState({ running: false, value: null, error: null }), []);
  return [state, run, reset];
}
