/**
 * Replays an IdP's documented provisioning flow against any SCIM endpoint over HTTP, so an admin
 * can see what Okta or Entra would hit before connecting the real thing. Steps run in order; a
 * failed step does not stop the run, but a step that needs an id an earlier step did not produce
 * is reported as not sent. Cleanup steps always run.
 */
import { randomBytes } from 'node:crypto';
import { isObject, type Json, type JsonObject } from '../scim/json.js';
import { ENTRA_FLOW } from './flows/entra.js';
import { OKTA_FLOW } from './flows/okta.js';
import type { Flow, Step, StepResponse, Vars } from './step.js';

export type Idp = 'okta' | 'entra';
export const FLOWS: Readonly<Record<Idp, Flow>> = { okta: OKTA_FLOW, entra: ENTRA_FLOW };

export interface Target {
  /** The SCIM base URL, e.g. http://127.0.0.1:7643/api/scim/v2 */
  url: string;
  token: string;
}

export interface StepReport {
  name: string;
  method: string;
  /** The path as sent, query decoded. */
  path: string;
  /** 0 when the request was not sent or got no answer. */
  status: number;
  ok: boolean;
  detail: string;
  cleanup: boolean;
  /** The server's X-Request-Id, when it sends one (SCIM Desk does). */
  requestId?: string;
}

export interface SimulationSummary {
  idp: Idp;
  target: string;
  run: string;
  passed: number;
  failed: number;
  steps: StepReport[];
}

class MissingVar extends Error {}

/** Fills {{name}} placeholders; a name without a value means an earlier step failed. */
export function fill(text: string, vars: Vars): string {
  return text.replace(/\{\{(\w+)\}\}/g, (_, k: string) => {
    const v = vars[k];
    if (v === undefined || v === '') throw new MissingVar(`needs {{${k}}}, which an earlier step did not produce`);
    return v;
  });
}

export function fillJson(value: Json, vars: Vars): Json {
  if (typeof value === 'string') return fill(value, vars);
  if (Array.isArray(value)) return value.map((v) => fillJson(v, vars));
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fillJson(v, vars)]));
  return value;
}

/** '/Users?filter=userName eq "a@b"&count=2' → '/Users?filter=userName%20eq%20%22a%40b%22&count=2'. */
export function encodePath(path: string): string {
  const q = path.indexOf('?');
  if (q < 0) return path;
  const query = path
    .slice(q + 1)
    .split('&')
    .map((part) => {
      const eq = part.indexOf('=');
      return eq < 0 ? part : `${part.slice(0, eq)}=${encodeURIComponent(part.slice(eq + 1))}`;
    })
    .join('&');
  return `${path.slice(0, q)}?${query}`;
}

/**
 * The URL of one step: the target's path, the step's path, and both query strings. Entra's Tenant URL
 * carries a flag on the base (`…/scim/v2?aadOptscim062020`) that Entra keeps on every request, so it
 * is moved after the step's path instead of being glued in front of it.
 */
export function stepUrl(base: string, path: string): string {
  const q = base.indexOf('?');
  const root = (q < 0 ? base : base.slice(0, q)).replace(/\/+$/, '');
  const flags = q < 0 ? '' : base.slice(q + 1);
  const encoded = encodePath(path);
  if (!flags) return `${root}${encoded}`;
  return `${root}${encoded}${encoded.includes('?') ? '&' : '?'}${flags}`;
}

const scimDetail = (body: JsonObject | null): string => (body && typeof body.detail === 'string' ? `: ${body.detail}` : '');

/**
 * fetch, retrying a 429 the way both IdPs do (Entra backs off and retries; Okta retries on its
 * next cycle): after Retry-After seconds, capped so a simulation never stalls for long.
 */
async function send(url: string, init: RequestInit): Promise<Response> {
  for (let attempt = 0; ; attempt++) {
    const res = await fetch(url, init);
    if (res.status !== 429 || attempt >= 3) return res;
    const wait = Math.min(5, Math.max(1, Number(res.headers.get('retry-after')) || 1));
    await res.arrayBuffer();
    await new Promise((resolve) => setTimeout(resolve, wait * 1000));
  }
}

export interface StepRun {
  report: StepReport;
  response?: StepResponse;
  vars: Vars;
}

/** Sends one step and judges the answer; `strict` allows only `expect.status` (the replay tests). */
export async function executeStep(
  step: Step,
  target: Target,
  vars: Vars,
  userAgent: string,
  strict = false,
  cleanup = false,
): Promise<StepRun> {
  const base = { name: step.name, method: step.method, cleanup };
  let path = step.path;
  let body: Json | undefined;
  try {
    path = fill(step.path, vars);
    body = step.body === undefined ? undefined : fillJson(step.body, vars);
  } catch (e) {
    if (!(e instanceof MissingVar)) throw e;
    return { report: { ...base, path, status: 0, ok: false, detail: `not sent: ${e.message}` }, vars };
  }
  let res: Response;
  try {
    res = await send(stepUrl(target.url, path), {
      method: step.method,
      headers: {
        authorization: `Bearer ${target.token}`,
        accept: 'application/scim+json',
        'user-agent': userAgent,
        ...(body === undefined ? {} : { 'content-type': 'application/scim+json; charset=utf-8' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    return { report: { ...base, path, status: 0, ok: false, detail: `no answer: ${e instanceof Error ? e.message : String(e)}` }, vars };
  }
  const text = await res.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = null;
  }
  const response: StepResponse = { status: res.status, body: isObject(parsed) ? parsed : null };
  const requestId = res.headers.get('x-request-id') ?? undefined;
  const allowed = strict ? [step.expect.status] : [step.expect.status, ...(step.expect.accept ?? [])];
  let detail: string | undefined;
  if (!allowed.includes(res.status)) detail = `expected ${allowed.join(' or ')}, got ${res.status}${scimDetail(response.body)}`;
  // An accepted alternative such as 204 for 200 has no body to check.
  else if (step.expect.check && (res.status === step.expect.status || response.body !== null)) detail = step.expect.check(response, vars);
  let next = vars;
  if (!detail && step.save && response.body) next = { ...vars, ...step.save(response.body) };
  const report: StepReport = {
    ...base,
    path,
    status: res.status,
    ok: !detail,
    detail: detail ?? `${res.status} as expected`,
    ...(requestId ? { requestId } : {}),
  };
  return { report, response, vars: next };
}

export interface SimulationOptions {
  idp: Idp;
  target: Target;
  onStep?: (report: StepReport) => void | Promise<void>;
  /** Suffix that makes this run's names unique; random by default. */
  run?: string;
}

export async function runSimulation(opts: SimulationOptions): Promise<SimulationSummary> {
  const flow = FLOWS[opts.idp];
  const run = opts.run ?? randomBytes(4).toString('hex');
  let vars: Vars = flow.names(run);
  const steps: StepReport[] = [];
  const record = async (r: StepReport): Promise<void> => {
    steps.push(r);
    await opts.onStep?.(r);
  };
  for (const step of flow.steps) {
    const out = await executeStep(step, opts.target, vars, flow.userAgent);
    vars = out.vars;
    await record(out.report);
  }
  for (const step of flow.cleanup) {
    const out = await executeStep(step, opts.target, vars, flow.userAgent, false, true);
    // Nothing to clean up when the step that creates it never succeeded.
    if (out.report.status === 0 && out.report.detail.startsWith('not sent')) continue;
    await record(out.report);
  }
  const failed = steps.filter((s) => !s.ok).length;
  return { idp: opts.idp, target: opts.target.url, run, passed: steps.length - failed, failed, steps };
}
