import { describe, expect, it } from 'vitest';
import { type Harness, reportFailures, USER, useHarness } from './harness.js';

/**
 * Support investigations in the headless console (issue #17): from a failing request on the
 * overview to its bytes, headers and the member's timeline; deep links that survive a reload; a
 * token filter by label; an exact 409 filter in a time range; the health and OAuth screens.
 */
let h: Harness;
useHarness((started) => {
  h = started;
});

/** A create exactly as an IdP might format it: indented, with a quirk the dialect layer corrects. */
const PRETTY_CONFLICT = `{
  "schemas": ["${USER}"],
  "userName": "alice@example.com",
  "externalId": "00u2other",
  "active": "True"
}`;

describe('investigations', () => {
  reportFailures(
    () => h.serverLog.join('\n'),
    (name) => h.shot(name),
    'investigations-failed-',
  );
  const ids = { okta: '', entra: '', alice: '', conflictEvent: 0 };
  const tokens = { okta: '', entra: '' };

  it('seeds two IdPs, a member and a failing request, then logs in', async () => {
    const { server } = h;
    const okta = server.node.tokens.create({ label: 'Okta prod' });
    const entra = server.node.tokens.create({ label: 'Entra' });
    ids.okta = okta.id;
    ids.entra = entra.id;
    tokens.okta = okta.token;
    tokens.entra = entra.token;
    const made = await h.scim(tokens.okta, 'POST', '/Users', {
      schemas: [USER],
      userName: 'alice@example.com',
      externalId: '00u1alice',
      name: { givenName: 'Alice', familyName: 'Liddell' },
    });
    expect(made.status).toBe(201);
    ids.alice = String(made.body.id);
    expect((await h.scim(tokens.entra, 'GET', '/Users?count=1')).status).toBe(200);
    const clash = await fetch(`${server.scimUrl}/Users`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.okta}`, 'content-type': 'application/scim+json', 'user-agent': 'Okta SCIM Client 1.0' },
      body: PRETTY_CONFLICT,
    });
    expect(clash.status).toBe(409);
    await clash.arrayBuffer();
    const [conflict] = server.node.events.list({ statuses: [409] }).items;
    ids.conflictEvent = conflict?.id ?? 0;
    expect(ids.conflictEvent).toBeGreaterThan(0);

    await h.login();
    // The chart has a time axis.
    await h.page.getByTestId('chart-axis').locator('time').first().waitFor();
  });

  it('goes from a failing request on the overview to its bytes, headers and the member timeline in two clicks', async () => {
    const page = h.page;
    const errors = page.getByRole('region', { name: 'Recent errors' });
    // Click 1: the failing request opens beside the event list.
    await errors.getByRole('link', { name: new RegExp(`^Event ${ids.conflictEvent}: 409 POST`) }).click();
    const detail = page.getByRole('region', { name: `Event #${ids.conflictEvent}` });
    await detail.waitFor();
    expect(page.url()).toContain(`#/events/${ids.conflictEvent}`);
    // The exact bytes as received (raw, indentation and the "True" string kept), with the dialect note.
    const received = detail.getByRole('region', { name: 'Request body', exact: true });
    await expect(received.locator('pre').textContent()).resolves.toBe(PRETTY_CONFLICT);
    await detail.getByRole('note', { name: 'Dialect notes' }).getByText('active "True" read as true').waitFor();
    // Response headers as the IdP got them.
    const headers = detail.getByRole('table', { name: 'Response headers' });
    await headers.getByRole('cell', { name: 'content-type' }).waitFor();
    await headers.getByRole('cell', { name: 'application/scim+json; charset=utf-8' }).waitFor();
    const curl = (await detail.getByTestId('curl').textContent()) ?? '';
    expect(curl).toContain('"active": "True"');
    expect(curl).toContain('$SCIM_TOKEN');
    expect(curl).not.toContain(tokens.okta);
    await h.shot('20-event-wire-bytes');
    // The toggle shows the corrected body the node read.
    await detail.getByRole('button', { name: 'After dialect corrections' }).click();
    await detail.getByRole('region', { name: 'Request body after corrections' }).getByRole('button', { name: 'Raw' }).click();
    await detail.getByRole('region', { name: 'Request body after corrections' }).getByText('"active":true', { exact: false }).waitFor();
    // Click 2: the member's timeline, with the failed request on it.
    await detail.getByRole('link', { name: 'User timeline of alice@example.com' }).click();
    await page.getByRole('heading', { level: 1, name: 'alice@example.com' }).waitFor();
    const timeline = page.getByRole('table', { name: 'Timeline of alice@example.com' });
    await timeline.getByRole('row').filter({ hasText: '409' }).waitFor();
    await timeline.getByRole('row').filter({ hasText: '201' }).waitFor();
    await h.shot('21-member-timeline');
  });

  it('keeps a deep link through a reload, and Escape closes the detail', async () => {
    const page = h.page;
    const url = `${new URL(page.url()).origin}/#/events/${ids.conflictEvent}?status=409`;
    await page.goto(url);
    await page.getByRole('region', { name: `Event #${ids.conflictEvent}` }).waitFor();
    await page.reload();
    await page.getByRole('region', { name: `Event #${ids.conflictEvent}` }).waitFor();
    await expect(page.getByLabel('Status codes').inputValue()).resolves.toBe('409');
    const list = page.getByRole('listbox', { name: 'Events, newest first' });
    await expect.poll(() => list.getByRole('option').count()).toBe(1);
    await page.keyboard.press('Escape');
    await page.getByRole('region', { name: `Event #${ids.conflictEvent}` }).waitFor({ state: 'detached' });
    expect(page.url()).toMatch(/#\/events\?status=409$/);
    // A member's URL survives a reload too.
    await page.goto(`${new URL(page.url()).origin}/#/members/${ids.alice}`);
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'alice@example.com' }).waitFor();
  });

  it('filters by a token chosen by its label', async () => {
    const page = h.page;
    await h.go('Event log');
    await page.getByRole('button', { name: 'Clear' }).click();
    // The label wraps the select, so its text includes the options: match by prefix, not exactly.
    const token = page.getByRole('combobox', { name: /^Token/ });
    await token.locator('option', { hasText: 'Entra' }).waitFor({ state: 'attached' });
    const entra = h.server.node.tokens.list().find((t) => t.id === ids.entra);
    await token.selectOption({ label: `Entra (${entra?.prefix}…)` });
    await page.getByRole('button', { name: 'Apply' }).click();
    const list = page.getByRole('listbox', { name: 'Events, newest first' });
    await expect.poll(() => page.url()).toContain(`token=${ids.entra}`);
    await expect.poll(() => list.getByRole('option').count()).toBe(1);
    await list.getByRole('option').filter({ hasText: 'GET' }).waitFor();
    await h.shot('22-token-filter');
  });

  it('filters an exact 409 within a time range', async () => {
    const page = h.page;
    // Another failure in the range that is not a 409: the exact filter leaves it out.
    expect((await h.scim(tokens.okta, 'GET', '/Users/nope')).status).toBe(404);
    await page.getByRole('button', { name: 'Clear' }).click();
    await page.getByLabel('Status codes').fill('409');
    await page.getByLabel('Time range').selectOption({ label: 'Last 15 minutes' });
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => page.url()).toMatch(/status=409&since=\d{4}-/);
    const list = page.getByRole('listbox', { name: 'Events, newest first' });
    await expect.poll(() => list.getByRole('option').count()).toBe(1);
    await list.getByRole('option').filter({ hasText: '409' }).waitFor();
    // A range in the past with nothing in it empties the list and closes nothing it should not.
    await page.getByLabel('Time range').selectOption('custom');
    await page.getByLabel('From', { exact: true }).fill('2020-01-01T00:00');
    await page.getByLabel('To', { exact: true }).fill('2020-01-02T00:00');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByText('No events match').waitFor();
    await page.getByLabel('Time range').selectOption({ label: 'Last hour' });
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => list.getByRole('option').count()).toBe(1);
    await h.shot('23-exact-409-in-range');
  });

  it('shows provisioning health per IdP', async () => {
    const page = h.page;
    await h.go('Health');
    // One section per IdP: the Okta token's traffic, and the Entra token's.
    await page
      .getByRole('region', { name: /Okta prod/ })
      .first()
      .waitFor();
    await page.getByRole('region', { name: /Entra/ }).first().waitFor();
    // The 409 shows among the Okta token's top errors, linking to its newest event.
    const top = page.getByRole('table', { name: /Top errors of .*Okta prod/ });
    await top
      .getByRole('link', { name: new RegExp(`event #${ids.conflictEvent}`) })
      .first()
      .waitFor();
    await h.shot('24-health');
  });

  it('creates an OAuth client (secret once), rotates it with grace, and revokes it', async () => {
    const page = h.page;
    await h.go('OAuth clients');
    await page.getByLabel('Client name').fill('Okta OAuth');
    await page.getByRole('button', { name: 'Create client' }).click();
    const dialog = page.getByRole('dialog', { name: 'Client secret for Okta OAuth' });
    await dialog.getByText('You will not see this again.').waitFor();
    const secret = (await dialog.getByTestId('oauth-secret').textContent()) ?? '';
    expect(secret.length).toBeGreaterThan(20);
    await h.shot('25-oauth-secret-once');
    await dialog.getByRole('button', { name: 'I have copied it' }).click();
    await expect(page.getByTestId('oauth-secret').count()).resolves.toBe(0);
    const client = page.getByRole('region', { name: 'Okta OAuth' });
    await client.getByLabel('Grace hours for Okta OAuth').fill('12');
    await client.getByRole('button', { name: 'Rotate secret of Okta OAuth' }).click();
    await page.getByRole('dialog', { name: 'Client secret for Okta OAuth' }).getByRole('button', { name: 'I have copied it' }).click();
    const secrets = client.getByRole('table', { name: 'Secrets of Okta OAuth' });
    await expect.poll(() => secrets.getByRole('row').count()).toBe(3); // header + old (in grace) + new
    const [stored] = h.server.node.oauth.list();
    expect(stored?.secrets.filter((s) => s.expiresAt !== null)).toHaveLength(1);
    await h.shot('26-oauth-rotated');
    await client.getByRole('button', { name: 'Revoke client Okta OAuth' }).click();
    await client.getByText('revoked', { exact: true }).first().waitFor();
    expect(h.server.node.oauth.list()[0]?.state).toBe('revoked');
  });

  it('logged no console errors or warnings', () => {
    expect(h.problems).toEqual([]);
  });
});
