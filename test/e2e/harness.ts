import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { build } from 'vite';
import { type RunningServer, serve } from '../../server/serve.js';

/**
 * One headless console in Debian's Chromium against a real node, for an E2E file: the renderer is
 * built into a temp dir, `serve()` starts SCIM plus the loopback console listener, and `login()`
 * uses the one-time link. Console errors and warnings are collected in `problems` (a file asserts
 * it is empty at the end); `allowed` lists messages a step makes legitimate.
 */
export const CHROMIUM = '/usr/bin/chromium';
export const SHOTS = 'test-results/screenshots';
export const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';

export interface Harness {
  server: RunningServer;
  browser: Browser;
  page: Page;
  problems: string[];
  allowed: RegExp[];
  serverLog: string[];
  shot(name: string): Promise<Buffer>;
  scim(token: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }>;
  /** Opens a console section from the sidebar and waits for its heading. */
  go(name: string): Promise<void>;
  login(): Promise<void>;
  stop(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: install it with \`apt-get install -y chromium\` (CI does this in .ci/run)`);
  }
  mkdirSync(SHOTS, { recursive: true });
  const tmp = mkdtempSync(join(tmpdir(), 'scimdesk-e2e-'));
  const staticDir = join(tmp, 'renderer');
  // A private build, so this suite never races another test that reads dist/renderer.
  await build({ configFile: 'vite.config.ts', logLevel: 'warn', build: { outDir: staticDir, emptyOutDir: true } });
  const serverLog: string[] = [];
  const server = await serve(
    { dataDir: join(tmp, 'data'), host: '127.0.0.1', port: 0, consolePort: 0 },
    { log: (msg, err) => serverLog.push(`${msg}${err instanceof Error ? `: ${err.stack ?? err.message}` : ''}`) },
    staticDir,
  );
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const context = await browser.newContext({ viewport: { width: 1360, height: 900 }, colorScheme: 'light' });
  const page = await context.newPage();
  page.setDefaultTimeout(8000);
  const problems: string[] = [];
  const allowed: RegExp[] = [];
  page.on('console', (msg) => {
    if (msg.type() !== 'error' && msg.type() !== 'warning') return;
    const text = `${msg.type()}: ${msg.text()}`;
    if (!allowed.some((re) => re.test(text))) problems.push(text);
  });
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  return {
    server,
    browser,
    page,
    problems,
    allowed,
    serverLog,
    shot: (name) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true }),
    async scim(token, method, path, body) {
      const res = await fetch(`${server.scimUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json', 'user-agent': 'e2e-idp/1.0' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
    },
    async go(name) {
      // A section link's name may carry a count badge ("Members 2").
      const link = new RegExp(`^${name}( \\d+)?$`);
      await page.getByRole('navigation', { name: 'Console sections' }).getByRole('link', { name: link }).click();
      await page.getByRole('heading', { level: 1, name }).waitFor();
    },
    async login() {
      await page.goto(server.loginUrl ?? '');
      await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    },
    async stop() {
      await browser.close();
      await server.stop();
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}
