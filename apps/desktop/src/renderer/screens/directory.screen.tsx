/**
 * Directory settings: choose the source, then its settings in a form generated from the provider
 * definition's fields (as the API lists them). Explicit Save; "Check connection" reaches the
 * directory with the saved settings.
 */
import { useCallback, useMemo, useState } from 'react';
import type { CheckConnectionResult, SettingInfo, StatusResult } from '../../shared/api-types.js';
import { useApi } from '../api/api-context.js';
import { useCall } from '../api/use-call.js';
import { ErrorAlert, Notice } from '../components/error-alert.js';
import { Card, Screen } from '../components/screen.js';
import { SettingsFields } from '../components/settings-form.js';
import type { SettingGroup } from '../model/settings-form.model.js';
import { useSettingsEditor } from './use-settings-editor.js';

/** Props of {@link DirectoryScreen}. */
export interface DirectoryScreenProps {
  status: StatusResult;
  onSaved: () => void;
  onDirtyChange: (dirty: boolean) => void;
}

/** The Directory settings screen. */
export function DirectoryScreen({ status, onSaved, onDirtyChange }: DirectoryScreenProps) {
  const api = useApi();
  const savedType = status.directory?.type ?? null;
  const [picked, setPicked] = useState<string | null>(savedType);
  const shownType = picked ?? undefined;
  const pick = useCallback((s: SettingInfo) => s.section === 'source' && (shownType === undefined || s.source === shownType), [shownType]);
  const extraValues = useMemo(() => (picked !== null && picked !== savedType ? { directory: picked } : undefined), [picked, savedType]);
  const editor = useSettingsEditor({ pick, directoryType: shownType, extraValues, onDirtyChange });
  const [check, runCheck] = useCall(api.checkConnection);
  const sources = editor.list?.sources ?? [];
  const source = sources.find((s) => s.type === picked) ?? null;
  const groups: SettingGroup[] = source === null ? [] : [{ id: `source-${source.type}`, title: `${source.label} settings`, explanation: source.description ?? `How dirconn connects to ${source.label} and what it reads.`, keys: editor.settings.map((s) => s.key) }];

  const save = async (): Promise<void> => {
    if (await editor.save()) onSaved();
  };

  return (
    <Screen title="Directory" intro="Where dirconn reads people and groups from. Nothing is saved until you press Save.">
      <form
        className="settings-form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void save();
        }}
      >
        <div className="field">
          <label htmlFor="directory-source">Source</label>
          <select id="directory-source" value={picked ?? ''} aria-describedby="directory-source-help" onChange={(e) => setPicked(e.target.value === '' ? null : e.target.value)}>
            <option value="">Choose a source…</option>
            {sources.map((s) => (
              <option key={s.type} value={s.type}>
                {s.label}
              </option>
            ))}
          </select>
          <p id="directory-source-help" className="help">
            {savedType === null ? 'No source is saved yet.' : `Saved source: ${status.directory?.label ?? savedType}.`}
          </p>
        </div>
        <ErrorAlert error={editor.loadError} title="The settings could not be loaded." />
        {editor.loading && <p role="status">Loading settings…</p>}
        {picked !== null && <SettingsFields settings={editor.settings} groups={groups} drafts={editor.drafts} problems={editor.problems} onChange={editor.setDraft} />}
        <ErrorAlert error={editor.saveError} title="Nothing was saved." />
        {editor.savedNote !== null && <Notice>{editor.savedNote}</Notice>}
        <div className="button-row sticky-actions">
          <button type="submit" className="primary" disabled={!editor.dirty || editor.saving}>
            {editor.saving ? 'Saving…' : 'Save'}
          </button>
          <button type="button" disabled={!editor.dirty || editor.saving} onClick={editor.discard}>
            Discard changes
          </button>
          {editor.dirty && <span className="unsaved" role="status">Unsaved changes</span>}
        </div>
      </form>
      <Card title="Check connection" id="check">
        <p>Connects to the directory with the saved settings and checks that the base and paths exist.{editor.dirty ? ' Save your changes first: the check uses what is saved.' : ''}</p>
        <div className="button-row">
          <button type="button" disabled={check.running || savedType === null} onClick={() => void runCheck({})}>
            {check.running ? 'Checking…' : 'Check connection'}
          </button>
        </div>
        <ErrorAlert error={check.error} title="The directory could not be reached." />
        {check.value !== null && <CheckResult result={check.value} />}
      </Card>
    </Screen>
  );
}

function CheckResult({ result }: { result: CheckConnectionResult }) {
  return (
    <div className={`alert ${result.ok ? 'alert-success' : 'alert-warning'}`} role="status">
      <p>{result.message}</p>
      {result.problems.length > 0 && (
        <ul>
          {result.problems.map((p) => (
            <li key={`${p.key}:${p.message}`}>
              <code>{p.key}</code>: {p.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
