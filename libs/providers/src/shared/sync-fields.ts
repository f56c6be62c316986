/** Sync settings that only the LDAP source reads (reference §4.1); other sources hide them. */
export const LDAP_ONLY_SYNC_FIELDS: readonly string[] = [
  'sync.userObjectClass',
  'sync.groupObjectClass',
  'sync.userPath',
  'sync.groupPath',
  'sync.userEmailAttribute',
  'sync.groupNameAttribute',
  'sync.memberAttribute',
  'sync.emailPrefixAttribute',
  'sync.creationDateAttribute',
  'sync.revisionDateAttribute',
];
