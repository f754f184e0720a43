// The rule this test enforces is documented in ../../ARCHITECTURE.md ("The dependency rule");
// change both together.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The dependency rule of ARCHITECTURE.md, checked on every import in the tree: arrows point inward,
 * only server/http knows HTTP, only electron/ knows Electron, and the renderer sees the server only
 * through `import type` of the console contract.
 */
interface Import {
  file: string;
  spec: string;
  /** Resolved repo-relative path for relative specs, else the bare package name. */
  target: string;
  typeOnly: boolean;
}

const ROOT = process.cwd();
const IMPORT_RE = /^\s*(import|export)\s+(type\s+)?[^'";]*?from\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]/gm;

export function importsOf(file: string, text: string): Import[] {
  const out: Import[] = [];
  for (const m of text.matchAll(IMPORT_RE)) {
    const spec = m[3] ?? m[4] ?? '';
    const target = spec.startsWith('.') ? normalize(join(dirname(file), spec)).replace(/\.js$/, '') : spec;
    out.push({ file, spec, target, typeOnly: Boolean(m[2]) });
  }
  return out;
}

function walk(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(join(ROOT, p)).isDirectory()) return walk(p);
    return /\.(ts|tsx)$/.test(name) ? [p] : [];
  });
}

type Rule = { name: string; applies: (i: Import) => boolean; allowed: (i: Import) => boolean };

const within = (i: Import, dir: string): boolean => !relative(dir, i.target).startsWith('..');
const bare = (i: Import): boolean => !i.spec.startsWith('.');

/** The console contract is contract.ts (its one entry point) plus one type-only file per area in contract/. */
const CONTRACT = 'server/console/contract';
const inContract = (file: string): boolean => file === `${CONTRACT}.ts` || file.startsWith(`${CONTRACT}/`);
/** Relative targets resolve without their extension, so this covers contract.ts and every file of contract/. */
const toContract = (i: Import): boolean => !bare(i) && within(i, CONTRACT);

/** Files that serve a transport or a user (CLI, HTTP, IPC, the console handlers) rather than a domain. */
const HOSTS_AND_HANDLERS = [
  'server/serve.ts',
  'server/main.ts',
  'server/cli/',
  'server/console/',
  'server/http/',
  'server/simulate/command.ts',
  'electron/',
];

export const RULES: Rule[] = [
  {
    name: 'server/scim imports nothing outside itself (no node:*, no packages)',
    applies: (i) => i.file.startsWith('server/scim/'),
    allowed: (i) => !bare(i) && within(i, 'server/scim'),
  },
  {
    // Repositories return the console contract's types (the shared vocabulary) instead of mirrors of
    // them: a type import of the entry point costs nothing at run time and carries no logic inward.
    name: 'server/store imports only itself, server/scim, better-sqlite3, node:* and `import type` of the contract',
    applies: (i) => i.file.startsWith('server/store/'),
    allowed: (i) =>
      bare(i)
        ? i.spec === 'better-sqlite3' || i.spec.startsWith('node:')
        : within(i, 'server/store') || within(i, 'server/scim') || (i.typeOnly && i.target === CONTRACT),
  },
  {
    name: 'only server/http knows Express',
    applies: (i) => i.spec === 'express' && i.file.startsWith('server/'),
    allowed: (i) => i.file.startsWith('server/http/'),
  },
  {
    name: 'only electron/ knows Electron',
    applies: (i) => i.spec === 'electron',
    allowed: (i) => i.file.startsWith('electron/'),
  },
  {
    // The method parameters are declared once, as schemas; the contract only derives their types.
    // Its area files name each other's types (`import type`, `export type … from`) and nothing else.
    name: 'the console contract imports nothing but `import type` of its own files (and, in contract.ts, the parameter schemas)',
    applies: (i) => inContract(i.file),
    allowed: (i) => i.typeOnly && (toContract(i) || (i.file === `${CONTRACT}.ts` && i.target === 'server/console/schemas')),
  },
  {
    // contract.ts is the one entry point: importers never depend on how the contract is split.
    name: 'the contract/ folder is reached only through contract.ts',
    applies: (i) => !inContract(i.file) && !bare(i) && i.target.startsWith(`${CONTRACT}/`),
    allowed: () => false,
  },
  {
    // The renderer reaches the schemas through the contract's types, so the module must stay one
    // the renderer's typecheck can read: valibot and the contract's types, nothing of the server.
    name: 'the parameter schemas import only valibot and the contract types',
    applies: (i) => i.file === 'server/console/schemas.ts',
    allowed: (i) => i.spec === 'valibot' || (i.typeOnly && i.target === 'server/console/contract'),
  },
  {
    // The contract is the shared vocabulary of the console: any layer may name its types, but no
    // layer outside server/console depends on a value in it (it holds none), so it stays import-free.
    name: 'outside server/console, the console contract is imported with `import type` only',
    applies: (i) => toContract(i) && !i.file.startsWith('server/console/'),
    allowed: (i) => i.typeOnly,
  },
  {
    name: 'hosts and handlers see services, never server/store',
    applies: (i) => HOSTS_AND_HANDLERS.some((h) => i.file.startsWith(h)) && !bare(i),
    allowed: (i) => !within(i, 'server/store'),
  },
  {
    name: 'the server never imports the renderer or Electron hosts',
    applies: (i) => i.file.startsWith('server/') && !bare(i),
    allowed: (i) => !within(i, 'renderer') && !within(i, 'electron'),
  },
  {
    name: 'the renderer sees the server only as `import type` of the contract (or its parameter schemas)',
    applies: (i) => i.file.startsWith('renderer/') && !bare(i) && within(i, 'server'),
    allowed: (i) => i.typeOnly && (i.target === 'server/console/contract' || i.target === 'server/console/schemas'),
  },
  {
    // Types only reach the renderer: valibot (like any schema code) stays out of its bundle.
    name: 'the renderer never imports valibot',
    applies: (i) => i.file.startsWith('renderer/') && i.spec === 'valibot',
    allowed: () => false,
  },
  {
    name: 'renderer features never import each other',
    applies: (i) => i.file.startsWith('renderer/features/') && within(i, 'renderer/features'),
    allowed: (i) => i.file.split('/')[2] === i.target.split('/')[2],
  },
];

export function violations(imports: Import[]): string[] {
  return RULES.flatMap((r) => imports.filter((i) => r.applies(i) && !r.allowed(i)).map((i) => `${r.name}: ${i.file} imports '${i.spec}'`));
}

/**
 * SQL lives in server/store only: elsewhere, no `.prepare(` call and no better-sqlite3 import or
 * require, and only the composition root may hand out its store (`startNodeWithStore`, for tests).
 */
export function sqlLeaks(file: string, text: string): string[] {
  if (file.startsWith('server/store/')) return [];
  const out: string[] = [];
  text.split('\n').forEach((line, n) => {
    const at = `${file}:${n + 1}`;
    if (/\.prepare\s*(<[^>]*>)?\s*\(/.test(line)) out.push(`SQL outside server/store: ${at} calls .prepare(`);
    if (/(from|require\(|import\()\s*['"]better-sqlite3['"]/.test(line)) out.push(`SQL outside server/store: ${at} uses better-sqlite3`);
    if (/\bstartNodeWithStore\b/.test(line) && file !== 'server/node.ts')
      out.push(`the store stays in the composition root: ${at} uses startNodeWithStore`);
  });
  return out;
}

const SOURCES = ['server', 'electron', 'renderer'].flatMap(walk).map((f) => ({ file: f, text: readFileSync(join(ROOT, f), 'utf8') }));
const ALL = SOURCES.flatMap(({ file, text }) => importsOf(file, text));

describe('dependency rule', () => {
  it('finds the imports it checks', () => {
    expect(ALL.length).toBeGreaterThan(300);
    expect(ALL.some((i) => i.file === 'server/node.ts' && i.target === 'server/http/scim-app')).toBe(true);
  });

  it('holds for every import in server/, electron/ and renderer/', () => {
    expect(violations(ALL)).toEqual([]);
  });

  it("sees the contract's `export type { … } from` re-exports, one or more lines long", () => {
    const areas = readdirSync(join(ROOT, CONTRACT)).map((f) => `${CONTRACT}/${f.replace(/\.ts$/, '')}`);
    expect(areas.length).toBeGreaterThan(10);
    const reexported = ALL.filter((i) => i.file === `${CONTRACT}.ts` && i.typeOnly).map((i) => i.target);
    expect([...new Set(reexported)].filter((t) => t !== 'server/console/schemas').sort()).toEqual(areas.sort());
    expect(importsOf(`${CONTRACT}.ts`, "export type {\n  A,\n  B,\n} from './contract/extensions.js';")).toEqual([
      { file: `${CONTRACT}.ts`, spec: './contract/extensions.js', target: `${CONTRACT}/extensions`, typeOnly: true },
    ]);
  });

  it.each([
    ['server/scim/filter.ts', "import { x } from 'express';", 'server/scim imports nothing outside itself'],
    ['server/scim/filter.ts', "import { readFileSync } from 'node:fs';", 'server/scim imports nothing outside itself'],
    ['server/scim/filter.ts', "import { openDb } from '../store/db.js';", 'server/scim imports nothing outside itself'],
    ['server/store/users-repo.ts', "import { x } from '../directory/users.js';", 'server/store imports only itself'],
    ['server/store/roles-repo.ts', "import { Role } from '../console/contract.js';", 'server/store imports only itself'],
    ['server/store/roles-repo.ts', "import type { x } from '../console/handlers.js';", 'server/store imports only itself'],
    ['server/store/roles-repo.ts', "import type { x } from '../directory/members.js';", 'server/store imports only itself'],
    ['server/directory/users.ts', "import express from 'express';", 'only server/http knows Express'],
    ['server/node.ts', "import { app } from 'electron';", 'only electron/ knows Electron'],
    ['server/console/contract.ts', "import type { Json } from '../scim/json.js';", 'the console contract imports nothing but'],
    ['server/console/contract.ts', "import { CONSOLE_PARAMS } from './schemas.js';", 'the console contract imports nothing but'],
    ['server/console/contract.ts', "export { TokenSummary } from './contract/tokens.js';", 'the console contract imports nothing but'],
    ['server/console/contract.ts', "export * from './contract/tokens.js';", 'the console contract imports nothing but'],
    ['server/console/contract/members.ts', "import { Role } from './mappings.js';", 'the console contract imports nothing but'],
    [
      'server/console/contract/events.ts',
      "export { DownstreamEventItem } from './deliveries.js';",
      'the console contract imports nothing but',
    ],
    ['server/console/contract/tokens.ts', "import type { Json } from '../../scim/json.js';", 'the console contract imports nothing but'],
    [
      'server/console/contract/tokens.ts',
      "import type { TokenRow } from '../../store/tokens-repo.js';",
      'the console contract imports nothing but',
    ],
    ['server/console/contract/settings.ts', "import type * as v from 'valibot';", 'the console contract imports nothing but'],
    [
      'server/console/contract/tokens.ts',
      "import type { ConsoleParams } from '../schemas.js';",
      'the console contract imports nothing but',
    ],
    [
      'server/console/handlers.ts',
      "import type { TokenSummary } from './contract/tokens.js';",
      'the contract/ folder is reached only through',
    ],
    [
      'server/events/alerts.ts',
      "import type { Alert } from '../console/contract/alerts.js';",
      'the contract/ folder is reached only through',
    ],
    ['renderer/api/client.ts', "import type { Role } from '../../server/console/contract/mappings';", 'the renderer sees the server only'],
    [
      'electron/main.ts',
      "import { x } from '../server/console/contract/tokens.js';",
      'the console contract is imported with `import type` only',
    ],
    ['server/console/schemas.ts', "import { SETTING_KEYS } from '../settings/settings.js';", 'the parameter schemas import only'],
    ['server/console/schemas.ts', "import { isObject } from '../scim/json.js';", 'the parameter schemas import only'],
    ['renderer/api/client.ts', "import { parseParams } from '../../server/console/schemas';", 'the renderer sees the server only'],
    ['renderer/api/client.ts', "import * as v from 'valibot';", 'the renderer never imports valibot'],
    ['server/serve.ts', "import { App } from '../renderer/app/App.js';", 'the server never imports the renderer'],
    ['renderer/api/client.ts', "import { CONSOLE_METHODS } from '../../server/console/methods';", 'the renderer sees the server only'],
    ['renderer/api/client.ts', "import { x } from '../../server/console/contract';", 'the renderer sees the server only'],
    ['renderer/features/tokens/Secret.tsx', "import { x } from '../events/slice';", 'renderer features never import each other'],
    [
      'server/events/alerts.ts',
      "import { SETTING_KEYS } from '../console/contract.js';",
      'the console contract is imported with `import type` only',
    ],
    ['electron/main.ts', "import { x } from '../server/console/contract.js';", 'the console contract is imported with `import type` only'],
    [
      'electron/main.ts',
      "import { StatsRepo } from '../server/store/stats-repo.js';",
      'hosts and handlers see services, never server/store',
    ],
    [
      'server/console/handlers.ts',
      "import type { StatsRepo } from '../store/stats-repo.js';",
      'hosts and handlers see services, never server/store',
    ],
    ['server/serve.ts', "import { StatsRepo } from './store/stats-repo.js';", 'hosts and handlers see services, never server/store'],
  ])('catches a wrong arrow: %s with %s', (file, line, rule) => {
    const found = violations(importsOf(file, line));
    expect(found.filter((v) => v.includes(rule))).toHaveLength(1);
  });

  it("lets the contract's files name each other's types, and contract.ts the parameter schemas", () => {
    expect(violations(importsOf('server/console/contract/members.ts', "import type { Role } from './mappings.js';"))).toEqual([]);
    expect(violations(importsOf('server/console/contract/tokens.ts', "import type { ConsoleMethod } from '../contract.js';"))).toEqual([]);
    const entry = "import type { ConsoleParams } from './schemas.js';\nexport type {\n  Role,\n} from './contract/mappings.js';";
    expect(violations(importsOf('server/console/contract.ts', entry))).toEqual([]);
  });

  it.each([
    "import type { Role, AuditEntry } from '../console/contract.js';",
    "import type {\n  TokenSummary,\n} from '../console/contract.js';",
  ])('lets the store name the contract types: %s', (line) => {
    expect(violations(importsOf('server/store/roles-repo.ts', line))).toEqual([]);
  });

  it('lets services import contract types and store modules', () => {
    expect(violations(importsOf('server/events/alerts.ts', "import type { HealthReport } from '../console/contract.js';"))).toEqual([]);
    expect(violations(importsOf('server/directory/overview.ts', "import type { StatsRepo } from '../store/stats-repo.js';"))).toEqual([]);
  });
});

describe('SQL stays in server/store', () => {
  it('holds for every file in server/, electron/ and renderer/', () => {
    expect(SOURCES.length).toBeGreaterThan(100);
    expect(SOURCES.flatMap(({ file, text }) => sqlLeaks(file, text))).toEqual([]);
  });

  it.each([
    ['server/events/events.ts', "    this.bounds = db.prepare('SELECT min(id) FROM events');", '.prepare('],
    ['server/events/metrics.ts', '  const counts = db.prepare<[string], { n: number }>(', '.prepare('],
    ['server/node.ts', "  const ping = db\n    .prepare('SELECT 1');", '.prepare('],
    ['server/ops/backup.ts', "import Database from 'better-sqlite3';", 'better-sqlite3'],
    ['electron/main.ts', "import type { Database } from 'better-sqlite3';", 'better-sqlite3'],
    ['server/cli/shared.ts', "const Database = require('better-sqlite3');", 'better-sqlite3'],
    ['server/serve.ts', 'const { node, db } = startNodeWithStore(config);', 'startNodeWithStore'],
  ])('catches SQL outside the store: %s with %s', (file, text, what) => {
    const found = sqlLeaks(file, text);
    expect(found).toHaveLength(1);
    expect(found[0]).toContain(what);
  });

  it('leaves server/store alone', () => {
    expect(sqlLeaks('server/store/users-repo.ts', "import Database from 'better-sqlite3';\nconst s = db.prepare('SELECT 1');")).toEqual([]);
  });
});
