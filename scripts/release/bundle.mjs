// Bundles the compiled CLI (apps/cli/dist/main.js and every workspace library it imports) into one
// file with esbuild. Two shapes: an ES module for the npm tarball (native keyring left to npm) and
// a CommonJS script for Node's single-executable applications (which can only run CommonJS).
import { build } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(HERE, '../..');
const ENTRY = path.join(ROOT, 'apps/cli/dist/main.js');

/** Packages never bundled: Electron (not used by the CLI at run time). */
const ALWAYS_EXTERNAL = ['electron'];

/**
 * ES module bundle for the npm tarball: `@napi-rs/keyring` stays a declared dependency (it picks
 * its native binary per platform at install time). CommonJS dependencies get a `require` made
 * from the bundle's own URL.
 */
export async function bundleEsm(outfile) {
  return build({
    entryPoints: [ENTRY],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    minifyWhitespace: false,
    legalComments: 'linked',
    external: [...ALWAYS_EXTERNAL, '@napi-rs/keyring'],
    banner: { js: "import { createRequire as __dirconnCreateRequire } from 'node:module';\nconst require = __dirconnCreateRequire(import.meta.url);" },
    logLevel: 'warning',
    metafile: true,
  });
}

/**
 * CommonJS bundle for the single executable: everything inside, `@napi-rs/keyring` replaced by a
 * shim that loads `keyring.node` from beside the executable, and `import.meta.url` pointed at
 * `<executable dir>/lib/cli/dirconn.mjs` so relative asset lookups find `data/` and `lib/renderer/`
 * exactly as they do in the tarball layout.
 */
export async function bundleCjs(outfile) {
  return build({
    entryPoints: [path.join(HERE, 'sea-entry.mjs')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    legalComments: 'linked',
    external: ALWAYS_EXTERNAL,
    alias: { '@napi-rs/keyring': path.join(HERE, 'keyring-sea-shim.cjs') },
    define: { 'import.meta.url': '__dirconnImportMetaUrl' },
    banner: {
      js: "const __dirconnImportMetaUrl = require('node:url').pathToFileURL(require('node:path').join(require('node:path').dirname(process.execPath), 'lib', 'cli', 'dirconn.mjs')).href;",
    },
    logLevel: 'warning',
    metafile: true,
  });
}
