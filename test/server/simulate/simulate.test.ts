import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { registerSimulate, simulateCommand } from '../../../server/simulate/command.js';
import { encodePath, fill, type Idp, runSimulation, type StepReport } from '../../../server/simulate/engine.js';
import { testNode } from '../../helpers/node.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('runSimulation', () => {
  it.each<Idp>(['okta', 'entra'])('%s passes every step against a SCIM Desk node and cleans up after itself', async (idp) => {
    const t = await testNode();
    const seen: StepReport[] = [];
    const summary = await runSimulation({ idp, target: { url: t.base, token: t.token }, onStep: (r) => void seen.push(r) });
    expect(summary.steps.filter((s) => !s.ok)).toEqual([]);
    expect(summary.failed).toBe(0);
    expect(summary.passed).toBe(summary.steps.length);
    expect(seen).toEqual(summary.steps);
    expect(seen.at(-1)?.cleanup).toBe(true);
    // Nothing the run created is left behind.
    expect(t.repos.users.count(null)).toBe(0);
    expect(t.repos.groups.count(null)).toBe(0);
  });

  it('uses unique names per run, so runs can share a server, even at the same time', async () => {
    const t = await testNode();
    const target = { url: t.base, token: t.token };
    const runs = await Promise.all((['okta', 'okta'] as const).map((idp) => runSimulation({ idp, target })));
    expect(new Set(runs.map((r) => r.run)).size).toBe(2);
    expect(runs.map((r) => r.steps.filter((s) => !s.ok))).toEqual([[], []]);
  });

  it.each<Idp>(['okta', 'entra'])('%s fails against a target that rejects its token', async (idp) => {
    const t = await testNode();
    const summary = await runSimulation({ idp, target: { url: t.base, token: 'not-the-token' } });
    expect(summary.failed).toBeGreaterThan(0);
    expect(summary.passed).toBe(0);
    expect(summary.steps[0]?.detail).toMatch(/got 401/);
    expect(summary.steps.some((s) => s.detail.startsWith('not sent: needs {{'))).toBe(true);
  });

  it('reports an unreachable target as failures with status 0', async () => {
    const summary = await runSimulation({ idp: 'okta', target: { url: 'http://127.0.0.1:1/api/scim/v2', token: 'x' } });
    expect(summary.failed).toBe(summary.steps.length);
    expect(summary.steps[0]).toMatchObject({ status: 0, ok: false });
    expect(summary.steps[0]?.detail).toMatch(/^no answer/);
  });
});

describe('step helpers', () => {
  it('fills placeholders and refuses missing ones', () => {
    expect(fill('/Users/{{id}}', { id: 'u1' })).toBe('/Users/u1');
    expect(() => fill('/Users/{{id}}', {})).toThrow(/needs \{\{id\}\}/);
  });
  it('encodes query values the way Okta documents them', () => {
    expect(encodePath('/Users?filter=userName eq "test.user@okta.local"&startIndex=1&count=100')).toBe(
      '/Users?filter=userName%20eq%20%22test.user%40okta.local%22&startIndex=1&count=100',
    );
    expect(encodePath('/Groups?aadOptscim062020&count=1')).toBe('/Groups?aadOptscim062020&count=1');
  });
});

describe('scimdesk simulate', () => {
  const capture = () => {
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    return lines;
  };

  it('runs against a temporary node by default and prints requests, verdicts, dialect notes and a summary', async () => {
    const lines = capture();
    const summary = await simulateCommand({ idp: 'entra' });
    expect(summary.failed).toBe(0);
    const text = lines.join('');
    expect(text).toMatch(/^Simulating Microsoft Entra ID against http:\/\/127\.0\.0\.1:\d+\/api\/scim\/v2 \(temporary in-memory node\)/);
    expect(text).toMatch(/PASS {2}201 {2}POST {3}\/Users/);
    expect(text).toContain('dialect: active "False" read as false');
    expect(text).toMatch(/Summary: \d+ passed, 0 failed of \d+ requests/);
  });

  it('exits non-zero through commander when a step fails', async () => {
    capture();
    const t = await testNode();
    const program = new Command('scimdesk').exitOverride();
    registerSimulate(program);
    await expect(
      program.parseAsync(['simulate', '--idp', 'okta', '--target', t.base, '--token', 'wrong'], { from: 'user' }),
    ).rejects.toThrow(/simulation failed: \d+ of \d+ requests/);
  });

  it('checks its flags', async () => {
    await expect(simulateCommand({ idp: 'onelogin' })).rejects.toThrow(/--idp must be "okta" or "entra"/);
    await expect(simulateCommand({ idp: 'okta', target: 'http://x' })).rejects.toThrow(/--target and --token go together/);
  });
});
