/**
 * The architecture is enforced by lint (STYLE.md §2.1): a wrong import must be an ESLint error.
 * Writes throw-away probe files into the real projects, lints them with the repository config and
 * removes them again.
 */
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ESLint } from 'eslint';

const root = fileURLToPath(new URL('../..', import.meta.url));
const probes: string[] = [];

async function lintProbe(project: string, source: string, folder = 'src'): Promise<string[]> {
  const file = join(root, project, folder, `zz-lint-probe-${probes.length}.ts`);
  probes.push(file);
  writeFileSync(file, source);
  const eslint = new ESLint({ cwd: root });
  const [result] = await eslint.lintFiles([file]);
  return (result?.messages ?? []).map((m) => `${m.ruleId ?? ''}: ${m.message}`);
}

beforeAll(() => {
  // The nx rule needs the project graph; without it, it silently skips (a CI trap).
  execFileSync(process.execPath, [join(root, 'node_modules/nx/dist/bin/nx.js'), 'show', 'projects'], {
    cwd: root,
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' },
    stdio: 'ignore',
  });
});

afterAll(() => {
  for (const file of probes) rmSync(file, { force: true });
});

describe('module boundaries', () => {
  it('core may not import node built-ins', async () => {
    const messages = await lintProbe('libs/core', "import { readFileSync } from 'node:fs';\nexport const probe = readFileSync;\n");
    expect(messages.some((m) => m.startsWith('no-restricted-imports'))).toBe(true);
  });

  it('core may not import lowdb, ldapts or commander', async () => {
    const messages = await lintProbe('libs/core', "import { Client } from 'ldapts';\nexport const probe = Client;\n");
    expect(messages.some((m) => m.startsWith('@nx/enforce-module-boundaries'))).toBe(true);
  });

  it('an adapter may not import another adapter', async () => {
    const messages = await lintProbe('libs/providers', "import { resolveDataDir } from '@dirconn/storage';\nexport const probe = resolveDataDir;\n");
    expect(messages.some((m) => m.startsWith('@nx/enforce-module-boundaries') && m.includes('type:adapter'))).toBe(true);
  });

  it('allowed imports pass', async () => {
    const messages = await lintProbe('libs/providers', "import { DirconnError } from '@dirconn/core';\nexport const probe = DirconnError;\n");
    expect(messages.filter((m) => m.startsWith('@nx/enforce-module-boundaries'))).toEqual([]);
  });

  it('the renderer is a web page: no Node, Electron, Node-side code or contract values; core types only', async () => {
    const messages = await lintProbe(
      'apps/desktop',
      [
        "import { readFileSync } from 'node:fs';",
        "import { ipcRenderer } from 'electron';",
        "import { plan } from '@dirconn/core';",
        "import { apiInputs } from '../shared/api-contract.js';",
        "import { dispatch } from '../node/dispatch.js';",
        'export const probe: unknown[] = [readFileSync, ipcRenderer, plan, apiInputs, dispatch];',
        '',
      ].join('\n'),
      'src/renderer',
    );
    expect(messages.filter((m) => m.startsWith('@typescript-eslint/no-restricted-imports'))).toHaveLength(5);
    const allowed = await lintProbe('apps/desktop', "import type { PlanUser } from '@dirconn/core';\nimport type { ApiInput } from '../shared/api-contract.js';\nexport type Probe = [PlanUser, ApiInput<'status'>];\n", 'src/renderer');
    expect(allowed.filter((m) => m.includes('restricted'))).toEqual([]);
  });
});
