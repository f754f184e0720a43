import type { TrafficPoint } from '../../../server/console/contract';
import { useNow } from '../../ui/RelativeTime';
import { clockTime } from '../../ui/time';

const CLASSES = [
  { key: 's2xx', label: '2xx', cls: 'c2' },
  { key: 's3xx', label: '3xx', cls: 'c3' },
  { key: 's4xx', label: '4xx', cls: 'c4' },
  { key: 's5xx', label: '5xx', cls: 'c5' },
] as const;

const W = 600;
const H = 140;

/** Stacked requests-per-minute bars, split by status class; plain SVG, no chart library. */
/** The last `minutes` whole minutes up to now, with zeros where the node saw no traffic. */
export function lastMinutes(points: TrafficPoint[], now: number, minutes: number): TrafficPoint[] {
  const byMinute = new Map(points.map((p) => [new Date(p.minute).toISOString().slice(0, 16), p]));
  const end = Math.floor(now / 60_000) * 60_000;
  const out: TrafficPoint[] = [];
  for (let t = end - (minutes - 1) * 60_000; t <= end; t += 60_000) {
    const key = new Date(t).toISOString().slice(0, 16);
    out.push(byMinute.get(key) ?? { minute: `${key}:00.000Z`, s2xx: 0, s3xx: 0, s4xx: 0, s5xx: 0 });
  }
  return out;
}

/**
 * The time axis: a label every 5 minutes plus the first and last minute, HH:MM in the viewer's zone.
 * HTML under the SVG rather than SVG text, which the chart's non-uniform scaling would stretch.
 */
function TimeAxis({ points }: { points: TrafficPoint[] }) {
  const n = points.length;
  return (
    <div className="chart-axis" data-testid="chart-axis">
      {points.map((p, i) => {
        const d = new Date(p.minute);
        const edge = i === 0 || i === n - 1;
        // A tick every 5 minutes, but not so near the first or last label that they collide.
        if (!edge && (d.getMinutes() % 5 !== 0 || i < 3 || i > n - 4)) return null;
        const label = d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', hour12: false });
        const left = `${((i + 0.5) / n) * 100}%`;
        const cls = i === 0 ? 'tick tick-first' : i === n - 1 ? 'tick tick-last' : 'tick';
        return (
          <time key={p.minute} className={cls} style={edge ? undefined : { left }} dateTime={p.minute}>
            {label}
          </time>
        );
      })}
    </div>
  );
}

export function TrafficChart({ points: raw, minutes = 30 }: { points: TrafficPoint[]; minutes?: number }) {
  const now = useNow();
  const points = lastMinutes(raw, Math.max(now, Date.now()), minutes);
  const totals = points.map((p) => p.s2xx + p.s3xx + p.s4xx + p.s5xx);
  const max = Math.max(1, ...totals);
  const slot = W / Math.max(points.length, 1);
  const bar = Math.max(2, slot - 3);
  const sum = totals.reduce((a, b) => a + b, 0);
  const last = totals[totals.length - 1] ?? 0;
  return (
    <figure className="chart">
      <svg
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-label={`Requests per minute over the last ${points.length} minutes: ${sum} in total, ${last} this minute`}
        preserveAspectRatio="none"
      >
        {points.map((p, i) => {
          let y = H;
          return (
            <g key={p.minute}>
              <title>{`${clockTime(p.minute)}: ${p.s2xx} 2xx, ${p.s3xx} 3xx, ${p.s4xx} 4xx, ${p.s5xx} 5xx`}</title>
              {CLASSES.map((c) => {
                const h = (p[c.key] / max) * (H - 4);
                y -= h;
                return h > 0 ? <rect key={c.key} className={`bar ${c.cls}`} x={i * slot} y={y} width={bar} height={h} /> : null;
              })}
            </g>
          );
        })}
      </svg>
      <TimeAxis points={points} />
      <figcaption className="legend">
        {CLASSES.map((c) => (
          <span key={c.key} className="legend-item">
            <span className={`swatch ${c.cls}`} aria-hidden="true" />
            {c.label}
          </span>
        ))}
        <span className="muted">peak {max}/min</span>
      </figcaption>
    </figure>
  );
}
