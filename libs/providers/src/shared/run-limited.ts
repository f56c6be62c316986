/**
 * Bounded parallelism for cloud reads (member lists of many groups): at most `limit` pieces of work
 * at once; the first failure aborts the others and is rethrown, so a read never succeeds with a
 * piece missing (fail closed).
 */
import { DirconnError } from '@dirconn/core';

/** Runs `work` over `items` with at most `limit` at once; the first failure aborts the rest and is rethrown. */
export async function forEachLimited<T>(items: readonly T[], limit: number, signal: AbortSignal | undefined, work: (item: T, signal: AbortSignal) => Promise<void>): Promise<void> {
  const controller = new AbortController();
  const onAbort = (): void => controller.abort();
  if (signal?.aborted === true) controller.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  let next = 0;
  let failure: { error: unknown } | null = null;
  const worker = async (): Promise<void> => {
    while (failure === null && !controller.signal.aborted && next < items.length) {
      const item = items[next++] as T;
      try {
        await work(item, controller.signal);
      } catch (error) {
        failure ??= { error };
        controller.abort();
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, () => worker()));
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
  if (failure !== null) throw (failure as { error: unknown }).error;
  if (signal?.aborted === true) throw new DirconnError('cancelled', 'The directory read was cancelled.');
}
