import type { UndeclaredAttribute } from '../console/contract.js';
import { checkDeclaration, type Violation } from '../scim/extension-check.js';
import {
  type AttributeJson,
  DeclarationError,
  type DeclarationJson,
  declarationJson,
  type ExtensionDeclaration,
  proposeAttribute,
  validateDeclaration,
} from '../scim/extension-schema.js';
import type { JsonObject } from '../scim/json.js';
import { SchemaRegistry } from '../scim/registry.js';
import type { UndeclaredSeen } from '../scim/undeclared.js';
import { type Db, inTransaction } from '../store/db.js';
import { type ExtensionIndex, type ExtensionsRepo, indexName, OVERFLOW } from '../store/extensions-repo.js';

export { DeclarationError };

/** A proposed declaration: the current attributes, then one minimal definition per attribute seen. */
export interface Proposal {
  id: string;
  name: string;
  description: string;
  attributes: (AttributeJson | { name: string; type: string; multiValued: boolean })[];
}

export interface DeclareResult {
  /** True when the declaration is now in force; false when the data check found violations. */
  applied: boolean;
  declaration: DeclarationJson;
  violations: Violation[];
  /** All violations, of which `violations` lists the first 100. */
  total: number;
}

/**
 * Extension schemas as a first-class part of the directory (RFC 7643 §3.3, §7): declarations are
 * validated once (extension-schema.ts) whichever way they arrive (CLI, console, import), checked
 * against the stored data before they apply, and loaded into the registry every request reads.
 * Like settings, the registry is re-read at most once a second, so a declaration made by the CLI
 * reaches a running node within that second.
 */
export class ExtensionsService {
  private cache: { registry: SchemaRegistry; raw: string; at: number } | null = null;
  /** Unique index name → "urn:attr", to name the attribute of a uniqueness conflict. */
  private uniqueIndexes = new Map<string, string>();

  constructor(
    private readonly db: Db,
    private readonly repo: ExtensionsRepo,
    private readonly now: () => Date,
    /**
     * Told the names of declared attributes that hold secrets (mutability writeOnly or returned
     * never), so the event log redacts them like password. Names are only ever added: a removed
     * declaration keeps its values redacted, which errs on the safe side.
     */
    private readonly secretNames: (names: string[]) => void = () => {},
    private readonly clock: () => number = () => Date.now(),
  ) {}

  registry(): SchemaRegistry {
    const t = this.clock();
    if (this.cache && t - this.cache.at < 1000) return this.cache.registry;
    const rows = this.repo.list();
    const raw = rows.map((r) => r.definition).join('\n');
    if (this.cache?.raw === raw) {
      this.cache.at = t;
      return this.cache.registry;
    }
    const decls: ExtensionDeclaration[] = [];
    for (const r of rows) {
      try {
        decls.push(validateDeclaration(JSON.parse(r.definition)));
      } catch {
        // A stored declaration this build rejects is left out rather than stopping the node.
      }
    }
    const registry = new SchemaRegistry(decls);
    this.secretNames(
      decls.flatMap((d) =>
        d.schema.attributes.filter((a) => a.mutability === 'writeOnly' || a.returned === 'never').map((a) => a.name.toLowerCase()),
      ),
    );
    this.uniqueIndexes = new Map(
      wantedIndexes(decls)
        .filter((ix) => ix.unique)
        .map((ix) => [indexName(ix), `${ix.urn}:${ix.def.name}`]),
    );
    this.cache = { registry, raw, at: t };
    return registry;
  }

  list(): DeclarationJson[] {
    return this.registry().declarations.map(declarationJson);
  }

  get(urn: string): DeclarationJson | undefined {
    const d = this.registry().declarations.find((x) => x.schema.id.toLowerCase() === urn.toLowerCase());
    return d && declarationJson(d);
  }

  /** Validates and checks without changing anything (the console's "check" and the CLI's --dry-run). */
  check(input: unknown): DeclareResult {
    const decl = validateDeclaration(input);
    const { violations, total } = checkDeclaration(decl, this.repo.valuesOf(decl.schema.id));
    return { applied: false, declaration: declarationJson(decl), violations, total };
  }

  /** Declares or redeclares an extension. Applies only when the stored data satisfies it; all or nothing. */
  declare(input: unknown): DeclareResult {
    const decl = validateDeclaration(input);
    const result = inTransaction(this.db, () => {
      const { violations, total } = checkDeclaration(decl, this.repo.valuesOf(decl.schema.id));
      if (total > 0) return { applied: false, declaration: declarationJson(decl), violations, total };
      const others = this.registry().declarations.filter((d) => d.schema.id.toLowerCase() !== decl.schema.id.toLowerCase());
      this.repo.put(decl.schema.id, JSON.stringify(declarationJson(decl)), this.now().toISOString());
      this.repo.syncIndexes(wantedIndexes([...others, decl]));
      for (const a of decl.schema.attributes) this.repo.clearSeen(decl.schema.id, a.name);
      return { applied: true, declaration: declarationJson(decl), violations: [], total: 0 };
    });
    this.cache = null;
    return result;
  }

  /** Adds (or redefines) one attribute of an extension, declaring the extension if it is new. */
  addAttribute(urn: string, attribute: JsonObject): DeclareResult {
    return this.declare(this.withAttribute(urn, attribute));
  }

  /** The declaration `urn` would have with `attribute` added or redefined (for a check before adding). */
  withAttribute(urn: string, attribute: JsonObject): { id: string; attributes: (AttributeJson | JsonObject)[] } {
    const current = this.get(urn);
    const name = typeof attribute.name === 'string' ? attribute.name.toLowerCase() : '';
    const kept = (current?.attributes ?? []).filter((a) => a.name.toLowerCase() !== name);
    return { ...(current ?? { id: urn }), attributes: [...kept, attribute] };
  }

  /** Removes a declaration. The values stay in the data and become undeclared data (kept, returned). */
  remove(urn: string): boolean {
    const removed = inTransaction(this.db, () => {
      const gone = this.repo.delete(urn);
      const rest = this.registry().declarations.filter((d) => d.schema.id.toLowerCase() !== urn.toLowerCase());
      this.repo.syncIndexes(wantedIndexes(rest));
      return gone;
    });
    this.cache = null;
    return removed;
  }

  record(seen: UndeclaredSeen[]): void {
    if (seen.length > 0) this.repo.recordSeen(seen, this.now().toISOString());
  }

  undeclared(): UndeclaredAttribute[] {
    return this.repo.seen();
  }

  /**
   * The console's one-click "Declare": a declaration proposed from what was seen under `urn`,
   * merged into the existing declaration if there is one. The admin reviews it before it applies.
   */
  propose(urn: string): Proposal {
    // The overflow rows (UNDECLARED_BOUNDS) count names that were not kept: nothing to declare.
    const seen = this.repo.seen().filter((r) => r.urn.toLowerCase() === urn.toLowerCase() && r.attribute !== OVERFLOW);
    if (seen.length === 0) throw new DeclarationError('urn', `no undeclared attributes have been seen under "${urn}"`);
    const current = this.get(urn);
    const attrs = current?.attributes ?? [];
    return {
      id: current?.id ?? seen[0]?.urn ?? urn,
      name: current?.name ?? extensionName(urn),
      description: current?.description ?? '',
      attributes: [...attrs, ...seen.map((r) => proposeAttribute(r.attribute, r.valueTypes))],
    };
  }

  /** The declared "urn:attr" a SQLite unique-index violation is about, or undefined when it is not one of ours. */
  conflictAttribute(err: unknown): string | undefined {
    const message = err instanceof Error ? err.message : '';
    const m = /index '((?:ux)_ext_[0-9a-f]+)'/.exec(message);
    if (!m?.[1]) return undefined;
    this.registry();
    return this.uniqueIndexes.get(m[1]);
  }
}

/** Indexed attributes get a lookup index; uniqueness "server" gets a unique one (which is also a lookup index). */
function wantedIndexes(decls: readonly ExtensionDeclaration[]): ExtensionIndex[] {
  const out: ExtensionIndex[] = [];
  for (const d of decls) {
    for (const def of d.schema.attributes) {
      const unique = def.uniqueness === 'server';
      if (unique || d.indexed.includes(def.name)) out.push({ urn: d.schema.id, def, unique });
    }
  }
  return out;
}

/** "urn:…:extension:CustomExt:2.0:User" → "CustomExt"; any other URN keeps its last part. */
export function extensionName(urn: string): string {
  return /:extension:([^:]+):/i.exec(urn)?.[1] ?? urn.slice(urn.lastIndexOf(':') + 1);
}
