/** The headless console without a session: ended ("Session expired"), or never started ("Not logged in"). */
export function SessionExpired({ neverLoggedIn = false }: { neverLoggedIn?: boolean }) {
  return (
    <main className="expired" aria-labelledby="expired-title">
      <div className="card expired-card">
        <h1 id="expired-title">{neverLoggedIn ? 'Not logged in' : 'Session expired'}</h1>
        <p>
          {neverLoggedIn
            ? 'The console opens with a one-time login link. To get one, run this on the server:'
            : 'Your console session has ended. For a new one-time login link, run this on the server:'}
        </p>
        <pre className="code-block">scimdesk console-link</pre>
        <p className="muted">Then open the printed link in this browser.</p>
      </div>
    </main>
  );
}
