/**
 * The state of a generated settings form: loads the settings the API describes, keeps the inputs,
 * tells the shell about unsaved changes, and saves on an explicit Save — values in one validated
 * write (all or nothing), secrets through `setSecret` — then reloads what was stored.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { ApiError, SettingInfo, SettingsList } from '../../shared/api-types.js';
import { useApi } from '../api/api-context.js';
import { changedSecrets, changedValues, fieldProblems, initialDrafts, type DraftValue, type SettingValue } from '../model/settings-form.model.js';

/** Options of {@link useSettingsEditor}. */
export interface SettingsEditorOptions {
  /** Which listed settings this form edits. */
  pick: (setting: SettingInfo) => boolean;
  /** Show this source's settings (the Directory screen's picker); undefined = the saved choice. */
  directoryType?: string | undefined;
  /** Extra values to save with the form (the picked source as `directory`). */
  extraValues?: Readonly<Record<string, SettingValue>>;
  onDirtyChange: (dirty: boolean) => void;
}

/** What a settings screen renders from. */
export interface SettingsEditor {
  list: SettingsList | null;
  settings: SettingInfo[];
  drafts: Readonly<Record<string, DraftValue>>;
  setDraft: (key: string, value: DraftValue) => void;
  dirty: boolean;
  loading: boolean;
  saving: boolean;
  loadError: ApiError | null;
  saveError: ApiError | null;
  problems: Readonly<Record<string, string>>;
  /** Plain words after a successful save (what was saved, warnings). */
  savedNote: string | null;
  save: () => Promise<boolean>;
  discard: () => void;
}

/** Loads, edits and saves one generated form. */
export function useSettingsEditor({ pick, directoryType, extraValues, onDirtyChange }: SettingsEditorOptions): SettingsEditor {
  const api = useApi();
  const [list, setList] = useState<SettingsList | null>(null);
  const [drafts, setDrafts] = useState<Record<string, DraftValue>>({});
  const [loading, setLoading] = useState(true);
  const [saving, setSaving] = useState(false);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [saveError, setSaveError] = useState<ApiError | null>(null);
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [savedNote, setSavedNote] = useState<string | null>(null);

  const load = useCallback(async (): Promise<void> => {
    setLoading(true);
    const response = await api.listSettings(directoryType === undefined ? {} : { directoryType });
    setLoading(false);
    if (!response.ok) {
      setLoadError(response.error);
      return;
    }
    setLoadError(null);
    setList(response.value);
    setDrafts(initialDrafts(response.value.settings.filter(pick)));
    // `pick` is a fresh function on each render of the owner; the source is what changes the list.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, directoryType]);

  useEffect(() => {
    void load();
  }, [load]);

  const settings = useMemo(() => (list === null ? [] : list.settings.filter(pick)), [list, pick]);
  const values = useMemo(() => ({ ...changedValues(settings, drafts), ...extraValues }), [settings, drafts, extraValues]);
  const secrets = useMemo(() => changedSecrets(settings, drafts), [settings, drafts]);
  const dirty = Object.keys(values).length > 0 || secrets.length > 0;

  useEffect(() => {
    onDirtyChange(dirty);
  }, [dirty, onDirtyChange]);

  const setDraft = useCallback((key: string, value: DraftValue) => {
    setDrafts((d) => ({ ...d, [key]: value }));
    setSavedNote(null);
  }, []);

  const save = useCallback(async (): Promise<boolean> => {
    setSaving(true);
    setSaveError(null);
    setProblems({});
    const keys = settings.map((s) => s.key);
    const fail = (error: ApiError): false => {
      setSaveError(error);
      setProblems(fieldProblems(error.message, error.details, keys));
      setSaving(false);
      return false;
    };
    // A secret belongs to the saved source: store it first unless the source changes in this save.
    const sourceChanges = values['directory'] !== undefined;
    const saveSecrets = async (): Promise<ApiError | null> => {
      for (const secret of secrets) {
        const response = await api.setSecret(secret);
        if (!response.ok) return { ...response.error, message: `${secret.key}: ${response.error.message}` };
      }
      return null;
    };
    if (!sourceChanges) {
      const error = await saveSecrets();
      if (error !== null) return fail(error);
    }
    const warnings: string[] = [];
    if (Object.keys(values).length > 0) {
      const response = await api.setSettings({ values, verify: true });
      if (!response.ok) return fail(response.error);
      warnings.push(...response.value.warnings);
    }
    if (sourceChanges) {
      const error = await saveSecrets();
      if (error !== null) return fail(error);
    }
    const count = Object.keys(values).length + secrets.length;
    setSavedNote(`Saved ${count} setting${count === 1 ? '' : 's'}.${warnings.length > 0 ? ` Note: ${warnings.join(' ')}` : ''}`);
    setSaving(false);
    await load();
    return true;
  }, [api, load, secrets, settings, values]);

  const discard = useCallback(() => {
    setDrafts(initialDrafts(settings));
    setProblems({});
    setSaveError(null);
  }, [settings]);

  return { list, settings, drafts, setDraft, dirty, loading, saving, loadError, saveError, problems, savedNote, save, discard };
}
