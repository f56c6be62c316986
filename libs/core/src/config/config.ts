/**
 * The configuration model shared by the CLI and the desktop app. Field names follow the reference
 * connector (reference-connector.md §3–§4) so admins can carry their settings over.
 */
import type { ConfigField } from './fields.js';

/**
 * A directory source's id (`ldap`, `entra`, `sample`…). A plain string: the provider registry decides
 * which types this version can read, so a new source needs no schema change (issue #7). The
 * reference's numbers (0–4) are mapped only at the import boundary.
 */
export type DirectoryType = string;

/** Where the Bitwarden server lives (bitwarden-api.md §1). */
export interface ServerConfig {
  /** Self-hosted base URL (`https://vault.example.com`); null → Bitwarden US cloud. `eu` → EU cloud shortcut. */
  base: string | null;
  /** Explicit API URL; wins over base. */
  api: string | null;
  /** Explicit identity URL; wins over base. */
  identity: string | null;
  /** PEM CA bundle to trust for the Bitwarden server (private CA), in addition to the system store. */
  caFile: string | null;
  /** Skip TLS verification of the Bitwarden server. Off unless the admin turns it on explicitly. */
  allowUnauthorized: boolean;
}

/** Sync settings (store key `sync`), reference field names plus dirconn's safety settings. */
export interface SyncConfig {
  users: boolean;
  groups: boolean;
  /** Minutes between scheduled syncs: the desktop schedule and `dirconn sync --interval` without a value (min 5). */
  interval: number | null;
  userFilter: string | null;
  groupFilter: string | null;
  removeDisabled: boolean;
  overwriteExisting: boolean;
  largeImport: boolean;
  inviteUsersAfterProvisioning: boolean;
  userObjectClass: string | null;
  groupObjectClass: string | null;
  userPath: string | null;
  groupPath: string | null;
  userEmailAttribute: string | null;
  groupNameAttribute: string | null;
  memberAttribute: string | null;
  useEmailPrefixSuffix: boolean;
  emailPrefixAttribute: string | null;
  emailSuffix: string | null;
  creationDateAttribute: string | null;
  revisionDateAttribute: string | null;
  /** dirconn: a run may remove up to max(maxRemovals, maxRemovalPercent% of synced members). */
  maxRemovals: number;
  /** dirconn: percentage of the synced members a run may remove. */
  maxRemovalPercent: number;
  /**
   * dirconn: a run may remove up to max(maxMembershipRemovals, maxMembershipRemovalPercent% of the
   * current group memberships) group memberships (issue #9 item 1). Default 25.
   */
  maxMembershipRemovals: number;
  /** dirconn: percentage of the current group memberships a run may remove. Default 10. */
  maxMembershipRemovalPercent: number;
  /** dirconn: users that vanish from a complete read are sent as deleted. */
  removeVanished: boolean;
  /** dirconn: hours between full reconciliations when delta reads are possible (default 24). */
  fullSyncIntervalHours: number;
}

export const DEFAULT_SYNC_CONFIG: SyncConfig = {
  users: false,
  groups: false,
  interval: 5,
  userFilter: null,
  groupFilter: null,
  removeDisabled: false,
  overwriteExisting: false,
  largeImport: false,
  inviteUsersAfterProvisioning: false,
  userObjectClass: null,
  groupObjectClass: null,
  userPath: null,
  groupPath: null,
  userEmailAttribute: null,
  groupNameAttribute: null,
  memberAttribute: null,
  useEmailPrefixSuffix: false,
  emailPrefixAttribute: null,
  emailSuffix: null,
  creationDateAttribute: null,
  revisionDateAttribute: null,
  maxRemovals: 5,
  maxRemovalPercent: 5,
  maxMembershipRemovals: 25,
  maxMembershipRemovalPercent: 10,
  removeVanished: true,
  fullSyncIntervalHours: 24,
};

export const DEFAULT_SERVER_CONFIG: ServerConfig = {
  base: null,
  api: null,
  identity: null,
  caFile: null,
  allowUnauthorized: false,
};

/** The whole configuration as stored (secrets are never here, only in the SecretStore). */
export interface DirconnConfig {
  server: ServerConfig;
  directory: DirectoryType | null;
  sync: SyncConfig;
  /** Per-directory configs keyed by directory type (`ldap`, `sample`, …); each has an `id` for secrets. */
  directories: Record<DirectoryType, Record<string, unknown> & { id?: string }>;
}

/** Fields of the `server` and `sync` sections and the `directory` key. */
export const SERVER_FIELDS: readonly ConfigField[] = [
  { key: 'server', kind: 'url', defaultValue: null, description: 'Bitwarden server base URL for self-hosted/Vaultwarden (e.g. https://vault.example.com); "https://bitwarden.eu" style EU cloud is detected; unset = bitwarden.com (US cloud).' },
  { key: 'server.api', kind: 'url', defaultValue: null, description: 'Explicit API URL (overrides server). Default: <server>/api or https://api.bitwarden.com.' },
  { key: 'server.identity', kind: 'url', defaultValue: null, description: 'Explicit identity URL (overrides server). Default: <server>/identity or https://identity.bitwarden.com.' },
  { key: 'server.caFile', kind: 'path', defaultValue: null, description: 'PEM CA bundle trusted for the Bitwarden server in addition to the system CAs.' },
  { key: 'server.allowUnauthorized', kind: 'boolean', defaultValue: false, description: 'Do not verify the Bitwarden server certificate (not recommended). Default false.' },
];

/** The `directory` key; its allowed values are the registered sources (see {@link directoryField}). */
export const DIRECTORY_FIELD: ConfigField = {
  key: 'directory',
  kind: 'enum',
  values: [],
  defaultValue: null,
  description: 'Directory type.',
};

/** The `directory` field for the sources of a registry: `values` and description list them. */
export function directoryField(sources: readonly { type: DirectoryType; label: string }[]): ConfigField {
  return {
    ...DIRECTORY_FIELD,
    values: sources.map((s) => s.type),
    description: `Directory type: ${sources.map((s) => `${s.type} (${s.label})`).join(', ')}.`,
  };
}

const optionalString = (key: string, description: string): ConfigField => ({ key, kind: 'string', defaultValue: null, description });

export const SYNC_FIELDS: readonly ConfigField[] = [
  { key: 'sync.users', kind: 'boolean', defaultValue: false, description: 'Sync users. Default false.' },
  { key: 'sync.groups', kind: 'boolean', defaultValue: false, description: 'Sync groups (OneLogin: roles). Default false.' },
  { key: 'sync.interval', kind: 'integer', min: 5, defaultValue: 5, description: 'Minutes between scheduled syncs (desktop, and `dirconn sync --interval` without a value); minimum 5. Default 5.' },
  { key: 'sync.userFilter', kind: 'filter', defaultValue: null, description: 'User filter. LDAP: an LDAP filter ANDed with the object class, e.g. (memberOf=cn=vault,ou=groups,dc=example,dc=com).' },
  { key: 'sync.groupFilter', kind: 'filter', defaultValue: null, description: 'Group filter. LDAP: an LDAP filter ANDed with the object class.' },
  { key: 'sync.removeDisabled', kind: 'boolean', defaultValue: false, description: 'Remove users disabled in the directory from the organization. Default false.' },
  { key: 'sync.overwriteExisting', kind: 'boolean', defaultValue: false, description: 'Remove and re-add organization users during the next sync (debugging only; removes every member not in the directory). Default false.' },
  { key: 'sync.largeImport', kind: 'boolean', defaultValue: false, description: 'More than 2000 users or groups are expected: send batches of 2000. Default false.' },
  { key: 'sync.inviteUsersAfterProvisioning', kind: 'boolean', defaultValue: false, description: 'Send invitations right after provisioning (server staged-users feature). Default false.' },
  optionalString('sync.userObjectClass', 'LDAP user object class, e.g. inetOrgPerson (AD: person).'),
  optionalString('sync.groupObjectClass', 'LDAP group object class, e.g. groupOfUniqueNames (AD: group).'),
  { key: 'sync.userPath', kind: 'dn', defaultValue: null, description: 'LDAP RDN path under the base DN where users are searched, e.g. ou=People (AD default CN=Users).' },
  { key: 'sync.groupPath', kind: 'dn', defaultValue: null, description: 'LDAP RDN path under the base DN where groups are searched, e.g. ou=Groups (AD default CN=Users).' },
  optionalString('sync.userEmailAttribute', 'LDAP attribute holding the email (AD: mail).'),
  optionalString('sync.groupNameAttribute', 'LDAP attribute holding the group name (AD: name; fallback cn).'),
  { key: 'sync.memberAttribute', kind: 'string', defaultValue: null, description: 'LDAP group member attribute: member, uniqueMember (DN values) or memberUid (uid or DN values). AD: member.' },
  { key: 'sync.useEmailPrefixSuffix', kind: 'boolean', defaultValue: false, description: 'Build an email from a prefix attribute plus a suffix for users without one. Default false.' },
  optionalString('sync.emailPrefixAttribute', 'LDAP attribute used as the email prefix (AD: sAMAccountName).'),
  { key: 'sync.emailSuffix', kind: 'string', defaultValue: null, description: 'Suffix appended to the prefix, including the @, e.g. @example.com.', check: (v) => (v === null || (typeof v === 'string' && /^@[^@\s]+$/.test(v)) ? undefined : 'expected a suffix starting with @, e.g. @example.com') },
  optionalString('sync.creationDateAttribute', 'LDAP creation date attribute (AD: whenCreated). Informational.'),
  optionalString('sync.revisionDateAttribute', 'LDAP modification time attribute for delta reads (AD: whenChanged; OpenLDAP: modifyTimestamp).'),
  { key: 'sync.maxRemovals', kind: 'integer', min: 0, defaultValue: 5, description: 'Safety limit: a run may remove up to the larger of this count and maxRemovalPercent. Default 5.' },
  { key: 'sync.maxRemovalPercent', kind: 'number', min: 0, max: 100, defaultValue: 5, description: 'Safety limit in percent of the synced members. Default 5.' },
  {
    key: 'sync.maxMembershipRemovals',
    kind: 'integer',
    min: 0,
    defaultValue: 25,
    description: 'Safety limit: a run may remove up to the larger of this many group memberships and maxMembershipRemovalPercent. Default 25.',
  },
  {
    key: 'sync.maxMembershipRemovalPercent',
    kind: 'number',
    min: 0,
    max: 100,
    defaultValue: 10,
    description: 'Safety limit in percent of the current group memberships (a group emptied counts in full). Default 10.',
  },
  { key: 'sync.removeVanished', kind: 'boolean', defaultValue: true, description: 'Users missing from a complete directory read are removed (within the safety limits). Default true.' },
  { key: 'sync.fullSyncIntervalHours', kind: 'number', min: 0, defaultValue: 24, description: 'Hours between full reconciliations when delta reads are used; 0 = always full. Default 24.' },
];
