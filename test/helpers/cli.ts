import { vi } from 'vitest';
import { main } from '../../server/main.js';

/** Runs the `scimdesk` CLI in-process: its exit code, stdout lines and stderr. */
export async function cli(...args: string[]): Promise<{ code: number; lines: string[]; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const so = vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => out.push(String(c)) > 0);
  const se = vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => err.push(String(c)) > 0);
  try {
    const code = await main(args);
    return { code, lines: out.join('').trimEnd().split('\n'), out: out.join(''), err: err.join('') };
  } finally {
    so.mockRestore();
    se.mockRestore();
  }
}
