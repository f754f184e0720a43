import { create, type StateCreator } from 'zustand';
import { createDeliveriesSlice, type DeliveriesSlice } from '../features/deliveries/slice';
import { createEventsSlice, type EventsSlice } from '../features/events/slice';
import { createGroupsSlice, type GroupsSlice } from '../features/groups/slice';
import { createHealthSlice, type HealthSlice } from '../features/health/slice';
import { createMappingsSlice, type MappingsSlice } from '../features/mappings/slice';
import { createMembersSlice, type MembersSlice } from '../features/members/slice';
import { createOAuthSlice, type OAuthSlice } from '../features/oauth/slice';
import { createOverviewSlice, type OverviewSlice } from '../features/overview/slice';
import { createSchemasSlice, type SchemasSlice } from '../features/schemas/slice';
import { createSettingsSlice, type SettingsSlice } from '../features/settings/slice';
import { createSimulateSlice, type SimulateSlice } from '../features/simulate/slice';
import { createTokensSlice, type TokensSlice } from '../features/tokens/slice';
import { createSessionSlice, type SessionSlice } from './session-slice';
import { createTimelineSlice, type TimelineSlice } from './timeline-slice';

export type AppState = SessionSlice &
  OverviewSlice &
  TokensSlice &
  MappingsSlice &
  MembersSlice &
  GroupsSlice &
  SchemasSlice &
  EventsSlice &
  SimulateSlice &
  SettingsSlice &
  HealthSlice &
  OAuthSlice &
  TimelineSlice &
  DeliveriesSlice;

/** A feature slice: its state and the actions beside it, seeing the whole store through get(). */
export type Slice<T> = StateCreator<AppState, [], [], T>;

export const createAppStore = () =>
  create<AppState>()((...a) => ({
    ...createSessionSlice(...a),
    ...createOverviewSlice(...a),
    ...createTokensSlice(...a),
    ...createMappingsSlice(...a),
    ...createMembersSlice(...a),
    ...createGroupsSlice(...a),
    ...createSchemasSlice(...a),
    ...createEventsSlice(...a),
    ...createSimulateSlice(...a),
    ...createSettingsSlice(...a),
    ...createHealthSlice(...a),
    ...createOAuthSlice(...a),
    ...createTimelineSlice(...a),
    ...createDeliveriesSlice(...a),
  }));

/** The one store for the window. */
export const useStore = createAppStore();
