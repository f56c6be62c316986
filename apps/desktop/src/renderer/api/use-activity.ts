/**
 * While an operation runs, asks the Node side what it is doing (`activity`) twice a second, so the
 * screen can show live progress; stops when the operation ends. `cancel` asks the Node side to stop
 * the running operation (it ends with a `cancelled` error).
 */
import { useCallback, useEffect, useState } from 'react';
import type { ActivityResult } from '../../shared/api-types.js';
import { useApi } from './api-context.js';

/** How often progress is polled while an operation runs, in milliseconds. */
export const ACTIVITY_POLL_MS = 500;

/** The running operation's latest activity (null when idle) and a cancel action. */
export function useActivity(running: boolean): { activity: ActivityResult['running']; cancel: () => Promise<boolean> } {
  const api = useApi();
  const [activity, setActivity] = useState<ActivityResult['running']>(null);
  useEffect(() => {
    if (!running) {
      setActivity(null);
      return undefined;
    }
    let stopped = false;
    const poll = async (): Promise<void> => {
      const response = await api.activity({});
      if (!stopped && response.ok) setActivity(response.value.running);
    };
    const timer = window.setInterval(() => void poll(), ACTIVITY_POLL_MS);
    void poll();
    return () => {
      stopped = true;
      window.clearInterval(timer);
    };
  }, [api, running]);
  const cancel = useCallback(async (): Promise<boolean> => {
    const response = await api.cancel({});
    return response.ok && response.value.cancelled;
  }, [api]);
  return { activity, cancel };
}
