import type { ConsoleError, CreatedOAuthSecret, OAuthClientSummary } from '../../../server/console/contract';
import { call } from '../../api/call';
import { idle, loading, type Remote, settle } from '../../api/remote';
import type { Slice } from '../../app/store';

export interface OAuthSlice {
  oauthClients: Remote<OAuthClientSummary[]>;
  /** A client secret just created or rotated: shown once, dropped when the dialog closes. */
  revealedSecret: CreatedOAuthSecret | null;
  oauthError: ConsoleError | null;
  loadOAuth(): Promise<void>;
  createOAuth(name: string): Promise<boolean>;
  rotateOAuth(id: string, graceHours: number | null): Promise<void>;
  revokeOAuth(id: string, secretId?: string): Promise<void>;
  dismissSecret(): void;
}

export const createOAuthSlice: Slice<OAuthSlice> = (set, get) => {
  /** Every change answers with the new state of the list; a failure stays on screen until the next action. */
  const after = async (r: { ok: true; value: unknown } | { ok: false; error: ConsoleError }, secret?: CreatedOAuthSecret) => {
    set({ oauthError: r.ok ? null : r.error, revealedSecret: secret ?? get().revealedSecret });
    await get().loadOAuth();
  };
  return {
    oauthClients: idle(),
    revealedSecret: null,
    oauthError: null,
    async loadOAuth() {
      set({ oauthClients: loading(get().oauthClients) });
      const r = await call('oauth.list', {});
      set({ oauthClients: settle(get().oauthClients, r) });
    },
    async createOAuth(name) {
      const r = await call('oauth.create', { name });
      await after(r, r.ok ? r.value : undefined);
      return r.ok;
    },
    async rotateOAuth(id, graceHours) {
      const r = await call('oauth.rotate', graceHours === null ? { id } : { id, graceHours });
      await after(r, r.ok ? r.value : undefined);
    },
    async revokeOAuth(id, secretId) {
      await after(await call('oauth.revoke', secretId ? { id, secretId } : { id }));
    },
    dismissSecret: () => set({ revealedSecret: null }),
  };
};
