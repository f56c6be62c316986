import { describe, expect, it } from '@jest/globals';
import { getProviderDefinition, providerDefinitions } from './registry.js';

describe('provider registry', () => {
  it('lists ldap and sample', () => {
    expect(providerDefinitions.map((d) => d.type)).toEqual(['ldap', 'sample']);
    expect(getProviderDefinition('ldap').label).toBe('Active Directory / LDAP');
    expect(getProviderDefinition('sample').type).toBe('sample');
  });

  it.each(['entra', 'google', 'okta', 'onelogin'] as const)('says %s is not available yet', (type) => {
    expect(() => getProviderDefinition(type)).toThrow(expect.objectContaining({ code: 'config.invalid', message: expect.stringContaining('not available yet in this version') }));
  });

  it('rejects unknown types', () => {
    expect(() => getProviderDefinition('novell' as never)).toThrow(/Unknown directory type/);
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
