/**
 * More: log out, clear the sync cache (its consequence explained first), where the data lives, and
 * about (version, runtime, paths).
 */
import { useEffect, useState } from 'react';
import { useApi } from '../api/api-context.js';
import { useCall } from '../api/use-call.js';
import { ConfirmDialog } from '../components/confirm-dialog.js';
import { ErrorAlert, Notice } from '../components/error-alert.js';
import { Card, Screen } from '../components/screen.js';
import { plural } from '../model/format.js';

/** The More screen. */
export function MoreScreen({ loggedIn, onChanged }: { loggedIn: boolean; onChanged: () => void }) {
  const api = useApi();
  const [about, loadAbout] = useCall(api.about);
  const [logout, runLogout] = useCall(api.logout);
  const [clear, runClear] = useCall(api.clearCache);
  const [opened, runOpen] = useCall(api.openFolder);
  const [asking, setAsking] = useState<'logout' | 'clear' | null>(null);
  useEffect(() => {
    void loadAbout({});
  }, [loadAbout]);

  return (
    <Screen title="More">
      <Card title="Account" id="more-account">
        <p>Logging out removes the organization’s API key from this machine. Directory and sync settings stay.</p>
        <ErrorAlert error={logout.error} />
        {logout.value !== null && <Notice>{logout.value.wasLoggedIn ? 'Logged out.' : 'You were not signed in.'}{logout.value.note !== null ? ` ${logout.value.note}` : ''}</Notice>}
        <button type="button" className="danger" disabled={!loggedIn || logout.running} onClick={() => setAsking('logout')}>
          Log out…
        </button>
      </Card>
      <Card title="Sync cache" id="more-cache">
        <p>
          dirconn remembers what it last sent, the last sync times and the directory’s change markers, so an unchanged directory sends nothing and later reads can fetch changes only. Clearing the cache makes the next sync read the whole
          directory and send everything again; it does not remove anyone by itself.
        </p>
        <ErrorAlert error={clear.error} />
        {clear.value !== null && <Notice>Cleared the cache of {plural(clear.value.scopes, 'saved configuration')}.</Notice>}
        <button type="button" disabled={clear.running} onClick={() => setAsking('clear')}>
          Clear sync cache…
        </button>
      </Card>
      <Card title="About" id="more-about">
        <ErrorAlert error={about.error} />
        {about.value !== null && (
          <dl className="facts">
            <dt>Version</dt>
            <dd data-field="version">dirconn {about.value.version}</dd>
            <dt>Running as</dt>
            <dd>{about.value.face === 'desktop' ? 'Desktop app' : 'Browser (dirconn ui)'} on {about.value.platform}</dd>
            <dt>Runtime</dt>
            <dd>
              {Object.entries(about.value.runtime)
                .map(([name, version]) => `${name} ${version}`)
                .join(', ')}
            </dd>
            <dt>Data folder</dt>
            <dd>
              <code data-field="data-dir">{about.value.dataDir}</code>
            </dd>
            <dt>Data file</dt>
            <dd>
              <code>{about.value.dataFile}</code>
            </dd>
            <dt>Run reports</dt>
            <dd>
              <code>{about.value.reportsDir}</code>
            </dd>
            <dt>Log file</dt>
            <dd>{about.value.logFile === null ? 'none (dirconn ui logs to its terminal)' : <code>{about.value.logFile}</code>}</dd>
          </dl>
        )}
        {about.value?.face === 'desktop' && (
          <div className="button-row">
            <button type="button" onClick={() => void runOpen({ folder: 'data' })}>
              Open data folder
            </button>
            <button type="button" onClick={() => void runOpen({ folder: 'logs' })}>
              Open logs folder
            </button>
          </div>
        )}
        <ErrorAlert error={opened.error} />
      </Card>
      <ConfirmDialog
        open={asking === 'logout'}
        title="Log out?"
        confirmLabel="Log out"
        danger
        onCancel={() => setAsking(null)}
        onConfirm={() => {
          setAsking(null);
          void runLogout({}).then(onChanged);
        }}
      >
        <p>The API key is removed from this machine. Scheduled syncs fail until you sign in again.</p>
      </ConfirmDialog>
      <ConfirmDialog
        open={asking === 'clear'}
        title="Clear the sync cache?"
        confirmLabel="Clear cache"
        onCancel={() => setAsking(null)}
        onConfirm={() => {
          setAsking(null);
          void runClear({}).then(onChanged);
        }}
      >
        <p>The next sync reads the whole directory and sends everything again.</p>
      </ConfirmDialog>
    </Screen>
  );
}
