import type { Role } from '../../server/console/contract';

export function Badge({ tone = 'neutral', children }: { tone?: 'neutral' | 'ok' | 'warn' | 'bad' | 'info'; children: string | number }) {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}

export function RoleBadge({ role }: { role: Role | null }) {
  if (!role) return <span className="muted">no role</span>;
  return <Badge tone={role === 'admin' ? 'bad' : role === 'publisher' ? 'info' : 'neutral'}>{role}</Badge>;
}

export function StatusCode({ status }: { status: number | null }) {
  if (status === null) return <Badge>—</Badge>;
  const tone = status >= 500 ? 'bad' : status >= 400 ? 'warn' : status >= 300 ? 'info' : 'ok';
  return <Badge tone={tone}>{status}</Badge>;
}
