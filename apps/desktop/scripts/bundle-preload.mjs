// Bundles the preload into one CommonJS file (dist/preload/api.preload.cjs): a sandboxed preload can
// require only `electron` and a few built-ins, not our other modules. Run after `tsc -b`.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
await build({
  entryPoints: [`${root}/src/preload/api.preload.ts`],
  outfile: `${root}/dist/preload/api.preload.cjs`,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node22',
  external: ['electron'],
  logLevel: 'warning',
});
