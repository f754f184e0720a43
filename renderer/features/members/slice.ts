import type { Conflict, ConsoleError, MemberDetail, MemberSummary, Role } from '../../../server/console/contract';
import { call } from '../../api/call';
import { idle, loading, type Remote, settle } from '../../api/remote';
import type { Slice } from '../../app/store';

const PAGE = 200;

export interface MemberQuery {
  search: string;
  role: Role | 'none' | '';
  active: '' | 'true' | 'false';
}

export interface MembersSlice {
  memberQuery: MemberQuery;
  memberItems: MemberSummary[];
  memberTotal: number;
  membersStatus: 'idle' | 'loading' | 'ready' | 'error';
  membersError: ConsoleError | null;
  memberDetail: Remote<MemberDetail>;
  memberActionError: ConsoleError | null;
  conflicts: Remote<Conflict[]>;
  conflictError: ConsoleError | null;
  setMemberQuery(q: Partial<MemberQuery>): Promise<void>;
  loadMembers(): Promise<void>;
  loadMoreMembers(): Promise<void>;
  loadMember(id: string): Promise<void>;
  setMemberActive(id: string, active: boolean): Promise<void>;
  loadConflicts(): Promise<void>;
  /** Links; `replace` confirms re-pointing a member that already has another externalId. */
  linkConflict(id: number, replace?: boolean): Promise<boolean>;
  dismissConflict(id: number, reason: string): Promise<boolean>;
}

const paramsOf = (q: MemberQuery, offset: number) => ({
  ...(q.search.trim() ? { search: q.search.trim() } : {}),
  ...(q.role ? { role: q.role } : {}),
  ...(q.active ? { active: q.active === 'true' } : {}),
  offset,
  limit: PAGE,
});

export const createMembersSlice: Slice<MembersSlice> = (set, get) => ({
  memberQuery: { search: '', role: '', active: '' },
  memberItems: [],
  memberTotal: 0,
  membersStatus: 'idle',
  membersError: null,
  memberDetail: idle(),
  memberActionError: null,
  conflicts: idle(),
  conflictError: null,

  async setMemberQuery(q) {
    set({ memberQuery: { ...get().memberQuery, ...q } });
    await get().loadMembers();
  },

  async loadMembers() {
    const q = get().memberQuery;
    set({ membersStatus: 'loading', membersError: null });
    const r = await call('members.list', paramsOf(q, 0));
    if (get().memberQuery !== q) return;
    if (!r.ok) return set({ membersStatus: 'error', membersError: r.error });
    set({ memberItems: r.value.items, memberTotal: r.value.total, membersStatus: 'ready' });
  },

  async loadMoreMembers() {
    const { memberQuery: q, memberItems, memberTotal, membersStatus } = get();
    if (membersStatus === 'loading' || memberItems.length >= memberTotal) return;
    set({ membersStatus: 'loading' });
    const r = await call('members.list', paramsOf(q, memberItems.length));
    if (get().memberQuery !== q) return;
    if (!r.ok) return set({ membersStatus: 'error', membersError: r.error });
    set({ memberItems: [...get().memberItems, ...r.value.items], memberTotal: r.value.total, membersStatus: 'ready' });
  },

  async loadMember(id) {
    const prev = get().memberDetail;
    set({ memberDetail: loading(prev.data?.id === id ? prev : idle()), memberActionError: null });
    const r = await call('members.get', { id });
    set({ memberDetail: settle(get().memberDetail, r) });
  },

  async setMemberActive(id, active) {
    set({ memberActionError: null });
    const r = await call('members.setActive', { id, active });
    if (!r.ok) return set({ memberActionError: r.error });
    await get().loadMember(id);
    set({ memberItems: get().memberItems.map((m) => (m.id === id ? r.value : m)) });
  },

  async loadConflicts() {
    set({ conflicts: loading(get().conflicts) });
    const r = await call('conflicts.list', {});
    set({ conflicts: settle(get().conflicts, r) });
  },

  async linkConflict(id, replace = false) {
    set({ conflictError: null });
    const r = await call('conflicts.link', { conflictId: id, replace });
    if (!r.ok) {
      set({ conflictError: r.error });
      return false;
    }
    await Promise.all([get().loadConflicts(), get().loadMembers(), get().loadStatus()]);
    return true;
  },

  async dismissConflict(id, reason) {
    set({ conflictError: null });
    const r = await call('conflicts.dismiss', { conflictId: id, reason });
    if (!r.ok) {
      set({ conflictError: r.error });
      return false;
    }
    await Promise.all([get().loadConflicts(), get().loadStatus()]);
    return true;
  },
});
