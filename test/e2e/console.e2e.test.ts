import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { newContext } from '../../server/events/request-context.js';
import { consoleScenario, go, scimCall, USER } from './console-scenario.js';
import { headlessConsole } from './headless-console.js';

/**
 * Drives the headless console in Debian's Chromium against a real node (headless-console.ts builds
 * the renderer, starts the node and logs the browser's problems). The browser logs in with the
 * one-time link. Any console error or warning in the page fails the run.
 */
const h = headlessConsole();

describe('headless console', () => {
  // Read at each step: the node and the page exist once beforeAll has run.
  const { problems, allowed } = h;
  const shot = (name: string) => h.shot(name);
  it('logs in with the one-time link and shows the overview', async () => {
    expect(h.server.loginUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/login\?code=/);
    await h.page.goto(h.server.loginUrl ?? '');
    await h.page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    await expect(h.page.getByTestId('scim-url').textContent()).resolves.toBe(h.server.scimUrl);
    await h.page.getByText('Active tokens').waitFor();
    await h.page.getByRole('img', { name: /Requests per minute/ }).waitFor();
    await shot('01-overview');
  });

  const state = consoleScenario({
    page: () => h.page,
    scimUrl: () => h.server.scimUrl,
    shot,
    async exportJsonl() {
      await go(h.page, 'Event log');
      const [download] = await Promise.all([h.page.waitForEvent('download'), h.page.getByRole('button', { name: 'Export JSONL' }).click()]);
      await h.page.getByText('Download of JSONL started').waitFor();
      return readFileSync((await download.path()) ?? '', 'utf8');
    },
  });
  const scim = (method: string, path: string, body?: unknown) => scimCall(h.server.scimUrl, state.token, method, path, body);

  it('links a provisioning conflict', async () => {
    h.server.node.members.add({ email: 'bob@example.com', displayName: 'Bob' }, newContext('e2e-admin', 'console'));
    const clash = await scim('POST', '/Users', {
      schemas: [USER],
      userName: 'bob@example.com',
      externalId: 'okta-bob',
      active: true,
    });
    expect(clash.status).toBeGreaterThanOrEqual(400);
    await go(h.page, 'Members');
    const queue = h.page.getByRole('region', { name: 'Conflict queue' });
    await queue.getByRole('cell', { name: 'okta-bob' }).waitFor();
    await shot('08-conflicts');
    await queue.getByRole('button', { name: 'Link externalId for bob@example.com' }).click();
    await queue.getByText('No conflicts waiting').waitFor();
    const members = h.page.getByRole('listbox', { name: 'Members' });
    await members.getByRole('option').filter({ hasText: 'okta-bob' }).waitFor();
  });

  it('opens a member: why this role, history, deactivate and reactivate', async () => {
    await h.page.getByLabel('Search members').fill('alice');
    const members = h.page.getByRole('listbox', { name: 'Members' });
    await expect.poll(() => members.getByRole('option').count()).toBe(1);
    await members.getByRole('option').first().click();
    await h.page.getByRole('heading', { level: 1, name: 'alice@example.com' }).waitFor();
    await expect(h.page.getByTestId('explain').textContent()).resolves.toMatch(/admin comes from group Engineering/);
    await h.page.getByRole('table', { name: 'Access history' }).waitFor();
    await shot('09-member-detail');
    await h.page.getByRole('button', { name: 'Deactivate' }).click();
    await h.page.getByRole('button', { name: 'Reactivate' }).click();
    await h.page.getByRole('button', { name: 'Deactivate' }).waitFor();
  });

  it('lists groups with their members and mapped role', async () => {
    await go(h.page, 'Groups');
    await h.page.getByRole('button', { name: 'Show members of Engineering' }).click();
    const members = h.page.getByRole('table', { name: 'Members of Engineering' });
    await members.getByText('alice@example.com').waitFor();
    await shot('10-groups');
  });

  it('runs the Okta simulator against this node and shows every step pass', async () => {
    await go(h.page, 'Test sync');
    await h.page.getByRole('button', { name: 'Run Okta simulation' }).click();
    const summary = h.page.getByTestId('sim-summary');
    await summary.waitFor({ timeout: 20_000 });
    await expect(summary.textContent()).resolves.toMatch(/okta against .*: \d+ passed, 0 failed/);
    const steps = h.page.getByRole('list', { name: 'Simulator steps' }).getByRole('listitem');
    expect(await steps.count()).toBeGreaterThan(3);
    await expect(h.page.getByRole('list', { name: 'Simulator steps' }).getByText('fail', { exact: true }).count()).resolves.toBe(0);
    await shot('11-test-sync');
  });

  it('edits settings, and writes listener changes to config.json for the next start', async () => {
    await go(h.page, 'Settings');
    // One form, one Save: run-time settings apply at once, the listener says it needs a restart.
    const form = h.page.getByRole('form', { name: 'Settings' });
    const listener = form.getByRole('region', { name: 'Listener (restart to apply)' });
    await listener.getByText('127.0.0.1', { exact: true }).first().waitFor();
    await form.getByLabel('Keep events for (days)').fill('45');
    await form.getByRole('button', { name: 'Save settings' }).click();
    await form.getByText('Saved. The changes apply now.').waitFor();
    expect(h.server.node.settings.get().eventRetentionDays).toBe(45);
    // A certificate without its key is refused with a clear message and writes nothing.
    await listener.getByLabel('TLS certificate file').fill('/nonexistent/cert.pem');
    await form.getByRole('button', { name: 'Save settings' }).click();
    await listener.getByText('tlsCert must be set together with tlsKey (or both cleared)', { exact: false }).waitFor();
    await listener.getByLabel('TLS certificate file').fill('');
    await listener.getByLabel('SCIM port').fill('17643');
    await form.getByRole('button', { name: 'Save settings' }).click();
    await form.getByText('Saved. Provisioning settings apply now; restart the node to apply the new listener.').waitFor();
    const written = JSON.parse(readFileSync(join(h.tmp, 'data', 'config.json'), 'utf8')) as Record<string, unknown>;
    expect(written).toMatchObject({ host: '127.0.0.1', port: 17643, tlsCert: null, tlsKey: null });
    await shot('12-settings');
  });

  it('returns to the overview with live counts and traffic', async () => {
    await go(h.page, 'Overview');
    await h.page.getByRole('img', { name: /Requests per minute over the last 30 minutes: [1-9]\d* in total/ }).waitFor();
    await shot('13-overview-after');
  });

  it('shows the session-expired screen when the session is gone', async () => {
    await h.page.context().clearCookies();
    allowed.push(/Failed to load resource: the server responded with a status of 401/);
    await h.page.getByRole('navigation', { name: 'Console sections' }).getByRole('link', { name: 'Tokens', exact: true }).click();
    await h.page.getByRole('heading', { name: 'Session expired' }).waitFor();
    await h.page.getByText('scimdesk console-link').waitFor();
    await shot('14-session-expired');
  });

  it('logged no console errors or warnings', () => {
    expect(problems).toEqual([]);
  });
});
