import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';

/**
 * The console scenario both transports run: the headless console over HTTP + SSE
 * (console.e2e.test.ts) and the desktop console over the preload's IPC bridge
 * (console-ipc.e2e.test.ts). Same clicks, same assertions, so a break in either transport shows.
 */
export const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

export interface Transport {
  page(): Page;
  scimUrl(): string;
  shot(name: string): Promise<unknown>;
  /** Clicks Export JSONL and returns what the admin gets: a download over HTTP, the chosen file over IPC. */
  exportJsonl(): Promise<string>;
}

export interface ScenarioState {
  token: string;
  aliceId: string;
}

export async function scimCall(
  scimUrl: string,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${scimUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json', 'user-agent': 'e2e-idp/1.0' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

export async function go(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Console sections' }).getByRole('link', { name, exact: true }).click();
  await page.getByRole('heading', { level: 1, name }).waitFor();
}

/** Registers the shared steps as tests in the calling describe block; later steps read the state. */
export function consoleScenario(t: Transport): ScenarioState {
  const state: ScenarioState = { token: '', aliceId: '' };
  const scim = (method: string, path: string, body?: unknown) => scimCall(t.scimUrl(), state.token, method, path, body);

  it('creates a token, shows the secret once, and the token works for SCIM', async () => {
    const page = t.page();
    await go(page, 'Tokens');
    await page.getByLabel('Label').fill('E2E IdP');
    await page.getByRole('button', { name: 'Create token' }).click();
    const dialog = page.getByRole('dialog', { name: /Token created/ });
    await dialog.getByText('You will not see this again.').waitFor();
    state.token = (await dialog.getByTestId('token-secret').textContent()) ?? '';
    expect(state.token.length).toBeGreaterThan(20);
    await t.shot('02-token-created');
    await dialog.getByRole('button', { name: 'I have copied it' }).click();
    await page.getByRole('cell', { name: /^E2E IdP/ }).waitFor();
    await expect(page.getByTestId('token-secret').count()).resolves.toBe(0);
    expect((await scim('GET', '/Users')).status).toBe(200);
    await t.shot('03-tokens');
  });

  it('shows a SCIM request live in the event log (pushed) and opens its payloads', async () => {
    const page = t.page();
    await go(page, 'Event log');
    await page.getByTestId('tail-state').filter({ hasText: 'Live' }).waitFor();
    const created = await scim('POST', '/Users', {
      schemas: [USER],
      userName: 'alice@example.com',
      externalId: 'okta-alice',
      name: { givenName: 'Alice', familyName: 'Liddell' },
      emails: [{ value: 'alice@example.com', primary: true }],
      active: true,
    });
    expect(created.status).toBe(201);
    state.aliceId = String(created.body.id);
    const list = page.getByRole('listbox', { name: 'Events, newest first' });
    const row = list.getByRole('option').filter({ hasText: 'POST' }).filter({ hasText: '/api/scim/v2/Users' });
    await row.waitFor();
    await row.click();
    const req = page.getByRole('region', { name: 'Request body' });
    await req.getByRole('list', { name: 'Request body JSON' }).getByText('"alice@example.com"').first().waitFor();
    await page.getByRole('region', { name: 'Response body' }).getByText(state.aliceId, { exact: false }).first().waitFor();
    await req.getByRole('button', { name: 'Raw' }).click();
    await req.locator('pre').getByText('"userName":"alice@example.com"', { exact: false }).waitFor();
    const curl = (await page.getByTestId('curl').textContent()) ?? '';
    expect(curl).toContain('curl -X POST');
    expect(curl).toContain('$SCIM_TOKEN');
    expect(curl).not.toContain(state.token);
    await t.shot('04-event-payloads');

    // An update shows a before/after diff.
    const patched = await scim('PATCH', `/Users/${state.aliceId}`, {
      schemas: [PATCH],
      Operations: [{ op: 'replace', path: 'name.givenName', value: 'Alicia' }],
    });
    expect(patched.status).toBe(200);
    const patchRow = list.getByRole('option').filter({ hasText: 'PATCH' });
    await patchRow.waitFor();
    await patchRow.click();
    await page.getByRole('table', { name: 'Before and after' }).getByText('Alicia', { exact: false }).waitFor();
    await t.shot('05-event-diff');

    // Filters narrow the list; clearing brings everything back.
    await page.getByLabel('Method').selectOption('PATCH');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => list.getByRole('option').count()).toBe(1);
    await page.getByRole('button', { name: 'Clear' }).click();
    await expect.poll(() => list.getByRole('option').count()).toBeGreaterThan(1);
  });

  it('exports the event log as JSON Lines', async () => {
    const text = await t.exportJsonl();
    const rows = text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { method: string; path: string; status: number });
    expect(rows.length).toBeGreaterThanOrEqual(3);
    expect(rows).toContainEqual(expect.objectContaining({ method: 'POST', path: '/api/scim/v2/Users', status: 201 }));
    expect(rows).toContainEqual(expect.objectContaining({ method: 'PATCH', status: 200 }));
    expect(text).not.toContain(state.token);
  });

  it('previews a group mapping and saves it', async () => {
    const page = t.page();
    const group = await scim('POST', '/Groups', { schemas: [GROUP], displayName: 'Engineering', members: [{ value: state.aliceId }] });
    expect(group.status).toBe(201);
    await go(page, 'Group mappings');
    await page.getByLabel('Group displayName').fill('Engineering');
    await page.getByRole('form', { name: 'Add mapping' }).getByLabel('Role').selectOption('admin');
    await page.getByRole('button', { name: 'Preview', exact: true }).click();
    const preview = page.getByRole('table', { name: 'Role changes if saved' });
    await preview.getByRole('cell', { name: 'alice@example.com' }).waitFor();
    await t.shot('06-mapping-preview');
    await page.getByRole('button', { name: 'Save mapping' }).click();
    await page.getByText(/Saved: Engineering → admin/).waitFor();
    await page.getByRole('table', { name: 'Group to role mappings' }).getByText('Engineering').waitFor();
    await t.shot('07-mappings');
  });

  return state;
}
