/** Loading a plan saved by `dirconn plan --output` (or the desktop's "save plan"), to apply it later. */
import { DirconnError } from '../errors.js';
import { fileErrorCode, type FileReader } from '../ports.js';
import type { SyncPlan } from '../sync/plan.types.js';

/** Reads and checks a saved plan file (`usage` error when unreadable or not a dirconn plan). */
export async function loadSavedPlan(deps: { files: FileReader }, path: string): Promise<SyncPlan> {
  let text: string;
  try {
    text = await deps.files.readText(path);
  } catch (error) {
    throw new DirconnError('usage', `Cannot read the plan file ${path}: ${fileErrorCode(error) ?? 'unreadable'}.`, {
      hint: 'Save a plan first with "dirconn plan --output plan.json".',
    });
  }
  return parseSavedPlan(text, path);
}

/** Parses a saved plan's text; `source` names it in errors. */
export function parseSavedPlan(text: string, source: string): SyncPlan {
  let plan: unknown;
  try {
    plan = JSON.parse(text);
  } catch {
    throw new DirconnError('usage', `The plan file ${source} is not valid JSON.`, { hint: 'Save a plan with "dirconn plan --output plan.json".' });
  }
  const candidate = (typeof plan === 'object' && plan !== null ? plan : {}) as Partial<SyncPlan>;
  if (candidate.version !== 1 || !Array.isArray(candidate.requests) || typeof candidate.hash !== 'string' || typeof candidate.fingerprint !== 'object') {
    throw new DirconnError('usage', `The file ${source} is not a dirconn plan (version 1).`, { hint: 'Save a plan with "dirconn plan --output plan.json".' });
  }
  return candidate as SyncPlan;
}
