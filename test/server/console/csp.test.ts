import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Plugin } from 'vite';
import { describe, expect, it } from 'vitest';
import { CONSOLE_CSP, CONSOLE_CSP_META, injectCsp } from '../../../server/console/csp.js';
import config from '../../../vite.config.js';

const INDEX = readFileSync(join(process.cwd(), 'index.html'), 'utf8');
const META_RE = /<meta http-equiv="Content-Security-Policy" content="([^"]*)" \/>/g;

describe('the console CSP has one definition', () => {
  it('keeps frame-ancestors in the header form only (a <meta> policy ignores it)', () => {
    expect(CONSOLE_CSP).toBe(`${CONSOLE_CSP_META.replace("form-action 'self'", "frame-ancestors 'none'; form-action 'self'")}`);
    expect(CONSOLE_CSP_META).not.toContain('frame-ancestors');
    expect(CONSOLE_CSP).toContain("default-src 'self'");
  });

  it('index.html spells no policy of its own: the renderer build writes the one definition into its meta tag', async () => {
    expect(INDEX).not.toContain("'self'");
    const plugin = (config.plugins ?? [])
      .flat()
      .find((p): p is Plugin => typeof p === 'object' && p !== null && 'name' in p && p.name === 'console-csp');
    const transform = plugin?.transformIndexHtml;
    if (typeof transform !== 'function') throw new Error('vite.config.ts has no console-csp plugin');
    const built = (await Reflect.apply(transform, undefined, [INDEX, {}])) as string;
    expect([...built.matchAll(META_RE)].map((m) => m[1])).toEqual([CONSOLE_CSP_META]);
  });

  it('refuses to build an index.html without the placeholder', () => {
    expect(() => injectCsp('<html><head></head></html>')).toThrow('index.html has no %CONSOLE_CSP% placeholder for the console CSP');
  });
});
