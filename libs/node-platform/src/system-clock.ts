/** The real clock: wall time and abortable timers. */
import { DirconnError, type Clock } from '@dirconn/core';

/** `Clock` over `Date` and `setTimeout`; `sleep` rejects with `cancelled` when its signal aborts. */
export const systemClock: Clock = {
  now: () => new Date(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(new DirconnError('cancelled', 'Cancelled.'));
        return;
      }
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        reject(new DirconnError('cancelled', 'Cancelled.'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};
