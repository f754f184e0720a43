import type { NodeStatus } from '../../server/console/contract';
import { call } from '../api/call';
import { idle, loading, type Remote, settle } from '../api/remote';
import { parseHash, type Route } from './routes';
import type { Slice } from './store';

export interface SessionSlice {
  sessionExpired: boolean;
  /** The browser never had a session here: say "not logged in", not "expired". */
  neverLoggedIn: boolean;
  route: Route;
  status: Remote<NodeStatus>;
  expireSession(why?: 'expired' | 'not-logged-in'): void;
  setRoute(route: Route): void;
  loadStatus(): Promise<void>;
}

export const createSessionSlice: Slice<SessionSlice> = (set, get) => ({
  sessionExpired: false,
  neverLoggedIn: false,
  route: typeof location === 'undefined' ? { screen: 'overview', param: null, query: {} } : parseHash(location.hash),
  status: idle(),
  expireSession: (why = 'expired') => set({ sessionExpired: true, neverLoggedIn: why === 'not-logged-in' }),
  setRoute: (route) => set({ route }),
  async loadStatus() {
    set({ status: loading(get().status) });
    const r = await call('node.status', {});
    set({ status: settle(get().status, r) });
  },
});
