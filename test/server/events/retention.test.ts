import { describe, expect, it } from 'vitest';
import { startRetention } from '../../../server/events/retention.js';
import { DEFAULT_SETTINGS, type Settings } from '../../../server/settings/settings.js';
import type { NewEvent } from '../../../server/store/events-repo.js';
import { syntheticEvent } from '../../helpers/events.js';
import { testNode } from '../../helpers/node.js';

const event = (time: string, body = 'x'.repeat(1000)): NewEvent => syntheticEvent({ time, requestBody: body });

/** A timer that fires only when the test says so: no sleeping. */
function manualTimer() {
  let tick: (() => void) | null = null;
  return {
    every: (fn: () => void) => {
      tick = fn;
      return { stop: () => (tick = null) };
    },
    fire: () => tick?.(),
  };
}

describe('retention (issue #15.4)', () => {
  it('keeps applying the age limit after an idle pass', async () => {
    const t = await testNode();
    let now = new Date('2026-01-01T00:00:00Z');
    const timer = manualTimer();
    const settings = (): Settings => ({ ...DEFAULT_SETTINGS, eventRetentionDays: 1 });
    const r = startRetention(t.node.events, settings, { now: () => now, every: timer.every });
    // The first pass finds nothing to do: it must not leave the loop stuck.
    expect(await r.runOnce()).toBe(0);
    t.repos.events.insert(event('2026-01-01T00:00:00Z'));
    t.repos.events.insert(event('2026-01-01T00:00:00Z'));
    now = new Date('2026-01-03T00:00:00Z');
    expect(await r.runOnce()).toBe(2);
    t.repos.events.insert(event('2026-01-03T00:00:00Z'));
    now = new Date('2026-01-05T00:00:00Z');
    timer.fire();
    await new Promise((res) => setImmediate(res));
    expect(t.node.events.list().items).toEqual([]);
    r.stop();
  });

  it('budgets the event tables only, not the directory beside them', async () => {
    const t = await testNode();
    // A directory far larger than the event budget: ~3 MB of users.
    const insertUser = t.db.prepare(
      "INSERT INTO users (id, user_name, data, created, last_modified, version, active) VALUES (?, ?, ?, '', '', 1, 1)",
    );
    t.db.transaction(() => {
      for (let i = 0; i < 1500; i++) insertUser.run(`u${i}`, `u${i}@example.com`, JSON.stringify({ pad: 'y'.repeat(2000) }));
    })();
    const now = new Date();
    for (let i = 0; i < 20; i++) t.repos.events.insert(event(now.toISOString()));
    const settings = (): Settings => ({ ...DEFAULT_SETTINGS, eventRetentionMaxMb: 1 });
    const timer = manualTimer();
    const r = startRetention(t.node.events, settings, { now: () => now, every: timer.every });
    expect(await r.runOnce()).toBe(0);
    expect(t.node.events.list().items).toHaveLength(20);
    // Over the budget, the oldest go until the event tables fit.
    for (let i = 0; i < 1200; i++) t.repos.events.insert(event(now.toISOString()));
    const pruned = await r.runOnce();
    expect(pruned).toBeGreaterThan(0);
    expect(t.repos.events.eventBytes()).toBeLessThanOrEqual(1024 * 1024);
    expect(t.repos.events.approxRows()).toBeGreaterThan(500);
    r.stop();
  });
});
