// Builds a Linux x64 single executable (Node's single-executable applications) from the CommonJS
// bundle and the node@22 binary of the devDependencies, so it runs on a machine with no Node.js.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';

const require = createRequire(import.meta.url);
/** The sentinel Node looks for to know a blob was injected (documented in Node's SEA guide). */
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

/** The Node 22 binary that will become the executable (node@22 devDependency, not the system one). */
export function nodeBinary(root) {
  const candidate = path.join(root, 'node_modules/node/bin/node');
  if (!fs.existsSync(candidate)) throw new Error(`No Node binary at ${candidate}; run scripts/setup.sh first.`);
  const version = execFileSync(candidate, ['--version'], { encoding: 'utf8' }).trim();
  if (!version.startsWith('v22.')) throw new Error(`${candidate} is ${version}; the release is built on Node 22.`);
  return fs.realpathSync(candidate);
}

/** The native keyring addon for linux-x64 (glibc), copied beside the executable. */
export function keyringAddon(root) {
  const file = path.join(root, 'node_modules/@napi-rs/keyring-linux-x64-gnu/keyring.linux-x64-gnu.node');
  if (!fs.existsSync(file)) throw new Error(`Missing ${file}: the keyring addon for linux-x64 is not installed.`);
  return file;
}

/**
 * Turns `bundleFile` into `<outDir>/dirconn`: writes the SEA config, asks Node for the preparation
 * blob, copies the Node binary and injects the blob with postject.
 */
export function buildExecutable({ root, bundleFile, outDir, workDir }) {
  const node = nodeBinary(root);
  const blob = path.join(workDir, 'sea-prep.blob');
  const config = path.join(workDir, 'sea-config.json');
  fs.writeFileSync(config, JSON.stringify({ main: bundleFile, output: blob, disableExperimentalSEAWarning: true, useSnapshot: false, useCodeCache: false }, null, 2));
  execFileSync(node, ['--experimental-sea-config', config], { stdio: ['ignore', 'ignore', 'inherit'] });
  const executable = path.join(outDir, 'dirconn');
  fs.copyFileSync(node, executable);
  fs.chmodSync(executable, 0o755);
  const postject = path.join(path.dirname(require.resolve('postject/package.json')), 'dist/cli.js');
  // postject warns about the ELF ".note" section it cannot resize; the injection itself is checked
  // by running the executable afterwards.
  execFileSync(node, [postject, executable, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', SEA_FUSE], { stdio: ['ignore', 'ignore', 'inherit'] });
  fs.copyFileSync(keyringAddon(root), path.join(outDir, 'keyring.node'));
  return executable;
}
