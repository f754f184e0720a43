// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setClient } from '../../renderer/api/call';
import { useStore } from '../../renderer/app/store';
import { DeliveriesScreen } from '../../renderer/features/deliveries/DeliveriesScreen';
import type { WebhookEndpointSummary } from '../../server/console/contract';
import { type FakeClient, fakeClient } from './fake-client';

const endpoint: WebhookEndpointSummary = {
  id: 'ep1',
  label: 'CRM',
  url: 'https://crm.example.com/hook',
  events: ['*'],
  status: 'failing',
  lastDeliveryAt: new Date().toISOString(),
  lastStatus: 500,
  pendingEvents: 12,
  lagSeconds: 340,
  deadLettered: 2,
  nextAttemptAt: null,
  attempts: 0,
};

let client: FakeClient;
const initial = useStore.getState();

beforeEach(() => {
  useStore.setState(initial, true);
  client = fakeClient();
  client.handle('deliveries.list', () => [endpoint]);
  client.handle('deliveries.attempts', () => [
    {
      id: 7,
      endpointId: 'ep1',
      eventId: 41,
      eventType: 'user.created',
      time: new Date().toISOString(),
      status: 500,
      latencyMs: 12,
      error: 'HTTP 500',
      responseExcerpt: 'upstream down',
    },
  ]);
  client.handle('deliveries.deadLetters', () => [
    {
      endpointId: 'ep1',
      eventId: 40,
      eventType: 'user.updated',
      deadAt: new Date().toISOString(),
      attempts: 30,
      lastError: 'HTTP 500',
      requeued: false,
    },
  ]);
  client.handle('deliveries.redeliver', () => ({ requeued: 2 }));
  client.handle('deliveries.add', (p) => ({
    endpoint: { ...endpoint, id: 'ep2', url: p.url, status: 'active' },
    secret: 'whsec_shown_once',
  }));
  setClient(client);
});

afterEach(() => {
  cleanup();
  setClient(null);
});

describe('Deliveries screen', () => {
  it('shows each endpoint with status and lag, its attempts with responses, and redelivers dead letters', async () => {
    render(<DeliveriesScreen />);
    await screen.findByText('CRM');
    expect(screen.getByText('failing')).toBeTruthy();
    expect(screen.getByText('12 events · 340 s')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'CRM' }));
    await screen.findByText('upstream down');
    expect(screen.getByText('#41 user.created')).toBeTruthy();
    expect(screen.getByText('#40 user.updated')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Redeliver dead letters' }));
    await waitFor(() => expect(client.calls.some((c) => c.method === 'deliveries.redeliver')).toBe(true));
    expect(client.calls.find((c) => c.method === 'deliveries.redeliver')?.params).toEqual({ id: 'ep1', deadLetters: true });
  });

  it('adds an endpoint and shows its secret once', async () => {
    render(<DeliveriesScreen />);
    await screen.findByText('CRM');
    fireEvent.change(screen.getByLabelText(/^URL/), { target: { value: 'https://billing.example.com/hook' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add endpoint' }));
    expect((await screen.findByTestId('webhook-secret')).textContent).toBe('whsec_shown_once');
    expect(client.calls.find((c) => c.method === 'deliveries.add')?.params).toEqual({
      url: 'https://billing.example.com/hook',
      events: undefined,
      label: undefined,
    });
    fireEvent.click(screen.getByRole('button', { name: 'Done' }));
    expect(screen.queryByTestId('webhook-secret')).toBeNull();
  });
});
