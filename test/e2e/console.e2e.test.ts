import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { newContext } from '../../server/events/request-context.js';
import type { RunningServer } from '../../server/serve.js';
import { consoleScenario, go, scimCall, USER } from './console-scenario.js';
import { type Harness, reportFailures, useHarness } from './harness.js';

/**
 * Drives the headless console in Debian's Chromium against a real node (test/e2e/harness.ts): the
 * renderer is built into a temp dir, `serve()` starts SCIM plus the loopback console listener, and
 * the browser logs in with the one-time link. Any console error or warning in the page fails the run.
 */
let h: Harness;
let server: RunningServer;
let page: Page;

const shot = (name: string) => h.shot(name);

useHarness((started) => {
  h = started;
  ({ server, page } = started);
});

describe('headless console', () => {
  // The node's own log is printed when a step fails (an internal error in the UI is explained there).
  reportFailures(() => h.serverLog.join('\n'), shot);
  it('logs in with the one-time link and shows the overview', async () => {
    expect(server.loginUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/login\?code=/);
    await page.goto(server.loginUrl ?? '');
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    await expect(page.getByTestId('scim-url').textContent()).resolves.toBe(server.scimUrl);
    await page.getByText('Active tokens').waitFor();
    await page.getByRole('img', { name: /Requests per minute/ }).waitFor();
    await shot('01-overview');
  });

  const state = consoleScenario({
    page: () => page,
    scimUrl: () => server.scimUrl,
    shot,
    async exportJsonl() {
      await go(page, 'Event log');
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export JSONL' }).click()]);
      await page.getByText('Download of JSONL started').waitFor();
      return readFileSync((await download.path()) ?? '', 'utf8');
    },
  });
  const scim = (method: string, path: string, body?: unknown) => scimCall(server.scimUrl, state.token, method, path, body);

  it('links a provisioning conflict', async () => {
    server.node.members.add({ email: 'bob@example.com', displayName: 'Bob' }, newContext('e2e-admin', 'console'));
    const clash = await scim('POST', '/Users', {
      schemas: [USER],
      userName: 'bob@example.com',
      externalId: 'okta-bob',
      active: true,
    });
    expect(clash.status).toBeGreaterThanOrEqual(400);
    await go(page, 'Members');
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
    await go(page, 'Groups');
    await page.getByRole('button', { name: 'Show members of Engineering' }).click();
    const members = page.getByRole('table', { name: 'Members of Engineering' });
    await members.getByText('alice@example.com').waitFor();
    await shot('10-groups');
  });

  it('runs the Okta simulator against this node and shows every step pass', async () => {
    await go(page, 'Test sync');
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
    await go(page, 'Settings');
    // One form, one Save: run-time settings apply at once, the listener says it needs a restart.
    const form = page.getByRole('form', { name: 'Settings' });
    const listener = form.getByRole('region', { name: 'Listener (restart to apply)' });
    await listener.getByText('127.0.0.1', { exact: true }).first().waitFor();
    await form.getByLabel('Keep events for (days)').fill('45');
    await form.getByRole('button', { name: 'Save settings' }).click();
    await form.getByText('Saved. The changes apply now.').waitFor();
    expect(server.node.settings.get().eventRetentionDays).toBe(45);
    // A certificate without its key is refused with a clear message and writes nothing.
    await listener.getByLabel('TLS certificate file').fill('/nonexistent/cert.pem');
    await form.getByRole('button', { name: 'Save settings' }).click();
    await listener.getByText('tlsCert must be set together with tlsKey (or both cleared)', { exact: false }).waitFor();
    await listener.getByLabel('TLS certificate file').fill('');
    await listener.getByLabel('SCIM port').fill('17643');
    await form.getByRole('button', { name: 'Save settings' }).click();
    await form.getByText('Saved. Provisioning settings apply now; restart the node to apply the new listener.').waitFor();
    const written = JSON.parse(readFileSync(join(h.dataDir, 'config.json'), 'utf8')) as Record<string, unknown>;
    expect(written).toMatchObject({ host: '127.0.0.1', port: 17643, tlsCert: null, tlsKey: null });
    await shot('12-settings');
  });

  it('returns to the overview with live counts and traffic', async () => {
    await go(page, 'Overview');
    await page.getByRole('img', { name: /Requests per minute over the last 30 minutes: [1-9]\d* in total/ }).waitFor();
    await shot('13-overview-after');
  });

  it('shows the session-expired screen when the session is gone', async () => {
    await page.context().clearCookies();
    h.allowed.push(/Failed to load resource: the server responded with a status of 401/);
    await page.getByRole('navigation', { name: 'Console sections' }).getByRole('link', { name: 'Tokens', exact: true }).click();
    await page.getByRole('heading', { name: 'Session expired' }).waitFor();
    await page.getByText('scimdesk console-link').waitFor();
    await shot('14-session-expired');
  });

  it('logged no console errors or warnings', () => {
    expect(h.problems).toEqual([]);
  });
});
