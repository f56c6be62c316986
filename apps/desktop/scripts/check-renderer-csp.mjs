// Fails the UI build when dist/renderer/ would break the renderer's Content-Security-Policy
// (src/shared/content-security-policy.ts: script-src 'self', style-src 'self', no eval): an inline
// <script> or <style>, a style="" attribute, an inline event handler, or eval-like code in a bundle.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('../dist/renderer/', import.meta.url));
const problems = [];
const html = readFileSync(join(dir, 'index.html'), 'utf8');
for (const match of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
  if (!/\bsrc=/.test(match[1]) || match[2].trim() !== '') problems.push('index.html: inline <script>');
}
if (/<style\b/i.test(html)) problems.push('index.html: inline <style>');
if (/\sstyle=/i.test(html)) problems.push('index.html: style="" attribute');
if (/\son[a-z]+=/i.test(html)) problems.push('index.html: inline event handler attribute');
const files = readdirSync(join(dir, 'assets'));
for (const name of files.filter((f) => f.endsWith('.js'))) {
  const code = readFileSync(join(dir, 'assets', name), 'utf8');
  if (/\beval\s*\(/.test(code)) problems.push(`assets/${name}: eval(`);
  if (/\bnew\s+Function\s*\(/.test(code)) problems.push(`assets/${name}: new Function(`);
}
if (!files.some((f) => f.endsWith('.js'))) problems.push('no JavaScript bundle in dist/renderer/assets');
if (problems.length > 0) {
  console.error(`The renderer build breaks the Content-Security-Policy:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.error(`renderer: ${files.length} assets in ${dir}, CSP-compatible (no inline script or style, no eval)`);
