// `npm run release`: builds into dist/release/
//   dirconn-<version>.tgz                 npm tarball of the CLI (`npm install -g` it, Node 22+)
//   dirconn-<version>-linux-x64/          single executable + keyring addon + assets (no Node needed)
//   dirconn-<version>-linux-x64.tar.gz    the same folder, archived
// Both contain the bundled sample directory and the browser console (`dirconn ui`).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, bundleCjs, bundleEsm } from './bundle.mjs';
import { buildExecutable } from './sea.mjs';

const started = Date.now();
const rootPackage = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const keyringPackage = JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules/@napi-rs/keyring/package.json'), 'utf8'));
const version = rootPackage.version;
const OUT = path.join(ROOT, 'dist/release');
const WORK = path.join(OUT, '.work');
const RENDERER = path.join(ROOT, 'apps/desktop/dist/renderer');
const SAMPLE = path.join(ROOT, 'libs/providers/data/sample-directory.json');

function step(message) {
  process.stderr.write(`==> ${message}\n`);
}
function run(command, args, options = {}) {
  execFileSync(command, args, { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'], ...options });
}
function copyTree(from, to) {
  fs.cpSync(from, to, { recursive: true });
}
function sizeMb(file) {
  return (fs.statSync(file).size / 1024 / 1024).toFixed(1);
}

fs.rmSync(OUT, { recursive: true, force: true });
fs.mkdirSync(WORK, { recursive: true });

step('compile (tsc -b) and build the browser console');
run('npx', ['tsc', '-b', 'tsconfig.check.json']);
run('npm', ['run', '--silent', 'build:ui']);
if (!fs.existsSync(path.join(RENDERER, 'index.html'))) throw new Error(`No built console at ${RENDERER}`);

// Layout shared by both shapes: lib/cli/dirconn.mjs resolves ../../data/ and ../renderer/.
function addAssets(dir) {
  fs.mkdirSync(path.join(dir, 'data'), { recursive: true });
  fs.copyFileSync(SAMPLE, path.join(dir, 'data/sample-directory.json'));
  copyTree(RENDERER, path.join(dir, 'lib/renderer'));
  fs.copyFileSync(path.join(ROOT, 'LICENSE'), path.join(dir, 'LICENSE'));
  fs.copyFileSync(path.join(ROOT, 'README.md'), path.join(dir, 'README.md'));
}

step('npm tarball');
const pkgDir = path.join(WORK, 'package');
fs.mkdirSync(path.join(pkgDir, 'bin'), { recursive: true });
await bundleEsm(path.join(pkgDir, 'lib/cli/dirconn.mjs'));
fs.copyFileSync(path.join(ROOT, 'scripts/release/launcher.js'), path.join(pkgDir, 'bin/dirconn.js'));
fs.chmodSync(path.join(pkgDir, 'bin/dirconn.js'), 0o755);
addAssets(pkgDir);
const manifest = {
  name: 'dirconn',
  version,
  description: rootPackage.description,
  license: rootPackage.license,
  type: 'module',
  bin: { dirconn: 'bin/dirconn.js' },
  engines: { node: '>=22' },
  files: ['bin', 'lib', 'data', 'LICENSE', 'README.md'],
  dependencies: { '@napi-rs/keyring': `^${keyringPackage.version}` },
};
fs.writeFileSync(path.join(pkgDir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
run('npm', ['pack', '--silent', '--pack-destination', OUT], { cwd: pkgDir, stdio: ['ignore', 'ignore', 'inherit'] });
const tarball = path.join(OUT, `dirconn-${version}.tgz`);

step('single executable (linux-x64)');
const exeName = `dirconn-${version}-linux-x64`;
const exeDir = path.join(OUT, exeName);
fs.mkdirSync(exeDir, { recursive: true });
const cjsBundle = path.join(WORK, 'dirconn.cjs');
await bundleCjs(cjsBundle);
const executable = buildExecutable({ root: ROOT, bundleFile: cjsBundle, outDir: exeDir, workDir: WORK });
addAssets(exeDir);
const versionOut = execFileSync(executable, ['--version'], { encoding: 'utf8', env: { ...process.env, PATH: '/usr/bin:/bin' } }).trim();
if (!versionOut.includes(version)) throw new Error(`The executable printed "${versionOut}" for --version, expected ${version}`);
run('tar', ['-czf', `${exeName}.tar.gz`, exeName], { cwd: OUT });

fs.rmSync(WORK, { recursive: true, force: true });
process.stdout.write(
  [
    `release ${version} built in ${((Date.now() - started) / 1000).toFixed(1)} s:`,
    `  ${path.relative(ROOT, tarball)} (${sizeMb(tarball)} MB)`,
    `  ${path.relative(ROOT, executable)} (${sizeMb(executable)} MB; runs without Node.js)`,
    `  ${path.relative(ROOT, path.join(OUT, `${exeName}.tar.gz`))} (${sizeMb(path.join(OUT, `${exeName}.tar.gz`))} MB)`,
    '',
  ].join('\n'),
);
