/**
 * Remembers the main window's size, position and maximised state (`<dataDir>/desktop-window.json`),
 * and forgets a position that is no longer on any display.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '@dirconn/storage';
import { MIN_WINDOW_SIZE, type WindowBounds } from './window.main.js';

/** File name of the window state inside the data directory. */
export const WINDOW_STATE_FILE_NAME = 'desktop-window.json';

const rectangle = z.object({ x: z.number().int(), y: z.number().int(), width: z.number().int().min(MIN_WINDOW_SIZE.width), height: z.number().int().min(MIN_WINDOW_SIZE.height) });
const stateSchema = z.object({ bounds: rectangle.nullable(), maximized: z.boolean() });

/** A display's work area, as `screen.getAllDisplays()` gives it. */
export interface DisplayArea {
  workArea: { x: number; y: number; width: number; height: number };
}

/** Reads the saved state; a missing, invalid or off-screen one gives null bounds. */
export async function loadWindowState(dataDir: string, displays: readonly DisplayArea[]): Promise<WindowBounds | null> {
  let parsed: z.infer<typeof stateSchema>;
  try {
    const result = stateSchema.safeParse(JSON.parse(await fs.readFile(path.join(dataDir, WINDOW_STATE_FILE_NAME), 'utf8')));
    if (!result.success) return null;
    parsed = result.data;
  } catch {
    // Missing or unreadable: the window opens at its default size.
    return null;
  }
  const bounds = parsed.bounds;
  const visible = bounds !== null && displays.some(({ workArea: a }) => bounds.x < a.x + a.width && bounds.x + bounds.width > a.x && bounds.y < a.y + a.height && bounds.y + bounds.height > a.y);
  return { bounds: visible ? bounds : null, maximized: parsed.maximized };
}

/** Saves the state (errors are the caller's to log: losing it is harmless). */
export async function saveWindowState(dataDir: string, state: WindowBounds): Promise<void> {
  await fs.mkdir(dataDir, { recursive: true, mode: 0o700 });
  await writeFileAtomic(path.join(dataDir, WINDOW_STATE_FILE_NAME), `${JSON.stringify(state)}\n`);
}
