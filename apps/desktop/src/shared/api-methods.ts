/**
 * The names of the desktop API's methods, and nothing else: the sandboxed preload builds its bridge
 * from this list (it cannot load zod), and `api-contract.ts` checks at compile time that its table
 * has exactly these keys. Add a method in both places; the compiler names the one you forgot.
 */
export const API_METHOD_NAMES = [
  'status',
  'signIn',
  'logout',
  'listSettings',
  'setSettings',
  'setSecret',
  'checkConnection',
  'test',
  'plan',
  'explain',
  'syncNow',
  'cancel',
  'activity',
  'scheduleGet',
  'scheduleStart',
  'scheduleStop',
  'lastSync',
  'reports',
  'clearCache',
  'about',
  'openFolder',
] as const;

/** One method name of the desktop API. */
export type ApiMethod = (typeof API_METHOD_NAMES)[number];

/** True when `name` is a method of the desktop API (IPC and HTTP reject anything else). */
export function isApiMethod(name: string): name is ApiMethod {
  return (API_METHOD_NAMES as readonly string[]).includes(name);
}

/** The IPC channel of a method (`dirconn:status`); one channel per method, no generic passthrough. */
export function ipcChannel(method: ApiMethod): `dirconn:${ApiMethod}` {
  return `dirconn:${method}`;
}
