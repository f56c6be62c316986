/**
 * A generated settings form: titled, explained groups (fieldsets) of {@link SettingField}s. The
 * owning screen keeps the inputs (so it knows about unsaved changes) and saves them.
 */
import type { SettingInfo } from '../../shared/api-types.js';
import { groupSettings, type DraftValue, type Drafts, type SettingGroup } from '../model/settings-form.model.js';
import { SettingField } from './setting-field.js';

/** Props of {@link SettingsFields}. */
export interface SettingsFieldsProps {
  settings: readonly SettingInfo[];
  groups: readonly SettingGroup[];
  drafts: Drafts;
  problems: Readonly<Record<string, string>>;
  onChange: (key: string, value: DraftValue) => void;
}

/** The groups of a generated form. */
export function SettingsFields({ settings, groups, drafts, problems, onChange }: SettingsFieldsProps) {
  return (
    <>
      {groupSettings(settings, groups).map(({ group, settings: members }) => (
        <fieldset key={group.id} className="setting-group">
          <legend>{group.title}</legend>
          <p className="group-explanation">{group.explanation}</p>
          {members.map((setting) => (
            <SettingField key={setting.key} setting={setting} value={drafts[setting.key] ?? ''} onChange={onChange} problem={problems[setting.key]} />
          ))}
        </fieldset>
      ))}
    </>
  );
}
