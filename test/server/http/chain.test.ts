import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { describe, expect, it } from 'vitest';
import { chain } from '../../../server/http/chain.js';

const req = {} as Request;
const res = {} as Response;

/** Runs a chain and resolves with what reached the outer `next`: undefined, or the error. */
function run(h: RequestHandler): Promise<{ err: unknown; calls: number }> {
  return new Promise((resolve) => {
    let calls = 0;
    const next = ((err?: unknown) => {
      calls += 1;
      setTimeout(() => resolve({ err, calls }), 5);
    }) as NextFunction;
    h(req, res, next);
  });
}

describe('chain()', () => {
  it('runs the handlers in order, then calls next once with no error', async () => {
    const seen: string[] = [];
    const step =
      (name: string): RequestHandler =>
      (_q, _s, next) => {
        seen.push(name);
        next();
      };
    expect(await run(chain(step('a'), step('b'), step('c')))).toEqual({ err: undefined, calls: 1 });
    expect(seen).toEqual(['a', 'b', 'c']);
  });

  it('stops at the first error, whether passed to next, thrown, or a rejected promise', async () => {
    const seen: string[] = [];
    const later: RequestHandler = () => {
      seen.push('later');
    };
    const boom = new Error('boom');
    for (const failing of [
      ((_q, _s, next) => next(boom)) as RequestHandler,
      (() => {
        throw boom;
      }) as RequestHandler,
      (async () => {
        throw boom;
      }) as RequestHandler,
    ]) {
      expect(await run(chain(failing, later))).toEqual({ err: boom, calls: 1 });
    }
    expect(seen).toEqual([]);
  });

  it('waits for a handler that calls next later', async () => {
    const seen: string[] = [];
    const slow: RequestHandler = (_q, _s, next) => {
      setTimeout(() => {
        seen.push('slow');
        next();
      }, 10);
    };
    const after: RequestHandler = (_q, _s, next) => {
      seen.push('after');
      next();
    };
    expect(await run(chain(slow, after))).toEqual({ err: undefined, calls: 1 });
    expect(seen).toEqual(['slow', 'after']);
  });
});
