import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import type { RunningServer } from '../../server/serve.js';

/**
 * Temporary directories (`tmp()`, named `<prefix>XXXXXX`) and running servers (push them on
 * `running`) for one test file. After each test the servers stop first, so none still writes into a
 * directory while it is deleted.
 */
export function scratch(prefix: string): { tmp: () => string; running: RunningServer[] } {
  const dirs: string[] = [];
  const running: RunningServer[] = [];
  afterEach(async () => {
    for (const s of running.splice(0)) await s.stop();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const tmp = (): string => {
    const d = mkdtempSync(join(tmpdir(), prefix));
    dirs.push(d);
    return d;
  };
  return { tmp, running };
}
