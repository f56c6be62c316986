/** Gives every screen the bridge (a context, so the e2e fake or a test can pass another one). */
import { createContext, useContext, type ReactNode } from 'react';
import type { DirconnApi } from '../../shared/bridge.js';

const ApiContext = createContext<DirconnApi | null>(null);

/** Makes `api` available to the screens below. */
export function ApiProvider({ api, children }: { api: DirconnApi; children: ReactNode }) {
  return <ApiContext.Provider value={api}>{children}</ApiContext.Provider>;
}

/** The bridge; throws when used outside {@link ApiProvider} (a programming error). */
export function useApi(): DirconnApi {
  const api = useContext(ApiContext);
  if (api === null) throw new Error('useApi() outside <ApiProvider>');
  return api;
}
