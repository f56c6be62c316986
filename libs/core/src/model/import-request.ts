/**
 * The body of `POST /public/organization/import` (bitwarden-api.md §3). Key order matters: the JSON
 * text must be byte-identical to the reference's for the hash rule (reference-connector.md §7.5–§7.6).
 */
export interface ImportGroup {
  name: string;
  externalId: string;
  memberExternalIds: string[];
}

export interface ImportMember {
  email: string;
  externalId: string;
  deleted: boolean;
}

export interface ImportRequest {
  groups: ImportGroup[];
  members: ImportMember[];
  overwriteExisting: boolean;
  largeImport: boolean;
  inviteUsersAfterProvisioning: boolean;
}
