import type { RequestContext } from '../events/request-context.js';
import { type Db, inTransaction } from '../store/db.js';

/**
 * Runs `work` in one transaction and keeps the derived changes it pushed onto `ctx` only if the
 * transaction committed: a request that rolled back (a missing member, a uniqueness conflict) must
 * not show changes that never happened in its event. Nested calls roll back as savepoints and
 * discard their own changes the same way.
 */
export function changeTransaction<T>(db: Db, ctx: RequestContext, work: () => T): T {
  const before = ctx.changes.length;
  const resourceId = ctx.resourceId;
  try {
    return inTransaction(db, work);
  } catch (e) {
    ctx.changes.length = before;
    // A resource created inside the rolled-back transaction does not exist: do not point at it.
    ctx.resourceId = resourceId;
    throw e;
  }
}
