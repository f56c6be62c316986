import { describe, expect, it } from '@jest/globals';
import { allConfigKeys, settingVariable } from '@dirconn/core';
import { getProviderDefinition, providerDefinitions, registrySecretBindings } from './registry.js';

describe('provider registry', () => {
  it('lists ldap, entra, google, okta, onelogin and sample (the reference\'s order)', () => {
    expect(providerDefinitions.map((d) => d.type)).toEqual(['ldap', 'entra', 'google', 'okta', 'onelogin', 'sample']);
    expect(getProviderDefinition('onelogin')).toMatchObject({ label: 'OneLogin', referenceType: 4, identityFields: ['clientId', 'region', 'baseUrl'] });
    expect(getProviderDefinition('entra')).toMatchObject({ label: 'Microsoft Entra ID', referenceType: 1, identityFields: ['tenant', 'applicationId'] });
    expect(getProviderDefinition('ldap').label).toBe('Active Directory / LDAP');
    expect(getProviderDefinition('google')).toMatchObject({ label: 'Google Workspace', referenceType: 2 });
    expect(getProviderDefinition('sample').type).toBe('sample');
  });

  it('rejects unknown types', () => {
    expect(() => getProviderDefinition('novell')).toThrow(/Unknown directory type/);
  });

  it('gives every field a description and a section prefix matching its type', () => {
    for (const d of providerDefinitions) {
      for (const f of d.fields) {
        expect(f.key.startsWith(`${d.type}.`)).toBe(true);
        expect(f.description).not.toBe('');
      }
    }
  });
});

describe('secret bindings generated from the registry', () => {
  it('hold the login and each source with a secret, with the reference account names', () => {
    expect(registrySecretBindings.map((b) => b.account)).toEqual(['apiKeyClientId', 'apiKeyClientSecret', 'secretLdap', 'secretEntra', 'secretGsuite', 'secretOkta', 'secretOneLogin']);
    expect(registrySecretBindings.find((b) => b.account === 'secretEntra')).toMatchObject({ setting: 'entra.key', aliases: ['azure.key'], variable: 'DIRCONN_ENTRA_KEY', fileVariable: 'DIRCONN_ENTRA_KEY_FILE', fileContent: 'first-line' });
    expect(registrySecretBindings.find((b) => b.account === 'secretGsuite')).toMatchObject({ setting: 'google.privateKey', variable: 'DIRCONN_GOOGLE_PRIVATE_KEY', fileVariable: 'DIRCONN_GOOGLE_PRIVATE_KEY_FILE' });
    expect(registrySecretBindings.find((b) => b.account === 'secretLdap')).toMatchObject({ setting: 'ldap.password', variable: 'DIRCONN_LDAP_PASSWORD', fileVariable: 'DIRCONN_LDAP_PASSWORD_FILE' });
    expect(registrySecretBindings.find((b) => b.account === 'secretOkta')).toMatchObject({ setting: 'okta.token', variable: 'DIRCONN_OKTA_TOKEN', fileVariable: 'DIRCONN_OKTA_TOKEN_FILE' });
    expect(registrySecretBindings.find((b) => b.account === 'secretOneLogin')).toMatchObject({ setting: 'onelogin.clientSecret', aliases: ['onelogin.secret'], variable: 'DIRCONN_ONELOGIN_SECRET', fileVariable: 'DIRCONN_ONELOGIN_SECRET_FILE', fileContent: 'first-line' });
  });

  it('never reuse a variable or an account', () => {
    const names = registrySecretBindings.flatMap((b) => [b.variable, b.fileVariable]).filter((n) => n !== null);
    expect(new Set(names).size).toBe(names.length);
    expect(new Set(registrySecretBindings.map((b) => b.account)).size).toBe(registrySecretBindings.length);
  });

  it('names each secret\'s variable like every other setting (DIRCONN_<SECTION>_<FIELD>), and gives no two settings one variable (issue #13 item 3)', () => {
    // The variable is the setting's or one of its reference aliases' (onelogin.secret → DIRCONN_ONELOGIN_SECRET).
    for (const d of providerDefinitions) {
      if (d.secret) expect([d.secret.setting, ...(d.secret.aliases ?? [])].map(settingVariable)).toContain(d.secret.variable);
    }
    const variables = allConfigKeys(providerDefinitions).map((k) => settingVariable(k.field.key));
    expect(new Set(variables).size).toBe(variables.length);
  });
});
