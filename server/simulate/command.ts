/**
 * `scimdesk simulate --idp okta|entra [--target URL --token T]`: replays an IdP's documented
 * provisioning flow and prints each request, its status and PASS/FAIL, then a summary. Without
 * --target it starts a throwaway node in memory and also prints the dialect notes that node
 * records, which shows what SCIM Desk had to correct. Any failure makes the command exit non-zero.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Command } from 'commander';
import { SCIM_BASE_PATH } from '../http/scim-router.js';
import { type ScimNode, startNode } from '../node.js';
import { FLOWS, type Idp, runSimulation, type SimulationSummary, type StepReport, type Target } from './engine.js';

const out = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

interface LocalTarget {
  target: Target;
  node: ScimNode;
  stop: () => Promise<void>;
}

/** A node on ':memory:' behind a loopback listener on an ephemeral port, with its own token. */
async function startLocal(): Promise<LocalTarget> {
  const node = startNode({ dbFile: ':memory:', log: () => {} });
  const server = createServer(node.scim);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const { token } = node.tokens.create({ label: 'simulate' });
  return {
    target: { url: `http://127.0.0.1:${port}${SCIM_BASE_PATH}`, token },
    node,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      node.close();
    },
  };
}

function printStep(r: StepReport, node: ScimNode | undefined): void {
  const verdict = r.ok ? 'PASS' : 'FAIL';
  const status = r.status === 0 ? '---' : String(r.status);
  out(`${verdict}  ${status}  ${r.method.padEnd(6)} ${r.path}`);
  out(`      ${r.name}${r.ok ? '' : `: ${r.detail}`}`);
  if (node && r.requestId) {
    const [event] = node.events.list({ requestId: r.requestId }, { limit: 1 }).items;
    for (const note of event?.notes ?? []) out(`      dialect: ${note}`);
  }
}

export interface SimulateFlags {
  idp: string;
  target?: string;
  token?: string;
}

/** Runs one simulation and prints it; resolves to the summary, whatever the outcome. */
export async function simulateCommand(flags: SimulateFlags): Promise<SimulationSummary> {
  const idp = flags.idp.toLowerCase();
  if (idp !== 'okta' && idp !== 'entra') throw new Error(`--idp must be "okta" or "entra", got "${flags.idp}"`);
  if ((flags.target === undefined) !== (flags.token === undefined)) throw new Error('--target and --token go together');
  const local = flags.target === undefined ? await startLocal() : undefined;
  const target: Target = local?.target ?? { url: flags.target ?? '', token: flags.token ?? '' };
  try {
    out(`Simulating ${FLOWS[idp as Idp].title} against ${target.url}${local ? ' (temporary in-memory node)' : ''}`);
    const summary = await runSimulation({ idp: idp as Idp, target, onStep: (r) => printStep(r, local?.node) });
    out(`Summary: ${summary.passed} passed, ${summary.failed} failed of ${summary.steps.length} requests (run ${summary.run})`);
    return summary;
  } finally {
    await local?.stop();
  }
}

export function registerSimulate(program: Command): void {
  program
    .command('simulate')
    .description("replay Okta's or Microsoft Entra ID's documented provisioning requests against a SCIM endpoint")
    .requiredOption('--idp <idp>', 'which identity provider to imitate: okta or entra')
    .option('--target <url>', 'SCIM base URL, e.g. http://127.0.0.1:7643/api/scim/v2 (default: a temporary in-memory node)')
    .option('--token <token>', 'bearer token for --target (from `scimdesk token create`)')
    .action(async (flags: SimulateFlags) => {
      const summary = await simulateCommand(flags);
      if (summary.failed > 0)
        throw new Error(
          `simulation failed: ${summary.failed} of ${summary.steps.length} requests did not get the answer ${FLOWS[summary.idp].title} needs`,
        );
    });
}
