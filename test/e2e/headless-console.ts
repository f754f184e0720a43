import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { type RunningServer, serve } from '../../server/serve.js';

/**
 * The headless console in Debian's Chromium against a real node, for the E2E files that drive it:
 * the renderer is built into a temp dir, `serve()` starts SCIM plus the loopback console listener.
 * Registers its own beforeAll/afterAll; any console error or warning in the page is collected in
 * `problems` (a file ends with a test that expects it empty).
 */
const CHROMIUM = '/usr/bin/chromium';
export const SHOTS = 'test-results/screenshots';

export interface HeadlessConsole {
  readonly tmp: string;
  readonly server: RunningServer;
  readonly page: Page;
  readonly problems: string[];
  /** Messages a step makes legitimate (the 401s after the session is dropped). */
  readonly allowed: RegExp[];
  shot(name: string): Promise<unknown>;
}

export function headlessConsole(): HeadlessConsole {
  let tmp = '';
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let page: Page | undefined;
  const problems: string[] = [];
  const allowed: RegExp[] = [];
  /** The node's own log, printed when a step fails (an internal error in the UI is explained here). */
  const serverLog: string[] = [];
  const need = <T>(v: T | undefined, what: string): T => {
    if (v === undefined) throw new Error(`${what} is not up yet`);
    return v;
  };
  const h: HeadlessConsole = {
    get tmp() {
      return tmp;
    },
    get server() {
      return need(server, 'the node');
    },
    get page() {
      return need(page, 'the browser page');
    },
    problems,
    allowed,
    shot: (name) => need(page, 'the browser page').screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true }),
  };

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`Chromium not found at ${CHROMIUM}: install it with \`apt-get install -y chromium\` (CI does this in .ci/run)`);
    }
    mkdirSync(SHOTS, { recursive: true });
    tmp = mkdtempSync(join(tmpdir(), 'scimdesk-e2e-'));
    const staticDir = join(tmp, 'renderer');
    // A private build, so this suite never races another test that reads dist/renderer.
    await build({ configFile: 'vite.config.ts', logLevel: 'warn', build: { outDir: staticDir, emptyOutDir: true } });
    server = await serve(
      { dataDir: join(tmp, 'data'), host: '127.0.0.1', port: 0, consolePort: 0 },
      { log: (msg, err) => serverLog.push(`${msg}${err instanceof Error ? `: ${err.stack ?? err.message}` : ''}`) },
      staticDir,
    );
    browser = await chromium.launch({
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
    page = await context.newPage();
    page.setDefaultTimeout(8000);
    page.on('console', (msg) => {
      if (msg.type() !== 'error' && msg.type() !== 'warning') return;
      const text = `${msg.type()}: ${msg.text()}`;
      if (!allowed.some((re) => re.test(text))) problems.push(text);
    });
    page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  }, 60_000);

  beforeEach(({ task, onTestFailed }) => {
    onTestFailed(async () => {
      if (serverLog.length) console.error(`node log:\n${serverLog.join('\n')}`);
      await h.shot(`failed-${task.name.replace(/\W+/g, '-')}`).catch(() => {});
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  return h;
}
