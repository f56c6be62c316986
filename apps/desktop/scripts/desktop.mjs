// `npm run desktop`: builds main and the preload bundle, then starts Electron — or says clearly why it
// cannot. The binary is not downloaded at install time (setup sets ELECTRON_SKIP_BINARY_DOWNLOAD=1:
// CI reaches only the npm registry); Electron's own loader fetches it on first use where it can.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const app = fileURLToPath(new URL('..', import.meta.url));
const repo = fileURLToPath(new URL('../../..', import.meta.url));
const require = createRequire(import.meta.url);

let electron;
try {
  electron = require('electron');
} catch (error) {
  electron = null;
  process.stderr.write(`The Electron package cannot be loaded (${error instanceof Error ? error.message.split('\n')[0] : String(error)}).\n`);
}
if (typeof electron !== 'string' || !existsSync(electron)) {
  process.stderr.write(
    'The Electron binary is not installed, so the desktop app cannot start on this machine.\n' +
      'Its download was skipped at install time (ELECTRON_SKIP_BINARY_DOWNLOAD=1 in scripts/setup.sh) and failed just now.\n' +
      'On a machine that reaches the Electron release downloads, run "node node_modules/electron/install.js", then "npm run desktop".\n' +
      'Without a desktop, "dirconn ui" serves the same screens to a browser.\n',
  );
  process.exit(1);
}

const run = (command, args, cwd) => {
  const result = spawnSync(command, args, { cwd, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
};
run(process.execPath, [require.resolve('typescript/bin/tsc'), '-b', 'apps/desktop/tsconfig.json'], repo);
run(process.execPath, ['scripts/bundle-preload.mjs'], app);
const scripts = JSON.parse(readFileSync(`${app}/package.json`, 'utf8')).scripts ?? {};
if (scripts['build:ui']) run(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', '--silent', 'build:ui'], app);
run(electron, [app, ...process.argv.slice(2)], app);
