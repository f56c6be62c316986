/**
 * Test-only helpers for this lib's specs (not exported from index.ts): throw-away directories and
 * a loader so child processes can run this lib's TypeScript sources.
 */
import { promises as fs } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** A fresh temporary directory; `cleanup()` removes it. */
export async function makeTempDir(prefix = 'dirconn-storage-'): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => fs.rm(dir, { recursive: true, force: true }) };
}

/** The permission bits of a path (e.g. 0o600). */
export async function modeOf(target: string): Promise<number> {
  return (await fs.stat(target)).mode & 0o777;
}

/** Catches what `fn` throws (fails the test when it does not throw). */
export async function caught(fn: () => Promise<unknown>): Promise<unknown> {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}

/** This folder (libs/storage/src), for child processes that import our TypeScript sources. */
const sourceDir = path.dirname(fileURLToPath(import.meta.url));

/** File URL of one of this lib's TypeScript sources, e.g. `sourceUrl('lock')`. */
export function sourceUrl(name: string): string {
  return pathToFileURL(path.join(sourceDir, `${name}.ts`)).href;
}

/**
 * Writes a tiny ESM loader into `dir` that lets a plain `node` child import this lib's TypeScript
 * sources: `.ts` files are transpiled with @swc/core (the transformer jest uses), `./x.js` imports
 * are mapped to `./x.ts` and `@dirconn/core` to core's `src/index.ts`. No build needed.
 * @returns the node arguments to put before the script, e.g. `['--import', '<dir>/register.mjs']`
 */
export async function writeTsLoader(dir: string): Promise<string[]> {
  const require = createRequire(import.meta.url);
  const swc = pathToFileURL(require.resolve('@swc/core')).href;
  const coreIndex = path.resolve(sourceDir, '../../core/src/index.ts');
  const hooks = path.join(dir, 'ts-hooks.mjs');
  const register = path.join(dir, 'ts-register.mjs');
  await fs.writeFile(
    hooks,
    `import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import swc from ${JSON.stringify(swc)};
const aliases = { '@dirconn/core': ${JSON.stringify(coreIndex)} };
export async function resolve(specifier, context, next) {
  if (aliases[specifier]) return { url: pathToFileURL(aliases[specifier]).href, shortCircuit: true };
  if (specifier.startsWith('.') && specifier.endsWith('.js') && context.parentURL && context.parentURL.endsWith('.ts')) {
    const candidate = fileURLToPath(new URL(specifier, context.parentURL)).replace(/\\.js$/, '.ts');
    if (existsSync(candidate)) return { url: pathToFileURL(candidate).href, shortCircuit: true };
  }
  return next(specifier, context);
}
export async function load(url, context, next) {
  if (!url.endsWith('.ts')) return next(url, context);
  const filename = fileURLToPath(url);
  const { code } = swc.transformSync(readFileSync(filename, 'utf8'), {
    filename,
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'es6' },
  });
  return { format: 'module', source: code, shortCircuit: true };
}
`,
  );
  await fs.writeFile(
    register,
    `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`,
  );
  return ['--import', register];
}
