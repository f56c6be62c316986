/**
 * Serves the built renderer (`apps/desktop/dist/renderer/`) to `dirconn ui`: files under that folder
 * only (no `..`, no dot files), single-page fallback to `index.html`, and a plain placeholder page
 * when the renderer has not been built.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the renderer is built, relative to this module once compiled (`dist/node/` → `dist/renderer/`). */
export function defaultRendererDir(): string {
  return fileURLToPath(new URL('../renderer/', import.meta.url));
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

/** A file to send. */
export interface StaticFile {
  body: Buffer;
  contentType: string;
}

/** Shown when the renderer is not built (no inline script or style: the CSP forbids them). */
export const PLACEHOLDER_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>dirconn</title></head>
<body><h1>dirconn</h1>
<p>The dirconn user interface has not been built in this installation, so there is nothing to show here yet.</p>
<p>Build it with <code>npm run build -w apps/desktop</code>, or use the command line (<code>dirconn --help</code>).
The API answers at <code>POST /api/&lt;method&gt;</code>.</p>
</body></html>
`;

/**
 * The file for a request path, or the single-page fallback (`index.html`) for paths without an
 * extension; null when not found. Paths escaping the folder or naming dot files are not found.
 */
export async function readStaticFile(rendererDir: string | null, urlPath: string): Promise<StaticFile | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.split('/').some((segment) => segment.startsWith('.'))) return null;
  const relative = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '');
  if (rendererDir === null || !(await exists(path.join(rendererDir, 'index.html')))) {
    return relative === 'index.html' || path.extname(relative) === '' ? { body: Buffer.from(PLACEHOLDER_PAGE), contentType: CONTENT_TYPES['.html']! } : null;
  }
  const root = path.resolve(rendererDir);
  const file = path.resolve(root, relative);
  if (file !== root && !file.startsWith(root + path.sep)) return null;
  const found = await readFile(file);
  if (found !== null) return { body: found, contentType: CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream' };
  if (path.extname(relative) !== '') return null;
  const index = await readFile(path.join(root, 'index.html'));
  return index === null ? null : { body: index, contentType: CONTENT_TYPES['.html']! };
}

async function exists(file: string): Promise<boolean> {
  try {
    return (await fs.stat(file)).isFile();
  } catch {
    return false;
  }
}

async function readFile(file: string): Promise<Buffer | null> {
  try {
    const stat = await fs.stat(file);
    return stat.isFile() ? await fs.readFile(file) : null;
  } catch {
    return null;
  }
}
