import type { RequestContext } from '../events/request-context.js';
import { changeTransaction } from './tx.js';
import type { DirectoryDeps } from './users.js';

const open = new WeakSet<RequestContext>();

/**
 * One write transaction of the directory, with its change events: whatever changes `work` records
 * on the context are appended to the outbox before the commit, so the change and its event commit
 * together or not at all (issue #14: "if the IdP got a 2xx, the event exists"). It runs inside
 * changeTransaction, so a rollback also drops the derived changes from the request's record.
 * A nested call (a savepoint) leaves the appending to the outermost one, so nothing is appended twice.
 */
export function writeTx<T>(d: Pick<DirectoryDeps, 'db' | 'outbox'>, ctx: RequestContext, work: () => T): T {
  return changeTransaction(d.db, ctx, () => {
    if (open.has(ctx)) return work();
    open.add(ctx);
    const mark = ctx.changes.length;
    try {
      const out = work();
      d.outbox.append(ctx, ctx.changes.slice(mark));
      return out;
    } finally {
      open.delete(ctx);
    }
  });
}
