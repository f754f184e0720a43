/**
 * One documented IdP request and what a SCIM server must answer. The same step lists drive the
 * replay tests (test/replay) and `scimdesk simulate`, so there is one source of the flows.
 * Strings in `path`, `body` and `notes` may hold {{placeholders}}, filled from the run's
 * variables: names chosen per run, and ids saved from earlier responses.
 */
import type { Json, JsonObject } from '../scim/json.js';

export type Vars = Readonly<Record<string, string>>;

export interface StepResponse {
  status: number;
  /** The parsed JSON body, or null when the body is empty or not JSON. */
  body: JsonObject | null;
}

/** Returns a failure message, or undefined when the response is as the IdP needs it. */
export type Check = (res: StepResponse, vars: Vars) => string | undefined;

export interface Step {
  name: string;
  /** Where the request comes from: the document title and section. */
  source: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path below the SCIM base with a decoded query: '/Users?filter=userName eq "{{userName}}"'. */
  path: string;
  body?: Json;
  expect: {
    /** What SCIM Desk answers; the replay tests require exactly this. */
    status: number;
    /** Other statuses the IdP documents as acceptable; the simulator passes them too. */
    accept?: number[];
    check?: Check;
  };
  /** Variables to remember from a successful response, such as the new resource's id. */
  save?: (body: JsonObject) => Record<string, string>;
  /** The dialect notes SCIM Desk records for this request, asserted by the replay tests. */
  notes?: string[];
}

export interface Flow {
  idp: 'okta' | 'entra';
  title: string;
  userAgent: string;
  /** The run's names: documented values when `run` is undefined, unique ones otherwise. */
  names: (run: string | undefined) => Record<string, string>;
  steps: Step[];
  /** Deletes whatever the steps created; run even after failures, and 404 counts as done. */
  cleanup: Step[];
}
