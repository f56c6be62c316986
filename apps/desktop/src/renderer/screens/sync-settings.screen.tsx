/**
 * Sync settings: every `sync.*` setting (and the Bitwarden connection options), grouped and
 * explained, generated from what the API lists. Explicit Save.
 */
import type { SettingInfo } from '../../shared/api-types.js';
import { ErrorAlert, Notice } from '../components/error-alert.js';
import { Screen } from '../components/screen.js';
import { SettingsFields } from '../components/settings-form.js';
import type { SettingGroup } from '../model/settings-form.model.js';
import { useSettingsEditor } from './use-settings-editor.js';

/** The groups of the Sync settings form, in screen order; settings not named land in "Other settings". */
export const SYNC_GROUPS: readonly SettingGroup[] = [
  {
    id: 'scope',
    title: 'What to sync',
    explanation: 'Choose whether users, groups or both are sent to the organization, and narrow them with filters and paths. A user outside the filters counts as gone from the directory.',
    keys: ['sync.users', 'sync.groups', 'sync.userFilter', 'sync.groupFilter', 'sync.userPath', 'sync.groupPath'],
  },
  {
    id: 'safety',
    title: 'Removals and safety limits',
    explanation: 'When people are removed from the organization. A run that would remove more than the limits allow stops before anything is sent; you can review it and allow it once.',
    keys: ['sync.removeVanished', 'sync.removeDisabled', 'sync.maxRemovals', 'sync.maxRemovalPercent', 'sync.maxMembershipRemovals', 'sync.maxMembershipRemovalPercent', 'sync.overwriteExisting'],
  },
  {
    id: 'attributes',
    title: 'Directory attributes',
    explanation: 'Which object classes and attributes hold users, groups, emails and members (LDAP and Active Directory; Active Directory has defaults).',
    keys: ['sync.userObjectClass', 'sync.groupObjectClass', 'sync.userEmailAttribute', 'sync.groupNameAttribute', 'sync.memberAttribute', 'sync.creationDateAttribute', 'sync.revisionDateAttribute'],
  },
  {
    id: 'email',
    title: 'Emails built from a prefix',
    explanation: 'For users without an email attribute: build one from another attribute plus a fixed suffix.',
    keys: ['sync.useEmailPrefixSuffix', 'sync.emailPrefixAttribute', 'sync.emailSuffix'],
  },
  {
    id: 'timing',
    title: 'Timing',
    explanation: 'How often the schedule runs and how often a complete read replaces reads of changes only.',
    keys: ['sync.interval', 'sync.fullSyncIntervalHours'],
  },
  {
    id: 'sending',
    title: 'Sending to Bitwarden',
    explanation: 'How the import is sent to the organization.',
    keys: ['sync.largeImport', 'sync.inviteUsersAfterProvisioning'],
  },
  {
    id: 'server',
    title: 'Bitwarden connection',
    explanation: 'Certificate options for reaching the Bitwarden server (the server itself is chosen on the Sign in screen).',
    keys: ['server.caFile', 'server.allowUnauthorized'],
  },
];

const SERVER_CHOICE_KEYS = new Set(['server', 'server.api', 'server.identity']);

function isSyncSetting(setting: SettingInfo): boolean {
  return setting.section === 'sync' || (setting.section === 'server' && !SERVER_CHOICE_KEYS.has(setting.key));
}

/** The Sync settings screen. */
export function SyncSettingsScreen({ onDirtyChange }: { onDirtyChange: (dirty: boolean) => void }) {
  const editor = useSettingsEditor({ pick: isSyncSetting, onDirtyChange });
  return (
    <Screen title="Sync settings" intro="What a sync sends to the organization and when it stops to ask. Nothing is saved until you press Save.">
      <form
        className="settings-form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void editor.save();
        }}
      >
        <ErrorAlert error={editor.loadError} title="The settings could not be loaded." />
        {editor.loading && editor.list === null && <p role="status">Loading settings…</p>}
        <SettingsFields settings={editor.settings} groups={SYNC_GROUPS} drafts={editor.drafts} problems={editor.problems} onChange={editor.setDraft} />
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
    </Screen>
  );
}
