/**
 * Hand-written bwdc `data.json` files (reference-connector.md §3, §4, §9.3, §9.5), one per directory
 * type, in the flat layout of state version 8, plus one in the old account layout (version 4).
 * Test-only. Values are what an admin would have saved through bwdc (including its quirk of writing
 * the AD attribute defaults into the sync settings of every directory type).
 */
import { createHash } from 'node:crypto';
import { directoryA } from '@dirconn/test-support';

/** The sync object bwdc saves with `ad` on (§4.2: the AD attribute defaults are written for every type). */
const AD_DEFAULT_SYNC = {
  users: true,
  groups: true,
  interval: 5,
  removeDisabled: false,
  overwriteExisting: false,
  largeImport: false,
  inviteUsersAfterProvisioning: false,
  userObjectClass: 'person',
  groupObjectClass: 'group',
  userPath: 'CN=Users',
  groupPath: 'CN=Users',
  userEmailAttribute: 'mail',
  groupNameAttribute: 'name',
  memberAttribute: 'member',
  useEmailPrefixSuffix: false,
  emailPrefixAttribute: 'sAMAccountName',
  emailSuffix: null,
  creationDateAttribute: 'whenCreated',
  revisionDateAttribute: 'whenChanged',
};

/** Desktop keys every v8 file carries; dirconn ignores them. */
const DESKTOP_KEYS = { window: { width: 800, height: 600 }, enableTray: false, enableMinimizeToTray: false, enableCloseToTray: false, alwaysShowDock: false, locale: 'en', installedVersion: '2026.6.1', appId: '5a3f1e1c-9b0d-4b7e-8d57-6f1f4ad6a001' };

const ORGANIZATION = '7d2c2f0e-4f5b-4c8f-9a7e-1b2c3d4e5f60';

/** One expected setting per fixture (checked through `dirconn config --json` after the import). */
export interface BwdcFixture {
  name: string;
  data: Record<string, unknown>;
  /** The dirconn directory type the import must choose. */
  directory: string;
  /** Settings (key → value) `dirconn config` must show after the import. */
  expected: Record<string, unknown>;
  /** The secret setting reported as not found (no keychain entry in these fixtures). */
  secret: string;
}

/** Entra ID (type 1): Government authority, an include-group filter with secondary clauses. */
export const entraFixture: BwdcFixture = {
  name: 'entra (1)',
  directory: 'entra',
  secret: 'entra.key',
  data: {
    stateVersion: 8,
    directoryType: 1,
    organizationId: ORGANIZATION,
    directoryEntra: { id: 'b8e1f0c2-0000-4000-8000-000000000001', identityAuthority: 'login.microsoftonline.us', tenant: 'contoso.onmicrosoft.com', applicationId: '11111111-2222-4333-8444-555555555555', key: '[STORED SECURELY]' },
    sync: { ...AD_DEFAULT_SYNC, userFilter: 'includeGroup:aaaaaaaa-0000-4000-8000-000000000001|exclude:test@contoso.com', groupFilter: 'include:Engineering,Sales', removeDisabled: true },
    environmentUrls: { base: null, api: null, identity: null, webVault: null },
    ...DESKTOP_KEYS,
  },
  expected: {
    directory: 'entra',
    'entra.identityAuthority': 'login.microsoftonline.us',
    'entra.tenant': 'contoso.onmicrosoft.com',
    'entra.applicationId': '11111111-2222-4333-8444-555555555555',
    'sync.userFilter': 'includeGroup:aaaaaaaa-0000-4000-8000-000000000001|exclude:test@contoso.com',
    'sync.groupFilter': 'include:Engineering,Sales',
    'sync.removeDisabled': true,
    server: null,
  },
};

/** Google Workspace (type 2, "gsuite"): customer id, a native query filter, the EU cloud. */
export const googleFixture: BwdcFixture = {
  name: 'google (2)',
  directory: 'google',
  secret: 'google.privateKey',
  data: {
    stateVersion: 8,
    directoryType: 2,
    organizationId: ORGANIZATION,
    directoryGsuite: { id: 'b8e1f0c2-0000-4000-8000-000000000002', domain: 'example.com', adminUser: 'admin@example.com', customer: 'C0123abcd', clientEmail: 'dirconn@project.iam.gserviceaccount.com', privateKey: '[STORED SECURELY]' },
    sync: { ...AD_DEFAULT_SYNC, userFilter: "exclude:ceo@example.com|orgUnitPath='/Sales'", groupFilter: '|name:Integration*' },
    environmentUrls: { base: 'https://vault.example.org', api: null, identity: null, webVault: 'https://vault.example.org' },
    ...DESKTOP_KEYS,
  },
  expected: {
    directory: 'google',
    'google.domain': 'example.com',
    'google.adminUser': 'admin@example.com',
    'google.customer': 'C0123abcd',
    'google.clientEmail': 'dirconn@project.iam.gserviceaccount.com',
    'sync.userFilter': "exclude:ceo@example.com|orgUnitPath='/Sales'",
    'sync.groupFilter': '|name:Integration*',
    server: 'https://vault.example.org',
  },
};

/** Okta (type 3): an include filter and a native group filter. */
export const oktaFixture: BwdcFixture = {
  name: 'okta (3)',
  directory: 'okta',
  secret: 'okta.token',
  data: {
    stateVersion: 8,
    directoryType: 3,
    organizationId: ORGANIZATION,
    directoryOkta: { id: 'b8e1f0c2-0000-4000-8000-000000000003', orgUrl: 'https://example.okta.com', token: '[STORED SECURELY]' },
    sync: { ...AD_DEFAULT_SYNC, userFilter: 'include:a@example.com,b@example.com', groupFilter: '|type eq "OKTA_GROUP"', inviteUsersAfterProvisioning: true },
    environmentUrls: { base: null, api: 'https://api.example.net', identity: 'https://identity.example.net', webVault: null },
    ...DESKTOP_KEYS,
  },
  expected: {
    directory: 'okta',
    'okta.orgUrl': 'https://example.okta.com',
    'sync.userFilter': 'include:a@example.com,b@example.com',
    'sync.groupFilter': '|type eq "OKTA_GROUP"',
    'sync.inviteUsersAfterProvisioning': true,
    'server.api': 'https://api.example.net',
    'server.identity': 'https://identity.example.net',
  },
};

/** OneLogin (type 4): EU region, email prefix/suffix. */
export const oneloginFixture: BwdcFixture = {
  name: 'onelogin (4)',
  directory: 'onelogin',
  secret: 'onelogin.clientSecret',
  data: {
    stateVersion: 8,
    directoryType: 4,
    organizationId: ORGANIZATION,
    directoryOnelogin: { id: 'b8e1f0c2-0000-4000-8000-000000000004', clientId: 'f1e2d3c4b5a6', clientSecret: '[STORED SECURELY]', region: 'eu' },
    sync: { ...AD_DEFAULT_SYNC, useEmailPrefixSuffix: true, emailSuffix: '@example.eu', groupFilter: 'include:Vault Users' },
    environmentUrls: { base: null, api: null, identity: null, webVault: null },
    ...DESKTOP_KEYS,
  },
  expected: {
    directory: 'onelogin',
    'onelogin.clientId': 'f1e2d3c4b5a6',
    'onelogin.region': 'eu',
    'sync.useEmailPrefixSuffix': true,
    'sync.emailSuffix': '@example.eu',
    'sync.groupFilter': 'include:Vault Users',
  },
};

/** LDAP (type 0) in the old account layout (state version 4, §9.5). */
export function oldLayoutLdapFixture(port: number, adminDn: string): BwdcFixture {
  const account = ORGANIZATION;
  return {
    name: 'ldap (0), state version 4 account layout',
    directory: 'ldap',
    secret: 'ldap.password',
    data: {
      global: { stateVersion: 4, environmentUrls: { base: null, api: null, identity: null, webVault: null } },
      authenticatedAccounts: [account],
      activeUserId: account,
      [account]: {
        profile: { userId: account, entityId: account },
        directoryConfigurations: { ldap: ldapConfig(port, adminDn, 'b8e1f0c2-0000-4000-8000-000000000005'), gsuite: null, azure: null, okta: null, oneLogin: null },
        directorySettings: { organizationId: ORGANIZATION, directoryType: 0, sync: directoryASync(false), lastSyncHash: null, syncingDir: false },
      },
    },
    expected: { directory: 'ldap', 'ldap.hostname': '127.0.0.1', 'ldap.port': port, 'ldap.rootPath': directoryA.baseDn, 'sync.memberAttribute': 'memberUid' },
  };
}

/** bwdc's LDAP configuration for the test slapd (directory A). */
export function ldapConfig(port: number, adminDn: string, id: string): Record<string, unknown> {
  return { id, hostname: '127.0.0.1', port, ssl: false, startTls: false, sslAllowUnauthorized: false, rootPath: directoryA.baseDn, username: adminDn, password: '[STORED SECURELY]', ad: false, pagedSearch: false, currentUser: false };
}

/** bwdc's sync settings for directory A (reference §12.1). */
export function directoryASync(invite: boolean): Record<string, unknown> {
  return {
    users: true,
    groups: true,
    interval: 5,
    userFilter: null,
    groupFilter: null,
    removeDisabled: false,
    overwriteExisting: false,
    largeImport: false,
    inviteUsersAfterProvisioning: invite,
    userObjectClass: 'person',
    groupObjectClass: 'posixGroup',
    userPath: null,
    groupPath: null,
    userEmailAttribute: 'mail',
    groupNameAttribute: 'cn',
    memberAttribute: 'memberUid',
    useEmailPrefixSuffix: false,
    emailPrefixAttribute: null,
    emailSuffix: null,
    creationDateAttribute: null,
    revisionDateAttribute: null,
  };
}

/**
 * The import request bwdc sends for directory A (§7.5), built here independently of dirconn's
 * request builder: groups in directory order with their members in `memberUid` order, then the
 * users in directory order, then the three flags — keys in the reference's order.
 */
export function directoryARequestJson(invite: boolean): string {
  const request = {
    groups: directoryA.groups.map((g) => ({ name: g.name, externalId: g.dn, memberExternalIds: g.memberDns })),
    members: directoryA.users.map((u) => ({ email: u.email, externalId: u.dn, deleted: false })),
    overwriteExisting: false,
    largeImport: false,
    inviteUsersAfterProvisioning: invite,
  };
  return JSON.stringify(request);
}

/** bwdc's `lastSyncHash` (§7.6): base64(SHA-256(apiUrl + organizationId + json)). */
export function bwdcHash(apiUrl: string, organizationId: string, json: string): string {
  return createHash('sha256').update(apiUrl + organizationId + json, 'utf8').digest('base64');
}
