import type { ConsoleError, ConsoleResult, CreatedToken, HygieneEntry, ParamsOf, TokenListItem } from '../../../server/console/contract';
import { call } from '../../api/call';
import { idle, loading, type Remote, settle } from '../../api/remote';
import type { Slice } from '../../app/store';

export interface Rotation {
  oldId: string;
  oldLabel: string;
  step: 'confirm' | 'created' | 'tested' | 'done';
  created: CreatedToken | null;
  test: { ok: boolean; status: number; detail: string } | null;
  busy: boolean;
  error: ConsoleError | null;
}

export interface TokensSlice {
  tokens: Remote<TokenListItem[]>;
  hygiene: Remote<HygieneEntry[]>;
  /** The secret of a token just created; shown once, dropped when the dialog closes. */
  revealedToken: CreatedToken | null;
  rotation: Rotation | null;
  loadTokens(): Promise<void>;
  createToken(params: ParamsOf<'tokens.create'>): Promise<ConsoleResult<CreatedToken>>;
  dismissRevealed(): void;
  revokeToken(id: string): Promise<ConsoleResult<{ revoked: boolean }>>;
  startRotation(id: string, label: string): void;
  rotateCreate(graceHours: number): Promise<void>;
  rotateTest(): Promise<void>;
  rotateRevokeOld(): Promise<void>;
  endRotation(): void;
}

export const createTokensSlice: Slice<TokensSlice> = (set, get) => {
  const patchRotation = (p: Partial<Rotation>) => {
    const r = get().rotation;
    if (r) set({ rotation: { ...r, ...p } });
  };
  return {
    tokens: idle(),
    hygiene: idle(),
    revealedToken: null,
    rotation: null,

    async loadTokens() {
      set({ tokens: loading(get().tokens), hygiene: loading(get().hygiene) });
      const [list, hygiene] = await Promise.all([call('tokens.list', {}), call('tokens.hygiene', {})]);
      set({ tokens: settle(get().tokens, list), hygiene: settle(get().hygiene, hygiene) });
    },

    async createToken(params) {
      const r = await call('tokens.create', params);
      if (r.ok) {
        set({ revealedToken: r.value });
        void get().loadTokens();
      }
      return r;
    },

    dismissRevealed: () => set({ revealedToken: null }),

    async revokeToken(id) {
      const r = await call('tokens.revoke', { id });
      if (r.ok) void get().loadTokens();
      return r;
    },

    startRotation: (oldId, oldLabel) =>
      set({ rotation: { oldId, oldLabel, step: 'confirm', created: null, test: null, busy: false, error: null } }),

    async rotateCreate(graceHours) {
      const rot = get().rotation;
      if (!rot) return;
      patchRotation({ busy: true, error: null });
      const r = await call('tokens.rotate', { id: rot.oldId, graceHours });
      if (!r.ok) return patchRotation({ busy: false, error: r.error });
      patchRotation({ busy: false, created: r.value, step: 'created' });
      void get().loadTokens();
    },

    async rotateTest() {
      const rot = get().rotation;
      if (!rot?.created) return;
      patchRotation({ busy: true, error: null });
      const r = await call('tokens.test', { token: rot.created.token });
      if (!r.ok) return patchRotation({ busy: false, error: r.error });
      patchRotation({ busy: false, test: r.value, step: r.value.ok ? 'tested' : 'created' });
    },

    async rotateRevokeOld() {
      const rot = get().rotation;
      if (!rot) return;
      patchRotation({ busy: true, error: null });
      const r = await call('tokens.revoke', { id: rot.oldId });
      if (!r.ok) return patchRotation({ busy: false, error: r.error });
      patchRotation({ busy: false, step: 'done' });
      void get().loadTokens();
    },

    endRotation: () => set({ rotation: null }),
  };
};
