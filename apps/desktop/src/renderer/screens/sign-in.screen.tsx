/**
 * Sign in with the organization's API key: choose the server (US cloud, EU cloud, self-hosted or
 * custom URLs), enter client id and secret. The key is verified against the server before anything
 * is saved; a failure is shown in plain words with what to do.
 */
import { useState } from 'react';
import type { ServerChoiceKind, StatusResult } from '../../shared/api-types.js';
import type { ApiInput } from '../../shared/api-contract.js';
import { useApi } from '../api/api-context.js';
import { useCall } from '../api/use-call.js';
import { ErrorAlert, Notice } from '../components/error-alert.js';
import { Screen } from '../components/screen.js';

const CHOICES: { kind: ServerChoiceKind; label: string; help: string }[] = [
  { kind: 'us', label: 'Bitwarden cloud (US)', help: 'vault.bitwarden.com' },
  { kind: 'eu', label: 'Bitwarden cloud (EU)', help: 'vault.bitwarden.eu' },
  { kind: 'self-hosted', label: 'Self-hosted', help: 'Your server’s address, e.g. https://vault.example.com' },
  { kind: 'custom', label: 'Custom API and identity URLs', help: 'When the API and identity services have their own addresses' },
];

/** Props of {@link SignInScreen}. */
export interface SignInScreenProps {
  status: StatusResult;
  onSignedIn: () => void;
}

/** The Sign in screen. */
export function SignInScreen({ status, onSignedIn }: SignInScreenProps) {
  const api = useApi();
  const [kind, setKind] = useState<ServerChoiceKind>(status.server.kind);
  const [baseUrl, setBaseUrl] = useState(status.server.baseUrl ?? '');
  const [apiUrl, setApiUrl] = useState(status.server.kind === 'custom' ? status.server.apiUrl : '');
  const [identityUrl, setIdentityUrl] = useState(status.server.kind === 'custom' ? status.server.identityUrl : '');
  const [clientId, setClientId] = useState('');
  const [clientSecret, setClientSecret] = useState('');
  const [reveal, setReveal] = useState(false);
  const [signIn, runSignIn] = useCall(api.signIn);

  const server = (): ApiInput<'signIn'>['server'] => {
    if (kind === 'self-hosted') return { kind, url: baseUrl };
    if (kind === 'custom') return { kind, apiUrl, identityUrl };
    return { kind };
  };

  const submit = async (): Promise<void> => {
    const response = await runSignIn({ server: server(), clientId, clientSecret });
    if (response.ok) {
      setClientSecret('');
      onSignedIn();
    }
  };

  return (
    <Screen title="Sign in" intro="dirconn signs in to your Bitwarden organization with the organization’s API key (Admin Console → Settings → Organization info → API key).">
      {status.loggedIn && (
        <Notice tone="info">
          Signed in as <code>{status.clientId}</code> to {status.server.apiUrl}. Signing in again replaces the key.
        </Notice>
      )}
      <form
        className="settings-form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <fieldset className="setting-group">
          <legend>Bitwarden server</legend>
          {CHOICES.map((choice) => (
            <div className="radio" key={choice.kind}>
              <input type="radio" id={`server-${choice.kind}`} name="server" value={choice.kind} checked={kind === choice.kind} aria-describedby={`server-${choice.kind}-help`} onChange={() => setKind(choice.kind)} />
              <label htmlFor={`server-${choice.kind}`}>{choice.label}</label>
              <span id={`server-${choice.kind}-help`} className="help">
                {choice.help}
              </span>
            </div>
          ))}
          {kind === 'self-hosted' && (
            <div className="field">
              <label htmlFor="server-url">Server URL</label>
              <input id="server-url" type="url" autoComplete="url" spellCheck={false} required value={baseUrl} onChange={(e) => setBaseUrl(e.target.value)} />
            </div>
          )}
          {kind === 'custom' && (
            <>
              <div className="field">
                <label htmlFor="server-api">API URL</label>
                <input id="server-api" type="url" spellCheck={false} required value={apiUrl} onChange={(e) => setApiUrl(e.target.value)} />
              </div>
              <div className="field">
                <label htmlFor="server-identity">Identity URL</label>
                <input id="server-identity" type="url" spellCheck={false} required value={identityUrl} onChange={(e) => setIdentityUrl(e.target.value)} />
              </div>
            </>
          )}
        </fieldset>
        <fieldset className="setting-group">
          <legend>Organization API key</legend>
          <div className="field">
            <label htmlFor="client-id">Client ID</label>
            <input id="client-id" type="text" autoComplete="username" spellCheck={false} required placeholder="organization.…" aria-describedby="client-id-help" value={clientId} onChange={(e) => setClientId(e.target.value)} />
            <p id="client-id-help" className="help">
              Starts with “organization.”
            </p>
          </div>
          <div className="field">
            <label htmlFor="client-secret">Client secret</label>
            <span className="secret-input">
              <input id="client-secret" type={reveal ? 'text' : 'password'} autoComplete="current-password" spellCheck={false} required aria-describedby="client-secret-help" value={clientSecret} onChange={(e) => setClientSecret(e.target.value)} />
              <button type="button" className="small" aria-pressed={reveal} aria-controls="client-secret" onClick={() => setReveal((r) => !r)}>
                {reveal ? 'Hide' : 'Show'}
              </button>
            </span>
            <p id="client-secret-help" className="help">
              Stored in the OS keychain (or as your installation is set up), never in the data file.
            </p>
          </div>
        </fieldset>
        <ErrorAlert error={signIn.error} title="Not signed in." />
        {signIn.value !== null && (
          <Notice>
            Signed in to organization <code>{signIn.value.organizationId}</code> at {signIn.value.apiUrl}. The secret is stored in: {signIn.value.secretStorage}.
          </Notice>
        )}
        <div className="button-row">
          <button type="submit" className="primary" disabled={signIn.running || clientId.trim() === '' || clientSecret === ''}>
            {signIn.running ? 'Checking the key…' : 'Sign in'}
          </button>
        </div>
      </form>
    </Screen>
  );
}
