import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { type RunningServer, serve } from '../../server/serve.js';
import { scimCall } from './console-scenario.js';

/**
 * One headless console in Debian's Chromium against a real node, for an E2E file: the renderer is
 * built into a temp dir, `serve()` starts SCIM plus the loopback console listener, and `login()`
 * uses the one-time link. Console errors and warnings are collected in `problems` (a file asserts
 * it is empty at the end); `allowed` lists messages a step makes legitimate. The desktop E2E file
 * uses the browser part alone (`launchConsoleBrowser`).
 */
export const CHROMIUM = '/usr/bin/chromium';
export const SHOTS = 'test-results/screenshots';
export { GROUP, USER } from './console-scenario.js';

/** Fails before any build when Debian's Chromium is missing, saying how to install it. */
export function requireChromium(): void {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: install it with \`apt-get install -y chromium\` (CI does this in .ci/run)`);
  }
}

export interface ConsoleBrowser {
  browser: Browser;
  page: Page;
  /** Console errors and warnings, and page errors, that no entry of `allowed` matches. */
  problems: string[];
  allowed: RegExp[];
}

/** Chromium with one 1360×900 light-scheme page whose console problems are collected. */
export async function launchConsoleBrowser(extraArgs: readonly string[] = []): Promise<ConsoleBrowser> {
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
      ...extraArgs,
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
  return { browser, page, problems, allowed };
}

/** A full-page screenshot of the page as `<dir>/<name>.png`. */
export const screenshot = (page: () => Page, dir: string) => (name: string) =>
  page().screenshot({ path: join(dir, `${name}.png`), fullPage: true });

/**
 * Registers, in the calling describe block, what a failed test leaves behind: the node's log on
 * stderr (an internal error in the UI is explained there) and a screenshot named after the test.
 */
export function reportFailures(nodeLog: () => string, shot: (name: string) => Promise<unknown>, prefix = 'failed-'): void {
  beforeEach(({ task, onTestFailed }) => {
    onTestFailed(async () => {
      const log = nodeLog();
      if (log) console.error(`node log:\n${log}`);
      await shot(`${prefix}${task.name.replace(/\W+/g, '-')}`).catch(() => {});
    });
  });
}

export interface Harness extends ConsoleBrowser {
  server: RunningServer;
  /** The node's data dir (config.json is written here). */
  dataDir: string;
  serverLog: string[];
  shot(name: string): Promise<Buffer>;
  scim(token: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }>;
  /** Opens a console section from the sidebar and waits for its heading. */
  go(name: string): Promise<void>;
  login(): Promise<void>;
  stop(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  requireChromium();
  mkdirSync(SHOTS, { recursive: true });
  const tmp = mkdtempSync(join(tmpdir(), 'scimdesk-e2e-'));
  const staticDir = join(tmp, 'renderer');
  const dataDir = join(tmp, 'data');
  // A private build, so this suite never races another test that reads dist/renderer.
  await build({ configFile: 'vite.config.ts', logLevel: 'warn', build: { outDir: staticDir, emptyOutDir: true } });
  const serverLog: string[] = [];
  const server = await serve(
    { dataDir, host: '127.0.0.1', port: 0, consolePort: 0 },
    { log: (msg, err) => serverLog.push(`${msg}${err instanceof Error ? `: ${err.stack ?? err.message}` : ''}`) },
    staticDir,
  );
  const { browser, page, problems, allowed } = await launchConsoleBrowser();
  return {
    server,
    dataDir,
    browser,
    page,
    problems,
    allowed,
    serverLog,
    shot: screenshot(() => page, SHOTS),
    scim: (token, method, path, body) => scimCall(server.scimUrl, token, method, path, body),
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

/**
 * Starts a harness before the calling file's tests and stops it after them; `started` receives it
 * (a file keeps it in its own `let`, since the harness exists only once `beforeAll` has run).
 */
export function useHarness(started: (h: Harness) => void): void {
  let h: Harness | undefined;
  beforeAll(async () => {
    h = await startHarness();
    started(h);
  }, 60_000);
  afterAll(async () => {
    await h?.stop();
  });
}
