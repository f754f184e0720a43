/**
 * Runs a shared IdP flow (server/simulate/flows) as one vitest test per step against a fresh node,
 * requiring SCIM Desk's exact status, the step's body checks and exactly the dialect notes the
 * step lists (none when it lists none), read back from the event log by X-Request-Id.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCIM_BASE_PATH } from '../../server/http/scim-router.js';
import { type ScimNode, startNode } from '../../server/node.js';
import { executeStep, fill, type Target } from '../../server/simulate/engine.js';
import type { Flow, Vars } from '../../server/simulate/step.js';

export interface Replay {
  node: () => ScimNode;
  target: () => Target;
}

async function notesOf(node: ScimNode, requestId: string): Promise<string[] | undefined> {
  // The event is queued when the response finishes, which can trail the client's read by a tick,
  // and written with its batch: flush, and look again a few times.
  for (let i = 0; i < 20; i++) {
    const [event] = node.events.list({ requestId }, { limit: 1 }).items;
    if (event) return event.notes;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return undefined;
}

/** Declares the flow's steps, then cleanup, as ordered tests sharing one node and its variables. */
export function replayFlow(flow: Flow): Replay {
  let node: ScimNode | undefined;
  let server: Server | undefined;
  let target: Target = { url: '', token: '' };
  // Documented names (no run suffix): the bodies are the documented ones apart from ids.
  let vars: Vars = flow.names(undefined);

  beforeAll(async () => {
    node = startNode({ dbFile: ':memory:', log: () => {} });
    server = createServer(node.scim);
    const s = server;
    await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
    const { port } = s.address() as AddressInfo;
    target = { url: `http://127.0.0.1:${port}${SCIM_BASE_PATH}`, token: node.tokens.create({ label: 'replay' }).token };
  });
  afterAll(async () => {
    const s = server;
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
    node?.close();
  });

  describe(`${flow.title} replay`, () => {
    const all = [...flow.steps.map((s) => ({ step: s, cleanup: false })), ...flow.cleanup.map((s) => ({ step: s, cleanup: true }))];
    for (const { step, cleanup } of all) {
      it(`${step.method} ${step.path}: ${step.name}`, async () => {
        const n = node;
        if (!n) throw new Error('node not started');
        const out = await executeStep(step, target, vars, flow.userAgent, true, cleanup);
        vars = out.vars;
        expect(out.report.status, out.report.detail).toBe(step.expect.status);
        expect(out.report.detail).toBe(`${step.expect.status} as expected`);
        const requestId = out.report.requestId;
        expect(requestId).toBeTruthy();
        const notes = await notesOf(n, requestId ?? '');
        expect(notes).toEqual((step.notes ?? []).map((t) => fill(t, vars)));
      });
    }
  });

  return { node: () => node as ScimNode, target: () => target };
}
