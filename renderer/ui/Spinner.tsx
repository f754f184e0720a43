export function Spinner({ label = 'Loading', small = false }: { label?: string; small?: boolean }) {
  return <span className={small ? 'spinner spinner-small' : 'spinner'} role="status" aria-label={label} />;
}

export function Loading({ what }: { what: string }) {
  return (
    <div className="state state-loading">
      <Spinner label={`Loading ${what}`} />
      <span>Loading {what}…</span>
    </div>
  );
}
