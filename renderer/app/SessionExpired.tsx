export function SessionExpired() {
  return (
    <main className="expired" aria-labelledby="expired-title">
      <div className="card expired-card">
        <h1 id="expired-title">Session expired</h1>
        <p>Your console session has ended. For a new one-time login link, run this on the server:</p>
        <pre className="code-block">scimdesk console-link</pre>
        <p className="muted">Then open the printed link in this browser.</p>
      </div>
    </main>
  );
}
