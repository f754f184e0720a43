import express, { type Express } from 'express';
import { DIRECTORY_BASE_PATH, type DirectoryRouterDeps, directoryRouter } from './directory-router.js';
import { OAUTH_BASE_PATH, type OAuthRouterDeps, oauthRouter } from './oauth-router.js';
import { SCIM_BASE_PATH, type ScimRouterDeps, scimRouter } from './scim-router.js';

export interface ScimAppDeps {
  /** Read on every request: the trusted-proxy setting can change while the node runs. */
  trustProxy: () => boolean;
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
  // Behind a reverse proxy (opt-in setting), the client address is the one the proxy reports: only
  // the nearest hop is trusted, so a client cannot spoof its address with its own X-Forwarded-For.
  app.set('trust proxy', (_addr: string, hop: number) => hop === 0 && d.trustProxy());
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
