import { createHash } from 'node:crypto';
import type { UndeclaredAttribute } from '../console/contract.js';
import { MAX_ATTRIBUTES } from '../scim/extension-schema.js';
import type { AttributeDef } from '../scim/schemas.js';
import { type Db, inTransaction } from './db.js';
import { extensionExpr } from './filter-sql.js';

export interface StoredDeclaration {
  urn: string;
  resourceType: string;
  /** The validated declaration JSON (RFC 7643 §7 schema plus `indexed` flags). */
  definition: string;
  created: string;
  updated: string;
}

/**
 * The "undeclared attributes seen" table is written from what any token holder sends, so it is
 * bounded: per URN at most as many names as one declaration may list (so a proposal always fits),
 * and at most `urns` URNs. Names beyond the bound count into the URN's row named `*`; URNs beyond
 * it into the one row `*`/`*`. Neither is a valid attribute name or URN, so they never collide
 * with real ones. Declaring an attribute clears its row and makes room again.
 */
export const UNDECLARED_BOUNDS = { namesPerUrn: MAX_ATTRIBUTES, urns: 50 } as const;
export const OVERFLOW = '*';

/** An index the declarations ask for on users: a lookup index, or a unique one for uniqueness "server". */
export interface ExtensionIndex {
  urn: string;
  def: AttributeDef;
  unique: boolean;
}

interface DeclRow {
  urn: string;
  resource_type: string;
  definition: string;
  created_at: string;
  updated_at: string;
}

/** Names are derived from what the index is, so a changed declaration (caseExact, unique) rebuilds it. */
export function indexName(ix: ExtensionIndex): string {
  const expr = extensionExpr(ix.urn, ix.def);
  const hash = createHash('sha256').update(`${expr}\n${ix.unique}`).digest('hex').slice(0, 16);
  return `${ix.unique ? 'ux' : 'ix'}_ext_${hash}`;
}

/** Extension declarations, their expression indexes on users, and the undeclared attributes seen. */
export class ExtensionsRepo {
  private readonly listStmt;
  private readonly putStmt;
  private readonly deleteStmt;
  private readonly seenStmt;
  private readonly seenHasStmt;
  private readonly seenUrnStmt;
  private readonly seenUrnsStmt;
  private readonly seenListStmt;
  private readonly seenClearStmt;
  private readonly indexesStmt;
  private readonly valuesStmt;

  constructor(private readonly db: Db) {
    this.listStmt = db.prepare<[], DeclRow>(
      'SELECT urn, resource_type, definition, created_at, updated_at FROM schema_extensions ORDER BY urn',
    );
    this.putStmt = db.prepare(
      `INSERT INTO schema_extensions (urn, resource_type, definition, created_at, updated_at) VALUES (@urn, @resourceType, @definition, @now, @now)
       ON CONFLICT (urn) DO UPDATE SET definition = excluded.definition, updated_at = excluded.updated_at`,
    );
    this.deleteStmt = db.prepare('DELETE FROM schema_extensions WHERE urn = ?');
    // value_types keeps each distinct JSON type once, comma-separated.
    this.seenStmt = db.prepare(
      `INSERT INTO undeclared_attributes (urn, attribute, value_types, first_seen, last_seen, count) VALUES (@urn, @attribute, @type, @now, @now, 1)
       ON CONFLICT (urn, attribute) DO UPDATE SET count = count + 1, last_seen = excluded.last_seen,
         value_types = CASE WHEN instr(',' || value_types || ',', ',' || excluded.value_types || ',') > 0
                            THEN value_types ELSE value_types || ',' || excluded.value_types END`,
    );
    this.seenHasStmt = db.prepare<[string, string], { one: number }>(
      'SELECT 1 AS one FROM undeclared_attributes WHERE urn = ? AND attribute = ?',
    );
    this.seenUrnStmt = db.prepare<[string, string], { rows: number; names: number }>(
      'SELECT count(*) AS rows, coalesce(sum(attribute <> ?), 0) AS names FROM undeclared_attributes WHERE urn = ?',
    );
    this.seenUrnsStmt = db.prepare<[string], { n: number }>('SELECT count(DISTINCT urn) AS n FROM undeclared_attributes WHERE urn <> ?');
    this.seenListStmt = db.prepare<
      [],
      { urn: string; attribute: string; value_types: string; first_seen: string; last_seen: string; count: number }
    >('SELECT urn, attribute, value_types, first_seen, last_seen, count FROM undeclared_attributes ORDER BY urn, attribute');
    this.seenClearStmt = db.prepare('DELETE FROM undeclared_attributes WHERE urn = ? AND attribute = ?');
    this.indexesStmt = db.prepare<[], { name: string }>(
      "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'users' AND (name LIKE 'ix\\_ext\\_%' ESCAPE '\\' OR name LIKE 'ux\\_ext\\_%' ESCAPE '\\')",
    );
    this.valuesStmt = db.prepare<[string], { id: string; user_name: string; ext: string | null }>(
      'SELECT id, user_name, json_extract(data, ?) AS ext FROM users ORDER BY user_name',
    );
  }

  list(): StoredDeclaration[] {
    return this.listStmt.all().map((r) => ({
      urn: r.urn,
      resourceType: r.resource_type,
      definition: r.definition,
      created: r.created_at,
      updated: r.updated_at,
    }));
  }

  put(urn: string, definition: string, now: string): void {
    this.putStmt.run({ urn, resourceType: 'User', definition, now });
  }

  delete(urn: string): boolean {
    return this.deleteStmt.run(urn).changes > 0;
  }

  /** Counts each entry on its own row, or on an overflow row once UNDECLARED_BOUNDS is reached. */
  recordSeen(entries: { urn: string; attribute: string; valueType: string }[], now: string): void {
    inTransaction(this.db, () => {
      for (const e of entries) {
        const row = this.slotOf(e.urn, e.attribute);
        this.seenStmt.run({ ...row, type: e.valueType, now });
      }
    });
  }

  /** The row an entry counts on: its own if it exists or fits the bounds, else an overflow row. */
  private slotOf(urn: string, attribute: string): { urn: string; attribute: string } {
    if (this.seenHasStmt.get(urn, attribute)) return { urn, attribute };
    const here = this.seenUrnStmt.get(OVERFLOW, urn) ?? { rows: 0, names: 0 };
    if (here.rows === 0 && (this.seenUrnsStmt.get(OVERFLOW)?.n ?? 0) >= UNDECLARED_BOUNDS.urns) {
      return { urn: OVERFLOW, attribute: OVERFLOW };
    }
    if (here.names >= UNDECLARED_BOUNDS.namesPerUrn) return { urn, attribute: OVERFLOW };
    return { urn, attribute };
  }

  seen(): UndeclaredAttribute[] {
    return this.seenListStmt.all().map((r) => ({
      urn: r.urn,
      attribute: r.attribute,
      valueTypes: r.value_types.split(','),
      firstSeen: r.first_seen,
      lastSeen: r.last_seen,
      count: r.count,
    }));
  }

  clearSeen(urn: string, attribute: string): void {
    this.seenClearStmt.run(urn, attribute);
  }

  /** Every user's object under `urn` (null when it has none), for checking a declaration against the data. */
  valuesOf(urn: string): { id: string; userName: string; ext: unknown }[] {
    const path = `$."${urn}"`;
    return this.valuesStmt
      .all(path)
      .map((r) => ({ id: r.id, userName: r.user_name, ext: r.ext === null ? null : (JSON.parse(r.ext) as unknown) }));
  }

  /**
   * Makes the extension indexes on users exactly `wanted`: drops the ones no declaration asks for,
   * creates the missing ones. A unique index that existing data violates throws the SQLite unique
   * error; callers check the data first and run this in their transaction.
   */
  syncIndexes(wanted: ExtensionIndex[]): void {
    const names = new Map(wanted.map((ix) => [indexName(ix), ix]));
    for (const { name } of this.indexesStmt.all()) {
      if (!names.has(name)) this.db.exec(`DROP INDEX ${name}`);
    }
    const existing = new Set(this.indexesStmt.all().map((r) => r.name));
    for (const [name, ix] of names) {
      if (existing.has(name)) continue;
      // Index names are hex hashes and URNs were validated without quotes, so this DDL holds no client text
      // beyond what extensionExpr quotes; DDL cannot take bound parameters.
      this.db.exec(`CREATE ${ix.unique ? 'UNIQUE ' : ''}INDEX ${name} ON users (${extensionExpr(ix.urn, ix.def)})`);
    }
  }
}
