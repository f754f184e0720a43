import type { GroupMemberItem, GroupSummary } from '../../../server/console/contract';
import { call } from '../../api/call';
import { idle, loading, type Remote, settle } from '../../api/remote';
import type { Slice } from '../../app/store';

export const GROUP_PAGE = 50;
export const GROUP_MEMBER_PAGE = 25;

type Page<T> = { total: number; items: T[] };

export interface GroupsSlice {
  groupSearch: string;
  groupOffset: number;
  groups: Remote<Page<GroupSummary>>;
  selectedGroup: GroupSummary | null;
  groupMemberOffset: number;
  groupMembers: Remote<Page<GroupMemberItem>>;
  loadGroups(search?: string, offset?: number): Promise<void>;
  selectGroup(group: GroupSummary | null): Promise<void>;
  loadGroupMembers(offset: number): Promise<void>;
}

export const createGroupsSlice: Slice<GroupsSlice> = (set, get) => ({
  groupSearch: '',
  groupOffset: 0,
  groups: idle(),
  selectedGroup: null,
  groupMemberOffset: 0,
  groupMembers: idle(),

  async loadGroups(search = get().groupSearch, offset = 0) {
    set({ groupSearch: search, groupOffset: offset, groups: loading(get().groups) });
    const r = await call('groups.list', { ...(search.trim() ? { search: search.trim() } : {}), offset, limit: GROUP_PAGE });
    if (get().groupSearch !== search || get().groupOffset !== offset) return;
    set({ groups: settle(get().groups, r) });
  },

  async selectGroup(group) {
    set({ selectedGroup: group, groupMembers: idle(), groupMemberOffset: 0 });
    if (group) await get().loadGroupMembers(0);
  },

  async loadGroupMembers(offset) {
    const g = get().selectedGroup;
    if (!g) return;
    set({ groupMemberOffset: offset, groupMembers: loading(get().groupMembers) });
    const r = await call('groups.members', { id: g.id, offset, limit: GROUP_MEMBER_PAGE });
    if (get().selectedGroup !== g || get().groupMemberOffset !== offset) return;
    set({ groupMembers: settle(get().groupMembers, r) });
  },
});
