import { hrefOf, SCREENS } from './routes';
import { useStore } from './store';

function NodeState() {
  const status = useStore((s) => s.status);
  if (status.status === 'error' && !status.data) return <p className="node-state node-state-bad">Node unreachable</p>;
  if (!status.data) return <p className="node-state">Connecting…</p>;
  return (
    <p className="node-state node-state-ok" title={status.data.scimUrl}>
      <span className="dot" aria-hidden="true" /> Running · {status.data.host} · v{status.data.version}
    </p>
  );
}

export function Sidebar() {
  const current = useStore((s) => s.route.screen);
  const conflicts = useStore((s) => s.status.data?.openConflicts ?? 0);
  return (
    <nav className="sidebar" aria-label="Console sections">
      <div className="brand">SCIM Desk</div>
      <NodeState />
      <ul>
        {SCREENS.map((s) => (
          <li key={s.id}>
            <a href={hrefOf(s.id)} aria-current={current === s.id ? 'page' : undefined} className="nav-link">
              {s.title}
              {s.id === 'members' && conflicts > 0 ? (
                <span className="nav-count" title={`${conflicts} conflicts waiting`}>
                  {conflicts}
                </span>
              ) : null}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
