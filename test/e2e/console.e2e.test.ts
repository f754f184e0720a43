import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { newContext } from '../../server/events/request-context.js';
import { type RunningServer, serve } from '../../server/serve.js';

/**
 * Drives the headless console in Debian's Chromium against a real node: the renderer is built into a
 * temp dir, `serve()` starts SCIM plus the loopback console listener, and the browser logs in with
 * the one-time link. Any console error or warning in the page fails the run.
 */
const CHROMIUM = '/usr/bin/chromium';
const SHOTS = 'test-results/screenshots';
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

let tmp: string;
let server: RunningServer;
let browser: Browser;
let page: Page;
const problems: string[] = [];
/** The node's own log, printed when a step fails (an internal error in the UI is explained here). */
const serverLog: string[] = [];
/** Messages a step makes legitimate (the 401s after the session is dropped). */
const allowed: RegExp[] = [];

const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

async function scim(
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${server.scimUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json', 'user-agent': 'e2e-idp/1.0' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

async function go(name: string) {
  await page.getByRole('navigation', { name: 'Console sections' }).getByRole('link', { name, exact: true }).click();
  await page.getByRole('heading', { level: 1, name }).waitFor();
}

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

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('headless console', () => {
  beforeEach(({ task, onTestFailed }) => {
    onTestFailed(async () => {
      if (serverLog.length) console.error(`node log:\n${serverLog.join('\n')}`);
      await shot(`failed-${task.name.replace(/\W+/g, '-')}`).catch(() => {});
    });
  });
  let token = '';
  let aliceId = '';

  it('logs in with the one-time link and shows the overview', async () => {
    expect(server.loginUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/login\?code=/);
    await page.goto(server.loginUrl ?? '');
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    await expect(page.getByTestId('scim-url').textContent()).resolves.toBe(server.scimUrl);
    await page.getByText('Active tokens').waitFor();
    await page.getByRole('img', { name: /Requests per minute/ }).waitFor();
    await shot('01-overview');
  });

  it('creates a token, shows the secret once, and the token works for SCIM', async () => {
    await go('Tokens');
    await page.getByLabel('Label').fill('E2E IdP');
    await page.getByRole('button', { name: 'Create token' }).click();
    const dialog = page.getByRole('dialog', { name: /Token created/ });
    await dialog.getByText('You will not see this again.').waitFor();
    token = (await dialog.getByTestId('token-secret').textContent()) ?? '';
    expect(token.length).toBeGreaterThan(20);
    await shot('02-token-created');
    await dialog.getByRole('button', { name: 'I have copied it' }).click();
    await page.getByRole('cell', { name: /^E2E IdP/ }).waitFor();
    await expect(page.getByTestId('token-secret').count()).resolves.toBe(0);
    await shot('03-tokens');
  });

  it('shows a SCIM request live in the event log and opens its payloads', async () => {
    await go('Event log');
    await page.getByTestId('tail-state').filter({ hasText: 'Live' }).waitFor();
    const created = await scim(token, 'POST', '/Users', {
      schemas: [USER],
      userName: 'alice@example.com',
      externalId: 'okta-alice',
      name: { givenName: 'Alice', familyName: 'Liddell' },
      emails: [{ value: 'alice@example.com', primary: true }],
      active: true,
    });
    expect(created.status).toBe(201);
    aliceId = String(created.body.id);
    const list = page.getByRole('listbox', { name: 'Events, newest first' });
    const row = list.getByRole('option').filter({ hasText: 'POST' }).filter({ hasText: '/api/scim/v2/Users' });
    await row.waitFor();
    await row.click();
    const req = page.getByRole('region', { name: 'Request body' });
    await req.getByRole('list', { name: 'Request body JSON' }).getByText('"alice@example.com"').first().waitFor();
    await page.getByRole('region', { name: 'Response body' }).getByText(aliceId, { exact: false }).first().waitFor();
    await req.getByRole('button', { name: 'Raw' }).click();
    await req.locator('pre').getByText('"userName":"alice@example.com"', { exact: false }).waitFor();
    const curl = (await page.getByTestId('curl').textContent()) ?? '';
    expect(curl).toContain('curl -X POST');
    expect(curl).toContain('$SCIM_TOKEN');
    expect(curl).not.toContain(token);
    await shot('04-event-payloads');

    // An update shows a before/after diff.
    const patched = await scim(token, 'PATCH', `/Users/${aliceId}`, {
      schemas: [PATCH],
      Operations: [{ op: 'replace', path: 'name.givenName', value: 'Alicia' }],
    });
    expect(patched.status).toBe(200);
    const patchRow = list.getByRole('option').filter({ hasText: 'PATCH' });
    await patchRow.waitFor();
    await patchRow.click();
    const diff = page.getByRole('table', { name: 'Before and after' });
    await diff.getByText('Alicia', { exact: false }).waitFor();
    await shot('05-event-diff');

    // Filters narrow the list; clearing brings everything back.
    await page.getByLabel('Method').selectOption('PATCH');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => list.getByRole('option').count()).toBe(1);
    await page.getByRole('button', { name: 'Clear' }).click();
    await expect.poll(() => list.getByRole('option').count()).toBeGreaterThan(1);
  });

  it('previews a group mapping and saves it', async () => {
    const group = await scim(token, 'POST', '/Groups', { schemas: [GROUP], displayName: 'Engineering', members: [{ value: aliceId }] });
    expect(group.status).toBe(201);
    await go('Group mappings');
    await page.getByLabel('Group displayName').fill('Engineering');
    await page.getByRole('form', { name: 'Add mapping' }).getByLabel('Role').selectOption('admin');
    await page.getByRole('button', { name: 'Preview', exact: true }).click();
    const preview = page.getByRole('table', { name: 'Role changes if saved' });
    await preview.getByRole('cell', { name: 'alice@example.com' }).waitFor();
    await shot('06-mapping-preview');
    await page.getByRole('button', { name: 'Save mapping' }).click();
    await page.getByText(/Saved: Engineering → admin/).waitFor();
    await page.getByRole('table', { name: 'Group to role mappings' }).getByText('Engineering').waitFor();
    await shot('07-mappings');
  });

  it('links a provisioning conflict', async () => {
    server.node.members.add({ email: 'bob@example.com', displayName: 'Bob' }, newContext('e2e-admin', 'console'));
    const clash = await scim(token, 'POST', '/Users', {
      schemas: [USER],
      userName: 'bob@example.com',
      externalId: 'okta-bob',
      active: true,
    });
    expect(clash.status).toBeGreaterThanOrEqual(400);
    await go('Members');
    const queue = page.getByRole('region', { name: 'Conflict queue' });
    await queue.getByRole('cell', { name: 'okta-bob' }).waitFor();
    await shot('08-conflicts');
    await queue.getByRole('button', { name: 'Review conflict for bob@example.com' }).click();
    await page.getByRole('dialog', { name: 'Review conflict: bob@example.com' }).getByRole('button', { name: 'Link externalId' }).click();
    await queue.getByText('No conflicts waiting').waitFor();
    const members = page.getByRole('listbox', { name: 'Members' });
    await members.getByRole('option').filter({ hasText: 'okta-bob' }).waitFor();
  });

  it('opens a member: why this role, history, deactivate and reactivate', async () => {
    await page.getByLabel('Search members').fill('alice');
    const members = page.getByRole('listbox', { name: 'Members' });
    await expect.poll(() => members.getByRole('option').count()).toBe(1);
    await members.getByRole('option').first().click();
    await page.getByRole('heading', { level: 1, name: 'alice@example.com' }).waitFor();
    await expect(page.getByTestId('explain').textContent()).resolves.toMatch(/admin comes from group Engineering/);
    await page.getByRole('table', { name: 'Access history' }).waitFor();
    await shot('09-member-detail');
    await page.getByRole('button', { name: 'Deactivate' }).click();
    await page.getByRole('button', { name: 'Reactivate' }).click();
    await page.getByRole('button', { name: 'Deactivate' }).waitFor();
  });

  it('lists groups with their members and mapped role', async () => {
    await go('Groups');
    await page.getByRole('button', { name: 'Show members of Engineering' }).click();
    const members = page.getByRole('table', { name: 'Members of Engineering' });
    await members.getByText('alice@example.com').waitFor();
    await shot('10-groups');
  });

  it('runs the Okta simulator against this node and shows every step pass', async () => {
    await go('Test sync');
    await page.getByRole('button', { name: 'Run Okta simulation' }).click();
    const summary = page.getByTestId('sim-summary');
    await summary.waitFor({ timeout: 20_000 });
    await expect(summary.textContent()).resolves.toMatch(/okta against .*: \d+ passed, 0 failed/);
    const steps = page.getByRole('list', { name: 'Simulator steps' }).getByRole('listitem');
    expect(await steps.count()).toBeGreaterThan(3);
    await expect(page.getByRole('list', { name: 'Simulator steps' }).getByText('fail', { exact: true }).count()).resolves.toBe(0);
    await shot('11-test-sync');
  });

  it('edits settings, and writes listener changes to config.json for the next start', async () => {
    await go('Settings');
    const listener = page.getByRole('region', { name: 'Listener (applies on restart)' });
    await listener.getByText('127.0.0.1', { exact: true }).first().waitFor();
    const form = page.getByRole('form', { name: 'Event retention (days)' });
    await form.getByLabel('Keep events for (days)').fill('45');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.getByText('Saved').waitFor();
    expect(server.node.settings.get().eventRetentionDays).toBe(45);
    const lf = page.getByRole('form', { name: 'Listener' });
    // A certificate without its key is refused with a clear message and writes nothing.
    await lf.getByLabel('TLS certificate file').fill('/nonexistent/cert.pem');
    await lf.getByRole('button', { name: 'Save listener' }).click();
    await listener.getByText('set the TLS certificate and key together (or clear both)').waitFor();
    await lf.getByLabel('TLS certificate file').fill('');
    await lf.getByLabel('SCIM port').fill('17643');
    await lf.getByRole('button', { name: 'Save listener' }).click();
    await listener.getByText('Saved. Restart the node to apply the new listener.').waitFor();
    const written = JSON.parse(readFileSync(join(tmp, 'data', 'config.json'), 'utf8')) as Record<string, unknown>;
    expect(written).toMatchObject({ host: '127.0.0.1', port: 17643, tlsCert: null, tlsKey: null });
    await shot('12-settings');
  });

  it('returns to the overview with live counts and traffic', async () => {
    await go('Overview');
    await page.getByRole('img', { name: /Requests per minute over the last 30 minutes: [1-9]\d* in total/ }).waitFor();
    await shot('13-overview-after');
  });

  it('shows the session-expired screen when the session is gone', async () => {
    await page.context().clearCookies();
    allowed.push(/Failed to load resource: the server responded with a status of 401/);
    await page.getByRole('navigation', { name: 'Console sections' }).getByRole('link', { name: 'Tokens', exact: true }).click();
    await page.getByRole('heading', { name: 'Session expired' }).waitFor();
    await page.getByText('scimdesk console-link').waitFor();
    await shot('14-session-expired');
  });

  it('logged no console errors or warnings', () => {
    expect(problems).toEqual([]);
  });
});
