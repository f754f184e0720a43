import { InputError } from '../input-error.js';
import { CHANGE_EVENT_TYPES } from './outbox.js';

/** Validates event patterns: a known type, "resource.*", or "*". */
export function parsePatterns(text: string | undefined): string[] {
  if (text === undefined || text.trim() === '') return ['*'];
  const list = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const p of list) {
    if (p === '*') continue;
    if (
      p.endsWith('.*')
        ? CHANGE_EVENT_TYPES.some((t) => t.startsWith(p.slice(0, -1)))
        : (CHANGE_EVENT_TYPES as readonly string[]).includes(p)
    )
      continue;
    throw new InputError(`unknown event type or pattern "${p}": use one of ${CHANGE_EVENT_TYPES.join(', ')}, user.*, group.* or *`);
  }
  return list;
}

export function matches(patterns: readonly string[], type: string): boolean {
  return patterns.some((p) => p === '*' || p === type || (p.endsWith('.*') && type.startsWith(p.slice(0, -1))));
}

/** The concrete types a set of patterns selects. */
export function typesOf(patterns: readonly string[]): string[] {
  return CHANGE_EVENT_TYPES.filter((t) => matches(patterns, t));
}
