/**
 * One input generated from a setting the API describes (kind, default, bounds, allowed values,
 * description): a checkbox, a select, a number, a masked secret or a text field. The label names the
 * setting in words and by key; the description and any server message are tied to the input with
 * `aria-describedby`, and a message also sets `aria-invalid`.
 */
import { useState } from 'react';
import type { SettingInfo } from '../../shared/api-types.js';
import { humanLabel, type DraftValue } from '../model/settings-form.model.js';

/** Props of {@link SettingField}. */
export interface SettingFieldProps {
  setting: SettingInfo;
  value: DraftValue;
  onChange: (key: string, value: DraftValue) => void;
  /** The server's message about this setting, if any. */
  problem?: string | undefined;
}

/** A DOM id for a setting key. */
export function settingInputId(key: string): string {
  return `setting-${key.replace(/[^A-Za-z0-9_-]/g, '-')}`;
}

function defaultText(setting: SettingInfo): string | null {
  if (setting.defaultValue === null || setting.defaultValue === '') return null;
  return String(setting.defaultValue);
}

function secretState(setting: SettingInfo): string {
  const secret = setting.secret;
  if (secret === null || !secret.set) return 'Not set.';
  const where: Record<string, string> = {
    keychain: 'in the OS keychain',
    plaintext: 'in the data file (plaintext storage is switched on)',
    environment: 'from an environment variable',
    file: 'from a file',
    none: 'nowhere',
  };
  return `Set, ${where[secret.source] ?? secret.source}${secret.detail !== null ? ` (${secret.detail})` : ''}. Type a new value to replace it.`;
}

/** One generated input with its label, help text and message. */
export function SettingField({ setting, value, onChange, problem }: SettingFieldProps) {
  const [reveal, setReveal] = useState(false);
  const id = settingInputId(setting.key);
  const helpId = `${id}-help`;
  const problemId = `${id}-problem`;
  const describedBy = problem === undefined ? helpId : `${helpId} ${problemId}`;
  const fallback = defaultText(setting);
  const common = { id, name: setting.key, 'aria-describedby': describedBy, 'aria-invalid': problem !== undefined ? true : undefined } as const;
  const text = typeof value === 'string' ? value : String(value);
  const isSecret = setting.secret !== null || setting.kind === 'secret';

  let input: React.ReactNode;
  if (setting.kind === 'boolean') {
    input = <input {...common} type="checkbox" checked={value === true} onChange={(e) => onChange(setting.key, e.target.checked)} />;
  } else if (setting.kind === 'enum' && setting.enumValues !== null) {
    input = (
      <select {...common} value={text} onChange={(e) => onChange(setting.key, e.target.value)}>
        <option value="">{fallback === null ? '(not set)' : `(default: ${fallback})`}</option>
        {setting.enumValues.map((v) => (
          <option key={v} value={v}>
            {v}
          </option>
        ))}
      </select>
    );
  } else if (isSecret) {
    input = (
      <span className="secret-input">
        <input {...common} type={reveal ? 'text' : 'password'} autoComplete="off" spellCheck={false} value={text} placeholder={setting.secret?.set === true ? '•••••••• (stored)' : ''} onChange={(e) => onChange(setting.key, e.target.value)} />
        <button type="button" className="small" aria-pressed={reveal} aria-controls={id} onClick={() => setReveal((r) => !r)}>
          {reveal ? 'Hide' : 'Show'}
        </button>
      </span>
    );
  } else if (setting.kind === 'integer' || setting.kind === 'number') {
    input = (
      <input
        {...common}
        type="number"
        inputMode={setting.kind === 'integer' ? 'numeric' : 'decimal'}
        step={setting.kind === 'integer' ? 1 : 'any'}
        min={setting.min ?? undefined}
        max={setting.max ?? undefined}
        value={text}
        placeholder={fallback ?? ''}
        onChange={(e) => onChange(setting.key, e.target.value)}
      />
    );
  } else if (setting.kind === 'filter') {
    input = <textarea {...common} rows={2} spellCheck={false} value={text} placeholder={fallback ?? ''} onChange={(e) => onChange(setting.key, e.target.value)} />;
  } else {
    input = <input {...common} type={setting.kind === 'url' ? 'url' : 'text'} spellCheck={false} autoComplete="off" value={text} placeholder={fallback ?? ''} onChange={(e) => onChange(setting.key, e.target.value)} />;
  }

  return (
    <div className={`field field-${setting.kind}${problem !== undefined ? ' field-invalid' : ''}`}>
      <label htmlFor={id}>
        {humanLabel(setting.key)} <code className="setting-key">{setting.key}</code>
      </label>
      {input}
      <p id={helpId} className="help">
        {setting.description}
        {isSecret && <> {secretState(setting)}</>}
      </p>
      {problem !== undefined && (
        <p id={problemId} className="field-problem">
          {problem}
        </p>
      )}
    </div>
  );
}
