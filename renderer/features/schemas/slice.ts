import type { DeclareOutcome, ExtensionSchema, UndeclaredAttribute } from '../../../server/console/contract';
import { call } from '../../api/call';
import { idle, loading, type Remote, settle } from '../../api/remote';
import type { Slice } from '../../app/store';

export interface SchemasSlice {
  extensions: Remote<ExtensionSchema[]>;
  undeclared: Remote<UndeclaredAttribute[]>;
  /** The declaration being edited, as JSON text (a proposal, a copy of a declared one, or typed). */
  draft: string;
  /** The last check or declare of the draft: violations when the data does not fit. */
  declared: Remote<DeclareOutcome>;
  loadSchemas(): Promise<void>;
  setDraft(text: string): void;
  /** The one-click "Declare": fills the draft with a declaration proposed from the values seen. */
  proposeFor(urn: string): Promise<void>;
  submitDraft(checkOnly: boolean): Promise<void>;
  removeExtension(urn: string): Promise<void>;
}

export const EMPTY_DRAFT = JSON.stringify(
  { id: 'urn:ietf:params:scim:schemas:extension:CustomExt:2.0:User', attributes: [{ name: 'costCenter', type: 'string' }] },
  null,
  2,
);

export const createSchemasSlice: Slice<SchemasSlice> = (set, get) => ({
  extensions: idle(),
  undeclared: idle(),
  draft: EMPTY_DRAFT,
  declared: idle(),

  async loadSchemas() {
    set({ extensions: loading(get().extensions), undeclared: loading(get().undeclared) });
    const [ext, seen] = await Promise.all([call('schemas.list', {}), call('schemas.undeclared', {})]);
    set({ extensions: settle(get().extensions, ext), undeclared: settle(get().undeclared, seen) });
  },

  setDraft(text) {
    set({ draft: text });
  },

  async proposeFor(urn) {
    const r = await call('schemas.propose', { urn });
    if (r.ok) set({ draft: JSON.stringify(r.value, null, 2), declared: idle() });
    else set({ declared: settle(get().declared, r) });
  },

  async submitDraft(checkOnly) {
    let declaration: unknown;
    try {
      declaration = JSON.parse(get().draft);
    } catch (e) {
      set({ declared: { status: 'error', data: null, error: { code: 'invalid', message: `not JSON: ${(e as Error).message}` } } });
      return;
    }
    set({ declared: loading(get().declared) });
    const r = await call('schemas.declare', { declaration, ...(checkOnly ? { checkOnly: true } : {}) });
    set({ declared: settle(get().declared, r) });
    if (r.ok && r.value.applied) await get().loadSchemas();
  },

  async removeExtension(urn) {
    const r = await call('schemas.remove', { urn });
    if (!r.ok) set({ extensions: settle(get().extensions, r) });
    await get().loadSchemas();
  },
});
