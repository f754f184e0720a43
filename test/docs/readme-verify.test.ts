import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { signatureHeader } from '../../server/delivery/sign.js';

/** The README's webhook verification snippet, run as a consumer would paste it, against the sender's own signing. */
async function readmeVerify(): Promise<(secret: string, header: string, rawBody: string, now?: number) => boolean> {
  const readme = readFileSync('README.md', 'utf8');
  const at = readme.indexOf('Verify each webhook');
  const block = /```js\n([\s\S]*?)```/.exec(readme.slice(at));
  if (at < 0 || !block?.[1]) throw new Error('README has no webhook verification snippet');
  const file = join(mkdtempSync(join(tmpdir(), 'scimdesk-readme-')), 'verify.mjs');
  writeFileSync(file, block[1]);
  return ((await import(pathToFileURL(file).href)) as { verify: Awaited<ReturnType<typeof readmeVerify>> }).verify;
}

describe("README's webhook verification snippet", () => {
  const body = '{"id":7,"type":"user.created"}';
  const t = 1_780_000_000;

  it.each([
    ['the one live secret', ['whsec_new'], 'whsec_new', body, t, true],
    ['either secret during a rotation', ['whsec_old', 'whsec_new'], 'whsec_old', body, t + 60, true],
    ['a wrong secret', ['whsec_new'], 'whsec_other', body, t, false],
    ['a body changed in transit', ['whsec_new'], 'whsec_new', body.replace('7', '8'), t, false],
    ['a replay older than 5 minutes', ['whsec_new'], 'whsec_new', body, t + 301, false],
  ])('accepts or refuses: %s', async (_name, secrets, secret, received, now, ok) => {
    const verify = await readmeVerify();
    expect(verify(secret, signatureHeader(secrets, body, t), received, now)).toBe(ok);
  });
});
