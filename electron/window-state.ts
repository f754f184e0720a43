import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The console window's size, position and last screen, kept in `<userData>/window-state.json` so the
 * next start opens where the admin left off. A position is only reused when it still lands on a
 * connected display (a laptop undocked from its monitor would otherwise open off-screen).
 */
export interface WindowState {
  width: number;
  height: number;
  x?: number;
  y?: number;
  maximized: boolean;
  /** The console route without '#/', e.g. 'tokens' or 'members/<id>'. */
  screen: string;
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const DEFAULT_WINDOW: Pick<WindowState, 'width' | 'height'> = { width: 1280, height: 820 };
export const MIN_WINDOW = { width: 900, height: 600 };
/** A first run (no saved state) opens the first-run guide. */
export const FIRST_RUN_SCREEN = 'setup';

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** The saved state, or null for a first run or an unreadable file. */
export function loadWindowState(file: string): WindowState | null {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
  if (typeof raw !== 'object' || raw === null) return null;
  const r = raw as Record<string, unknown>;
  if (!isNum(r.width) || !isNum(r.height)) return null;
  const state: WindowState = {
    width: Math.max(MIN_WINDOW.width, Math.round(r.width)),
    height: Math.max(MIN_WINDOW.height, Math.round(r.height)),
    maximized: r.maximized === true,
    screen: typeof r.screen === 'string' && /^[\w./%-]*$/.test(r.screen) ? r.screen : '',
  };
  if (isNum(r.x) && isNum(r.y)) {
    state.x = Math.round(r.x);
    state.y = Math.round(r.y);
  }
  return state;
}

export function saveWindowState(file: string, state: WindowState): void {
  mkdirSync(dirname(file), { recursive: true });
  // Write then rename, so a crash mid-write never leaves half a file.
  writeFileSync(`${file}.tmp`, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
}

const overlaps = (a: Rect, b: Rect): boolean => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** The bounds to open with: the saved size always, the saved position only when it is on a display. */
export function boundsFor(state: WindowState | null, workAreas: Rect[]): Partial<Rect> & Pick<Rect, 'width' | 'height'> {
  if (!state) return { ...DEFAULT_WINDOW };
  const size = { width: state.width, height: state.height };
  if (state.x === undefined || state.y === undefined) return size;
  const rect = { x: state.x, y: state.y, ...size };
  return workAreas.some((area) => overlaps(rect, area)) ? rect : size;
}

/** The console route a window URL shows ('#/members/abc' → 'members/abc'). */
export function screenOf(url: string): string {
  const hash = url.indexOf('#');
  return hash < 0 ? '' : url.slice(hash + 1).replace(/^\/+/, '');
}
