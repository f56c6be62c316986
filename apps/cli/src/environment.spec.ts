import { describe, expect, it } from '@jest/globals';
import { secretBindings, type ProviderDefinition } from '@dirconn/core';
import { registrySecretBindings } from '@dirconn/providers';
import { environmentTable } from './environment.js';

describe('environment help', () => {
  it('lists every secret variable of the registry, once', () => {
    const names = environmentTable(registrySecretBindings).map(([name]) => name);
    for (const binding of registrySecretBindings) {
      expect(names).toContain(binding.variable);
      if (binding.fileVariable !== null) expect(names).toContain(binding.fileVariable);
    }
    expect(new Set(names).size).toBe(names.length);
  });

  it("shows a new source's variables without an edit, whole-file secrets described as such", () => {
    const source = {
      secret: { setting: 'x.key', account: 'secretX', variable: 'DIRCONN_X_KEY', fileVariable: 'DIRCONN_X_KEY_FILE', fileContent: 'whole', description: 'X private key' },
    } as unknown as ProviderDefinition;
    const rows = new Map(environmentTable(secretBindings([source])));
    expect(rows.get('DIRCONN_X_KEY')).toBe('X private key at run time (instead of the keychain)');
    expect(rows.get('DIRCONN_X_KEY_FILE')).toBe('file holding the X private key');
  });
});
