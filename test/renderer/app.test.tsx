// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setClient } from '../../renderer/api/call';
import { App } from '../../renderer/app/App';
import { useStore } from '../../renderer/app/store';
import type { NodeStatus } from '../../server/console/contract';
import { type FakeClient, fakeClient, summary } from './fake-client';

const status: NodeStatus = {
  scimUrl: 'http://127.0.0.1:7643/api/scim/v2',
  host: 'headless',
  version: '0.1.0',
  startedAt: new Date().toISOString(),
  dataDir: '/var/lib/scimdesk',
  users: 3,
  activeUsers: 2,
  groups: 1,
  activeTokens: 1,
  openConflicts: 2,
  unacknowledgedAlerts: 0,
};

let client: FakeClient;
const initial = useStore.getState();

beforeEach(async () => {
  location.hash = '';
  // Let the hashchange from the previous test's navigation fire before anything mounts.
  await new Promise((r) => setTimeout(r, 0));
  useStore.setState(initial, true);
  client = fakeClient();
  client.handle('node.status', () => status);
  client.handle('node.traffic', () => []);
  client.handle('alerts.list', () => []);
  client.handle('events.list', () => ({ items: [], nextCursor: null }));
  client.handle('mappings.list', () => ({
    mappings: [],
    warnings: [{ kind: 'missing', mapping: 'Admins', message: 'No group named "Admins" has been pushed' }],
    groupNames: ['Engineering'],
  }));
  setClient(client);
});

afterEach(() => {
  cleanup();
  setClient(null);
});

describe('App shell', () => {
  it('shows the overview with counts, conflicts waiting and mapping warnings', async () => {
    render(<App />);
    await screen.findByText(status.scimUrl);
    expect(screen.getByRole('navigation', { name: 'Console sections' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Overview' }).getAttribute('aria-current')).toBe('page');
    await screen.findByText(/2 provisioning conflicts waiting/);
    expect(screen.getByText(/No group named "Admins"/)).toBeTruthy();
    expect(screen.getByText('No failed requests')).toBeTruthy();
  });

  it('routes by hash and shows a live event pushed over the transport', async () => {
    render(<App />);
    await act(async () => {
      location.hash = '#/events';
      window.dispatchEvent(new HashChangeEvent('hashchange'));
    });
    await screen.findByText('No events match');
    await act(async () => {
      client.emit('events.appended', summary(1, { method: 'POST', status: 201, path: '/api/scim/v2/Users' }));
      await new Promise((r) => setTimeout(r, 40));
    });
    const list = await screen.findByRole('listbox', { name: 'Events, newest first' });
    const row = within(list).getByRole('option');
    expect(row.textContent).toContain('/api/scim/v2/Users');
    expect(row.textContent).toContain('201');
  });

  it('pauses the live tail when the list is scrolled and resumes at the newest row', async () => {
    client.handle('events.list', () => ({
      items: Array.from({ length: 40 }, (_, i) => ({ ...summary(40 - i), notes: [], changes: [] })),
      nextCursor: null,
    }));
    useStore.getState().setRoute({ screen: 'events', param: null, query: {} });
    render(<App />);
    const list = await screen.findByRole('listbox', { name: 'Events, newest first' });
    expect(screen.getByTestId('tail-state').textContent).toBe('Live');
    list.scrollTop = 320;
    fireEvent.scroll(list);
    expect(screen.getByTestId('tail-state').textContent).toBe('Paused');
    await act(async () => {
      client.emit('events.appended', summary(41));
      await new Promise((r) => setTimeout(r, 40));
    });
    expect(useStore.getState().eventRows[0]?.id).toBe(40);
    expect(screen.getByText(/Live tail paused · 1 new event\./)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Resume and jump to newest' }));
    expect(screen.getByTestId('tail-state').textContent).toBe('Live');
    expect(useStore.getState().eventRows[0]?.id).toBe(41);
  });

  it('shows real error states with a retry', async () => {
    client.handle('tokens.list', () => ({ ok: false, error: { code: 'internal', message: 'database is locked' } }));
    client.handle('tokens.hygiene', () => []);
    location.hash = '#/tokens';
    useStore.getState().setRoute({ screen: 'tokens', param: null, query: {} });
    render(<App />);
    await screen.findByText('Could not load tokens');
    expect(screen.getByText('database is locked')).toBeTruthy();
    client.handle('tokens.list', () => []);
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await screen.findByText('No tokens yet');
  });

  it('switches to the session-expired screen on an unauthorized answer', async () => {
    client.handle('node.status', () => ({ ok: false, error: { code: 'unauthorized', message: 'session expired' } }));
    render(<App />);
    await waitFor(() => expect(screen.getByRole('heading', { name: 'Session expired' })).toBeTruthy());
    expect(screen.getByText('scimdesk console-link')).toBeTruthy();
    expect(screen.queryByRole('navigation')).toBeNull();
  });
});
