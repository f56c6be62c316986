/**
 * The shell: loads the status, shows the navigation and one screen at a time, and guards unsaved
 * settings — leaving a form with changes asks first (and the browser asks before closing the page).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiError, StatusResult } from '../shared/api-types.js';
import { useApi } from './api/api-context.js';
import { ConfirmDialog } from './components/confirm-dialog.js';
import { ErrorAlert } from './components/error-alert.js';
import { DashboardScreen } from './screens/dashboard.screen.js';
import { DirectoryScreen } from './screens/directory.screen.js';
import { MoreScreen } from './screens/more.screen.js';
import { PlanScreen } from './screens/plan.screen.js';
import { ScheduleScreen } from './screens/schedule.screen.js';
import { SCREENS, type ScreenId } from './screens/screen-ids.js';
import { SignInScreen } from './screens/sign-in.screen.js';
import { SyncNowScreen } from './screens/sync-now.screen.js';
import { SyncSettingsScreen } from './screens/sync-settings.screen.js';
import { TestScreen } from './screens/test.screen.js';

/** The whole app. */
export function App() {
  const api = useApi();
  const [status, setStatus] = useState<StatusResult | null>(null);
  const [statusError, setStatusError] = useState<ApiError | null>(null);
  const [screen, setScreen] = useState<ScreenId | null>(null);
  const [pending, setPending] = useState<ScreenId | null>(null);
  const dirty = useRef(false);

  const refresh = useCallback(async (): Promise<StatusResult | null> => {
    const response = await api.status({});
    if (!response.ok) {
      setStatusError(response.error);
      return null;
    }
    setStatusError(null);
    setStatus(response.value);
    return response.value;
  }, [api]);

  useEffect(() => {
    void refresh().then((s) => {
      if (s !== null) setScreen((current) => current ?? (s.loggedIn ? 'dashboard' : 'sign-in'));
    });
  }, [refresh]);

  useEffect(() => {
    const warn = (event: BeforeUnloadEvent): void => {
      if (dirty.current) event.preventDefault();
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, []);

  const setDirty = useCallback((value: boolean) => {
    dirty.current = value;
  }, []);

  const go = useCallback((next: ScreenId) => {
    if (dirty.current) {
      setPending(next);
      return;
    }
    setScreen(next);
  }, []);

  const onRefresh = useCallback(() => void refresh(), [refresh]);

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand" aria-hidden="true">
          dirconn
        </span>
        {status !== null && (
          <span className="topbar-status">
            {status.loggedIn ? 'Signed in' : 'Not signed in'} · {status.directory?.label ?? 'no source'} · {status.face === 'browser' ? 'dirconn ui' : 'desktop'}
          </span>
        )}
      </header>
      <div className="layout">
        <nav className="sidebar" aria-label="Main">
          <ul>
            {SCREENS.map((s) => (
              <li key={s.id}>
                <button type="button" className="nav-item" aria-current={screen === s.id ? 'page' : undefined} onClick={() => go(s.id)}>
                  {s.label}
                </button>
              </li>
            ))}
          </ul>
        </nav>
        <main id="main" className="content">
          {statusError !== null && <ErrorAlert error={statusError} title="dirconn could not be reached." />}
          {status === null && statusError === null && <p role="status">Loading…</p>}
          {status !== null && screen !== null && <CurrentScreen key={screen} screen={screen} status={status} go={go} onRefresh={onRefresh} setDirty={setDirty} />}
        </main>
      </div>
      <ConfirmDialog
        open={pending !== null}
        title="Leave without saving?"
        confirmLabel="Leave and discard changes"
        cancelLabel="Stay"
        danger
        onCancel={() => setPending(null)}
        onConfirm={() => {
          dirty.current = false;
          setScreen(pending);
          setPending(null);
        }}
      >
        <p>This screen has unsaved changes. They are lost if you leave now.</p>
      </ConfirmDialog>
    </div>
  );
}

interface CurrentScreenProps {
  screen: ScreenId;
  status: StatusResult;
  go: (screen: ScreenId) => void;
  onRefresh: () => void;
  setDirty: (dirty: boolean) => void;
}

function CurrentScreen({ screen, status, go, onRefresh, setDirty }: CurrentScreenProps) {
  switch (screen) {
    case 'dashboard':
      return <DashboardScreen status={status} go={go} />;
    case 'test':
      return <TestScreen />;
    case 'plan':
      return <PlanScreen />;
    case 'sync':
      return <SyncNowScreen onSynced={onRefresh} />;
    case 'schedule':
      return <ScheduleScreen />;
    case 'directory':
      return <DirectoryScreen status={status} onSaved={onRefresh} onDirtyChange={setDirty} />;
    case 'sync-settings':
      return <SyncSettingsScreen onDirtyChange={setDirty} />;
    case 'sign-in':
      return <SignInScreen status={status} onSignedIn={onRefresh} />;
    case 'more':
      return <MoreScreen loggedIn={status.loggedIn} onChanged={onRefresh} />;
  }
}
