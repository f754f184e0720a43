import type { GroupMemberItem, GroupSummary } from '../console/contract.js';
import type { EventLogService } from '../events/events.js';
import type { Counts, MetricCounts, StatsRepo } from '../store/stats-repo.js';

/**
 * Read-only aggregates for the console overview, its group lists and the Prometheus gauges. Hosts
 * and handlers reach the statistics through this service, never through the repository.
 */
export class OverviewService {
  constructor(
    private readonly stats: StatsRepo,
    private readonly events: EventLogService,
    private readonly now: () => Date,
  ) {}

  counts(): Counts {
    return this.stats.counts(this.now().toISOString());
  }

  metricCounts(): MetricCounts {
    return this.stats.metricCounts(this.now().toISOString());
  }

  /** Requests per minute by status class over the last `minutes`, found by id (no index on time). */
  traffic(minutes: number): { minute: string; s2xx: number; s3xx: number; s4xx: number; s5xx: number }[] {
    const from = this.events.idAtTime(new Date(this.now().getTime() - minutes * 60_000).toISOString());
    return from === null ? [] : this.stats.traffic(from);
  }

  groups(search: string, limit: number, offset: number): { total: number; items: GroupSummary[] } {
    return this.stats.groups(search, limit, offset);
  }

  groupMembers(groupId: string, limit: number, offset: number): { total: number; items: GroupMemberItem[] } {
    return this.stats.groupMembers(groupId, limit, offset);
  }
}
