import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { DeclareResult } from '../directory/extensions.js';
import type { JsonObject } from '../scim/json.js';
import { dataOption, out, printJson, terminalSafe, withNode } from './shared.js';

/**
 * Prints what a declaration did. A declaration the data violates is an error (exit 1): the
 * violations go to stderr one a line (terminal-safe: they quote stored userNames and values), then
 * the error line.
 */
function report(r: DeclareResult, verb: string): void {
  if (r.applied) {
    out(`${verb} ${r.declaration.id}`);
    return;
  }
  for (const v of r.violations) {
    const value = v.value === undefined ? '' : ` ${JSON.stringify(v.value)}`;
    process.stderr.write(`  ${terminalSafe(`${v.userName} (${v.userId}): ${v.attribute} ${v.problem}${value}: ${v.detail}`)}\n`);
  }
  if (r.total > r.violations.length) process.stderr.write(`  … and ${r.total - r.violations.length} more\n`);
  throw new Error(`the stored data does not satisfy this declaration (${r.total} violation(s), listed above); nothing was changed`);
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch (e) {
    throw new Error(`cannot read ${file} as JSON: ${(e as Error).message}`);
  }
}

interface AttrFlags {
  schema: string;
  name: string;
  type: string;
  description?: string;
  multiValued?: boolean;
  caseExact?: boolean;
  required?: boolean;
  uniqueness?: string;
  mutability?: string;
  returned?: string;
  indexed?: boolean;
  check?: boolean;
  data?: string;
}

/** `scimdesk schema …`: declare extension schemas (RFC 7643 §3.3, §7) and see undeclared data. */
export function registerSchemaCommands(program: Command): void {
  const schema = program
    .command('schema')
    .description('custom extension schemas: declare, list, check (a running node picks changes up within a second)');
  schema
    .command('add')
    .description('declare (or redeclare) an extension schema from an RFC 7643 §7 schema JSON file')
    .requiredOption('--file <path>', 'the schema JSON: {"id": "urn:…", "name": …, "attributes": [ … ]}')
    .option('--check', 'check the stored data against it and change nothing')
    .option(...dataOption)
    .action(async (flags: { file: string; check?: boolean; data?: string }) => {
      const input = readJson(flags.file);
      const r = await withNode(flags.data, (node) => (flags.check ? node.extensions.check(input) : node.extensions.declare(input)));
      if (flags.check && r.total === 0) out(`ok: the stored data satisfies ${r.declaration.id}`);
      else report(r, 'declared');
    });
  schema
    .command('add-attribute')
    .description('add or redefine one attribute of an extension (declares the extension if it is new)')
    .requiredOption('--schema <urn>', 'extension schema URN, e.g. urn:ietf:params:scim:schemas:extension:CustomExt:2.0:User')
    .requiredOption('--name <name>', 'attribute name, e.g. costCenter')
    .requiredOption('--type <type>', 'string | boolean | decimal | integer | dateTime | reference (complex: use schema add --file)')
    .option('--description <text>', 'description shown in /Schemas')
    .option('--multi-valued', 'multiValued: true')
    .option('--case-exact', 'caseExact: true')
    .option('--required', 'required: true (checked against every stored user first)')
    .option('--uniqueness <u>', 'none | server (server is checked against the stored data first)')
    .option('--mutability <m>', 'readWrite | readOnly | immutable | writeOnly')
    .option('--returned <r>', 'default | always | never | request')
    .option('--indexed', 'keep an expression index so filters on it stay index lookups')
    .option('--check', 'check the stored data against it and change nothing')
    .option(...dataOption)
    .action(async (flags: AttrFlags) => {
      const attr: JsonObject = { name: flags.name, type: flags.type };
      if (flags.description !== undefined) attr.description = flags.description;
      if (flags.multiValued) attr.multiValued = true;
      if (flags.caseExact) attr.caseExact = true;
      if (flags.required) attr.required = true;
      if (flags.uniqueness !== undefined) attr.uniqueness = flags.uniqueness;
      if (flags.mutability !== undefined) attr.mutability = flags.mutability;
      if (flags.returned !== undefined) attr.returned = flags.returned;
      if (flags.indexed) attr.indexed = true;
      const r = await withNode(flags.data, (node) => {
        if (!flags.check) return node.extensions.addAttribute(flags.schema, attr);
        return node.extensions.check(node.extensions.withAttribute(flags.schema, attr));
      });
      if (flags.check && r.total === 0) out(`ok: the stored data satisfies ${flags.schema}:${flags.name}`);
      else report(r, `declared ${flags.name} in`);
    });
  schema
    .command('list')
    .description('the declared extension schemas')
    .option('--json', 'the declarations as JSON (the format schema add --file reads)')
    .option(...dataOption)
    .action(async (flags: { json?: boolean; data?: string }) => {
      const list = await withNode(flags.data, (node) => node.extensions.list());
      if (flags.json) return printJson(list);
      if (list.length === 0) return out('no extension schemas declared');
      for (const d of list) {
        out(d.id);
        for (const a of d.attributes) {
          const flagsText = (['multiValued', 'required', 'caseExact', 'indexed'] as const).filter((k) => a[k] === true);
          const shown: string[] = [...flagsText, ...(a.uniqueness === 'server' ? ['unique'] : [])];
          out(`  ${a.name}: ${a.type}${shown.length ? ` (${shown.join(', ')})` : ''}`);
        }
      }
    });
  schema
    .command('remove')
    .description('remove a declaration; stored values stay and are returned as undeclared data')
    .argument('<urn>', 'extension schema URN')
    .option(...dataOption)
    .action(async (urn: string, flags: { data?: string }) => {
      const gone = await withNode(flags.data, (node) => node.extensions.remove(urn));
      if (!gone) throw new Error(`no extension "${urn}" is declared`);
      out(`removed ${urn}`);
    });
  schema
    .command('undeclared')
    .description('extension attributes received without a declaration (kept, unless undeclaredExtensions is "reject")')
    .option('--json', 'as JSON')
    .option(...dataOption)
    .action(async (flags: { json?: boolean; data?: string }) => {
      const rows = await withNode(flags.data, (node) => node.extensions.undeclared());
      if (flags.json) return printJson(rows);
      if (rows.length === 0) return out('no undeclared extension attributes seen');
      for (const r of rows) out(`${r.urn}:${r.attribute}  ${r.valueTypes.join('|')}  seen ${r.count}×, last ${r.lastSeen}`);
    });
  schema
    .command('propose')
    .description('print a declaration proposed from the undeclared attributes seen under a URN (edit, then schema add --file)')
    .argument('<urn>', 'extension schema URN')
    .option(...dataOption)
    .action(async (urn: string, flags: { data?: string }) => {
      printJson(await withNode(flags.data, (node) => node.extensions.propose(urn)));
    });
}
