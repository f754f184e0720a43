import type { WebhookEndpointSummary } from '../../../server/console/contract';
import { useStore } from '../../app/store';
import { StatusCode } from '../../ui/Badge';
import { Button } from '../../ui/Button';
import { EmptyState } from '../../ui/EmptyState';
import { RelativeTime } from '../../ui/RelativeTime';
import { RemoteView } from '../../ui/RemoteView';
import { Section } from '../../ui/Section';
import { Table } from '../../ui/Table';

/** Recent attempts with the answer each got, and the dead letters with "redeliver". */
export function EndpointDetail({ endpoint }: { endpoint: WebhookEndpointSummary }) {
  const attempts = useStore((s) => s.attempts);
  const dead = useStore((s) => s.deadLetters);
  const redeliver = useStore((s) => s.redeliverDeadLetters);
  const reload = () => void useStore.getState().selectEndpoint(endpoint.id);
  return (
    <>
      <Section title={`Recent attempts · ${endpoint.label}`}>
        <RemoteView remote={attempts} what="attempts" retry={reload}>
          {(list) =>
            list.length === 0 ? (
              <EmptyState title="No attempts yet">Deliveries and tests appear here with the answer they got.</EmptyState>
            ) : (
              <Table caption="Recent delivery attempts" head={['When', 'Event', 'Status', 'Latency', 'Response']}>
                {list.map((a) => (
                  <tr key={a.id}>
                    <td>
                      <RelativeTime iso={a.time} compact />
                    </td>
                    <td className="mono">{a.eventId === 0 ? 'ping' : `#${a.eventId} ${a.eventType}`}</td>
                    <td>
                      <StatusCode status={a.status} />
                    </td>
                    <td>{a.latencyMs} ms</td>
                    <td className="mono muted">{a.error && a.status === null ? a.error : (a.responseExcerpt ?? '')}</td>
                  </tr>
                ))}
              </Table>
            )
          }
        </RemoteView>
      </Section>
      <Section
        title="Dead letters"
        actions={
          <Button disabled={endpoint.deadLettered === 0} onClick={() => void redeliver(endpoint.id)}>
            Redeliver dead letters
          </Button>
        }
      >
        <RemoteView remote={dead} what="dead letters" retry={reload}>
          {(list) =>
            list.length === 0 ? (
              <EmptyState title="No dead letters">Events the endpoint never accepted within the retry window land here.</EmptyState>
            ) : (
              <Table caption="Dead-lettered events" head={['Event', 'Gave up', 'Attempts', 'Last error', 'State']}>
                {list.map((d) => (
                  <tr key={d.eventId}>
                    <td className="mono">
                      #{d.eventId} {d.eventType}
                    </td>
                    <td>
                      <RelativeTime iso={d.deadAt} compact />
                    </td>
                    <td>{d.attempts}</td>
                    <td className="mono muted">{d.lastError ?? ''}</td>
                    <td>{d.requeued ? 'queued for redelivery' : 'dead'}</td>
                  </tr>
                ))}
              </Table>
            )
          }
        </RemoteView>
      </Section>
    </>
  );
}
