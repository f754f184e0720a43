import { randomUUID } from 'node:crypto';
import type { TokenService } from '../auth/tokens.js';
import type { SimStep, SimSummary } from '../console/contract.js';
import type { Bus } from '../events/bus.js';
import { type Idp, runSimulation, type Target } from './engine.js';

/**
 * Test sync from the console: replays an IdP's documented flow against a SCIM endpoint and pushes
 * each step on the bus as it finishes (`simulate.step`), so the console shows the run live.
 */
export class SimulateService {
  constructor(
    private readonly tokens: TokenService,
    private readonly bus: Bus,
    /** Writes queued exchanges, so the last request's token usage lands before the token goes. */
    private readonly flushEvents: () => void = () => {},
  ) {}

  /**
   * Runs against `target`, or against this node (at `selfUrl`) when `target` is null. Against this
   * node the run uses a short-lived token of its own, flagged `simulated`: every request made with it
   * is labelled in the event log and left out of alarms, health, hygiene and the conflict queue, and
   * the token is deleted (not revoked) afterwards. The flows delete the users and groups they create.
   */
  async run(idp: Idp, target: Target | null, selfUrl: string): Promise<SimSummary> {
    const temp = target ? null : this.tokens.create({ label: `Test sync (${idp})`, expiresInMs: 3_600_000, simulated: true });
    const to: Target = target ?? { url: selfUrl, token: temp?.token ?? '' };
    const runId = randomUUID();
    const steps: SimStep[] = [];
    try {
      const summary = await runSimulation({
        idp,
        target: to,
        onStep: (r) => {
          const step: SimStep = {
            runId,
            index: steps.length,
            name: r.name,
            method: r.method,
            path: r.path,
            status: r.status || null,
            ok: r.ok,
            detail: r.detail,
            requestId: r.requestId ?? null,
          };
          steps.push(step);
          this.bus.emit('simulate.step', step);
        },
      });
      return { runId, idp, target: to.url, passed: summary.passed, failed: summary.failed, steps };
    } finally {
      if (temp) {
        this.flushEvents();
        this.tokens.remove(temp.id);
      }
    }
  }
}
