import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { type Express, type Request, type Response } from 'express';
import type { Registry } from 'prom-client';
import type { ConsoleAuth, ConsoleSession } from '../auth/console-auth.js';
import { CONSOLE_CSP } from '../console/csp.js';
import { type ConsoleHandlers, invokeConsole } from '../console/handlers.js';
import { CONSOLE_EVENTS, isConsoleMethod } from '../console/methods.js';
import { ConsoleInputError, parseParams } from '../console/params.js';
import type { Bus } from '../events/bus.js';
import type { EventLogService } from '../events/events.js';
import { bearerOf, consoleError, consoleErrors, cookies, loopbackHostOnly, sameSecret } from './console-guard.js';

export interface ConsoleBridgeDeps {
  handlers: ConsoleHandlers;
  auth: ConsoleAuth;
  bus: Bus;
  events: EventLogService;
  /** The built renderer (dist/renderer); absent in a checkout that has not been built. */
  staticDir: string;
  /**
   * Prometheus metrics, for a console session or a scraper presenting the data dir's scrape token
   * (`file` is named in the 401 so an admin knows where to look); token labels are not public.
   */
  metrics?: { registry: Registry; token: string; file: string };
  log: (msg: string, err?: unknown) => void;
}

const SESSION_COOKIE = 'scimdesk_session';
const CSRF_COOKIE = 'scimdesk_csrf';

const unauthorized = (res: Response, message = 'not logged in: run `scimdesk console-link` for a login link') =>
  consoleError(res, 401, 'unauthorized', message);

/**
 * The headless console: the React app plus the HTTP form of the console contract
 * (`POST /api/console/call/<method>`, an SSE push stream, and the event export as a download),
 * behind a one-time login. Served only on the loopback console listener.
 */
export function consoleBridge(d: ConsoleBridgeDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(loopbackHostOnly());
  app.use((_req, res, next) => {
    res.setHeader('Content-Security-Policy', CONSOLE_CSP);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    next();
  });

  const sessionOf = (req: Request): ConsoleSession | undefined => d.auth.session(cookies(req)[SESSION_COOKIE]);

  if (d.metrics) {
    const { registry, token, file } = d.metrics;
    app.get('/metrics', async (req, res) => {
      if (!sessionOf(req) && !sameSecret(bearerOf(req), token))
        return unauthorized(res, `send "Authorization: Bearer <token>" with the token from ${file}`);
      res.setHeader('Content-Type', registry.contentType);
      res.send(await registry.metrics());
    });
  }

  // A browser that sends a session cookie the node no longer knows had a session: it expired. One
  // that sends none never logged in here, and is told so (not "expired").
  const signedOut = (req: Request, res: Response) =>
    cookies(req)[SESSION_COOKIE]
      ? unauthorized(res, 'session expired: run `scimdesk console-link` for a new login link')
      : unauthorized(res);

  app.get('/login', (req, res) => {
    const code = typeof req.query.code === 'string' ? req.query.code : '';
    const login = code ? d.auth.login(code) : undefined;
    if (!login) {
      res
        .status(401)
        .type('text/plain')
        .send('This login link has expired or was already used. Run `scimdesk console-link` for a new one.\n');
      return;
    }
    const maxAge = d.auth.remainingSeconds(login.session);
    res.setHeader('Set-Cookie', [
      `${SESSION_COOKIE}=${login.sessionId}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${maxAge}`,
      `${CSRF_COOKIE}=${login.session.csrf}; SameSite=Strict; Path=/; Max-Age=${maxAge}`,
    ]);
    res.redirect(303, '/');
  });

  app.get('/api/console/session', (req, res) => {
    res.json({ authenticated: sessionOf(req) !== undefined });
  });

  // Ends the session server-side (the cookie alone would survive until Max-Age) and clears both cookies.
  app.post('/api/console/logout', (req, res) => {
    const id = cookies(req)[SESSION_COOKIE];
    const session = d.auth.session(id);
    if (!session) return unauthorized(res);
    if (!d.auth.csrfOk(session, req.get('x-csrf-token'))) return unauthorized(res, 'missing or wrong X-CSRF-Token header');
    d.auth.logout(id);
    res.setHeader('Set-Cookie', [
      `${SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0`,
      `${CSRF_COOKIE}=; SameSite=Strict; Path=/; Max-Age=0`,
    ]);
    res.json({ ok: true, value: null });
  });

  app.post('/api/console/call/:method', express.json({ limit: '1mb' }), async (req, res) => {
    const session = sessionOf(req);
    if (!session) return signedOut(req, res);
    if (!d.auth.csrfOk(session, req.get('x-csrf-token'))) return unauthorized(res, 'missing or wrong X-CSRF-Token header');
    const method = req.params.method;
    if (!isConsoleMethod(method)) {
      res.status(404).json({ ok: false, error: { code: 'not-found', message: `no console method "${method}"` } });
      return;
    }
    res.json(await invokeConsole(d.handlers, method, req.body, d.log));
  });

  app.get('/api/console/stream', (req, res) => {
    if (!sessionOf(req)) return unauthorized(res);
    res.writeHead(200, {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-cache',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.write(': connected\n\n');
    // A slow browser must never slow SCIM: when the socket's buffer is full we drop events and
    // tell the client how many, instead of queueing without bound.
    let blocked = false;
    let dropped = 0;
    const send = (event: string, data: unknown) => {
      if (blocked) {
        dropped++;
        return;
      }
      if (!res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`)) {
        blocked = true;
        res.once('drain', () => {
          blocked = false;
          if (dropped) res.write(`event: dropped\ndata: ${JSON.stringify({ count: dropped })}\n\n`);
          dropped = 0;
        });
      }
    };
    const offs = CONSOLE_EVENTS.map((name) => d.bus.on(name, (payload) => send(name, payload)));
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), 25_000);
    req.on('close', () => {
      clearInterval(heartbeat);
      for (const off of offs) off();
    });
  });

  app.get('/api/console/export', async (req, res) => {
    if (!sessionOf(req)) return unauthorized(res);
    // The download takes the same parameters as `events.export`, checked by the same schema.
    let params: ReturnType<typeof parseParams<'events.export'>>;
    try {
      const filter = typeof req.query.filter === 'string' && req.query.filter ? JSON.parse(req.query.filter) : undefined;
      params = parseParams('events.export', { format: req.query.format, filter });
    } catch (e) {
      const error =
        e instanceof ConsoleInputError ? { message: e.message, field: e.field } : { message: 'filter must be JSON', field: 'filter' };
      res.status(400).json({ ok: false, error: { code: 'invalid', ...error } });
      return;
    }
    const { filter, format } = params;
    res.setHeader('Content-Type', format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="scimdesk-events.${format}"`);
    await d.events.export(filter, format, (chunk) =>
      res.write(chunk) ? undefined : new Promise<void>((resolve) => res.once('drain', () => resolve())),
    );
    res.end();
  });

  app.all('/api/{*rest}', (_req, res) => {
    res.status(404).json({ ok: false, error: { code: 'not-found', message: 'no such console endpoint' } });
  });

  if (existsSync(join(d.staticDir, 'index.html'))) {
    app.use(express.static(d.staticDir, { index: 'index.html', maxAge: '1h' }));
    // The console is a single-page app: unknown paths get the shell.
    app.get('/{*splat}', (_req, res) => res.sendFile(join(d.staticDir, 'index.html')));
  } else {
    app.get('/{*splat}', (_req, res) => {
      res.status(503).type('text/plain').send('The console is not built in this checkout: run `npm run build`, then restart.\n');
    });
  }
  app.use(consoleErrors(d.log));
  return app;
}
