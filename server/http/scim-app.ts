import express, { type Express, type Request } from 'express';
import { clientAddress, proxyList } from './client-address.js';
import { DIRECTORY_BASE_PATH, type DirectoryRouterDeps, directoryRouter } from './directory-router.js';
import { OAUTH_BASE_PATH, type OAuthRouterDeps, oauthRouter } from './oauth-router.js';
import { SCIM_BASE_PATH, type ScimRouterDeps, scimRouter } from './scim-router.js';

export interface ScimAppDeps {
  /** Read on every request: the trusted-proxy setting (addresses/CIDRs) can change while the node runs. */
  trustProxy: () => readonly string[];
  /** Answers when the database does; throws when it does not. */
  ping: () => void;
  oauth: OAuthRouterDeps;
  scim: ScimRouterDeps;
  /** The read API and change feed for applications, under app tokens only. */
  directory: DirectoryRouterDeps;
}

/** The express app an IdP talks to: /healthz, the OAuth token endpoint and the SCIM API. */
export function scimApp(d: ScimAppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');
  // `req.ip` for this app is the validated client address (see clientAddress): X-Forwarded-For counts
  // only from a configured proxy. Express reads `ip` from the app's request prototype, so every
  // consumer (request log, OAuth throttle, token allowlist) sees the same answer.
  Object.defineProperty(app.request, 'ip', {
    configurable: true,
    enumerable: true,
    get(this: Request) {
      const forwarded = this.headers['x-forwarded-for'];
      return clientAddress(this.socket.remoteAddress, typeof forwarded === 'string' ? forwarded : undefined, proxyList(d.trustProxy()));
    },
  });
  // The SCIM API first: it carries nearly all of the traffic.
  app.use(SCIM_BASE_PATH, scimRouter(d.scim));
  // Liveness for load balancers and service managers: unauthenticated, and it reveals nothing.
  app.get('/healthz', (_req, res) => {
    try {
      d.ping();
      res.status(200).json({ status: 'ok' });
    } catch {
      res.status(503).json({ status: 'unavailable' });
    }
  });
  // The OAuth token endpoint sits beside the SCIM API, outside its bearer guard.
  app.use(OAUTH_BASE_PATH, oauthRouter(d.oauth));
  app.use(DIRECTORY_BASE_PATH, directoryRouter(d.directory));
  return app;
}
