import { badRequest, type ScimError, type ScimType } from './errors.js';
import type { AttrPath, CompareOp, CompValue, Filter, PatchPath } from './filter-ast.js';
import { MAX_FILTER_COMPARISONS, MAX_FILTER_DEPTH, MAX_FILTER_LENGTH, MAX_FILTER_VALUE_PATHS } from './limits.js';
import { ALL_SCHEMAS } from './schemas.js';

/**
 * Parser for the filter language of RFC 7644 §3.4.2.2 (ABNF, Figure 1) and the PATCH path of
 * RFC 7644 §3.5.2 (ABNF, Figure 8). Text is split into tokens, then a recursive-descent parser
 * builds the AST of filter-ast.ts. Positions in error messages are 1-based character columns.
 */

export { MAX_FILTER_DEPTH, MAX_FILTER_LENGTH } from './limits.js';

const COMPARE_OPS: readonly CompareOp[] = ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le'];

/** ATTRNAME = ALPHA *(nameChar) (RFC 7644 §3.4.2.2); "$ref" is the one reserved name (RFC 7643 §2.3.7). */
const ATTR_NAME = /^(?:[A-Za-z][A-Za-z0-9_-]*|\$ref)$/;
/** The URI before an attribute name: a scheme, a colon, then anything (schema URNs contain dots). */
const SCHEMA_URI = /^[A-Za-z][A-Za-z0-9+.-]*:.+$/;
/** number from RFC 7159 §6, which compValue borrows. */
const JSON_NUMBER = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/;

type Token =
  | { kind: 'word'; text: string; pos: number; end: number }
  | { kind: 'string'; value: string; pos: number; end: number }
  | { kind: '(' | ')' | '[' | ']'; pos: number; end: number };

interface Mode {
  scimType: ScimType;
  noun: 'filter' | 'path';
}

const FILTER_MODE: Mode = { scimType: 'invalidFilter', noun: 'filter' };
const PATH_MODE: Mode = { scimType: 'invalidPath', noun: 'path' };

const isSpace = (c: string): boolean => c === ' ' || c === '\t' || c === '\r' || c === '\n';
const isDelimiter = (c: string): boolean => isSpace(c) || c === '(' || c === ')' || c === '[' || c === ']' || c === '"';

const SIMPLE_ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

class Parser {
  private readonly tokens: Token[];
  private index = 0;
  private depth = 0;
  /** Counted while parsing, checked once the filter is read, so the error can give the totals. */
  private comparisons = 0;
  private valuePaths = 0;

  constructor(
    private readonly text: string,
    private readonly mode: Mode,
  ) {
    if (text.trim() === '') throw badRequest(mode.scimType, `invalid ${mode.noun}: the ${mode.noun} is empty`);
    if (text.length > MAX_FILTER_LENGTH) {
      throw badRequest(mode.scimType, `invalid ${mode.noun}: longer than ${MAX_FILTER_LENGTH} characters`);
    }
    this.tokens = this.tokenize();
  }

  fail(pos: number, message: string): ScimError {
    return badRequest(this.mode.scimType, `invalid ${this.mode.noun} at position ${pos + 1}: ${message}`);
  }

  private tokenize(): Token[] {
    const { text } = this;
    const tokens: Token[] = [];
    let i = 0;
    while (i < text.length) {
      const c = text.charAt(i);
      if (isSpace(c)) {
        i++;
      } else if (c === '(' || c === ')' || c === '[' || c === ']') {
        tokens.push({ kind: c as '(' | ')' | '[' | ']', pos: i, end: i + 1 });
        i++;
      } else if (c === '"') {
        const token = this.readString(i);
        tokens.push(token);
        i = token.end;
      } else {
        const start = i;
        while (i < text.length && !isDelimiter(text.charAt(i))) i++;
        tokens.push({ kind: 'word', text: text.slice(start, i), pos: start, end: i });
      }
    }
    return tokens;
  }

  /** A JSON string (RFC 7159 §7): escapes are decoded; raw control characters are not allowed. */
  private readString(start: number): Token {
    const { text } = this;
    let value = '';
    let i = start + 1;
    while (i < text.length) {
      const c = text.charAt(i);
      if (c === '"') return { kind: 'string', value, pos: start, end: i + 1 };
      if (c === '\\') {
        const e = text.charAt(i + 1);
        const simple = SIMPLE_ESCAPES[e];
        if (simple !== undefined) {
          value += simple;
          i += 2;
        } else if (e === 'u' && /^[0-9A-Fa-f]{4}$/.test(text.slice(i + 2, i + 6))) {
          value += String.fromCharCode(Number.parseInt(text.slice(i + 2, i + 6), 16));
          i += 6;
        } else {
          throw this.fail(i, `invalid escape "\\${e}" in string`);
        }
      } else if (c.charCodeAt(0) < 0x20) {
        throw this.fail(i, 'control characters must be escaped in a string');
      } else {
        value += c;
        i++;
      }
    }
    throw this.fail(start, 'unterminated string');
  }

  private peek(offset = 0): Token | undefined {
    return this.tokens[this.index + offset];
  }

  private endPos(): number {
    return this.text.length;
  }

  private show(token: Token): string {
    const raw = this.text.slice(token.pos, token.end);
    return `"${raw.length > 100 ? `${raw.slice(0, 100)}…` : raw}"`;
  }

  private isKeyword(token: Token | undefined, keyword: string): boolean {
    return token?.kind === 'word' && token.text.toLowerCase() === keyword;
  }

  private enter(pos: number): void {
    this.depth++;
    if (this.depth > MAX_FILTER_DEPTH) throw this.fail(pos, `nesting deeper than ${MAX_FILTER_DEPTH} levels`);
  }

  /** or binds loosest, then and, then not (RFC 7644 §3.4.2.2, order of operations). Left-associative. */
  parseOr(inValuePath: boolean): Filter {
    let left = this.parseAnd(inValuePath);
    while (this.isKeyword(this.peek(), 'or')) {
      this.index++;
      left = { kind: 'or', left, right: this.parseAnd(inValuePath) };
    }
    return left;
  }

  private parseAnd(inValuePath: boolean): Filter {
    let left = this.parseUnary(inValuePath);
    while (this.isKeyword(this.peek(), 'and')) {
      this.index++;
      left = { kind: 'and', left, right: this.parseUnary(inValuePath) };
    }
    return left;
  }

  private parseUnary(inValuePath: boolean): Filter {
    const token = this.peek();
    if (!token) throw this.fail(this.endPos(), `expected an attribute path, "(" or "not" but the ${this.mode.noun} ended`);
    if (token.kind === '(') return this.parseGroup(inValuePath);
    if (this.isKeyword(token, 'not')) {
      if (this.peek(1)?.kind !== '(') throw this.fail(token.end, '"not" must be followed by a parenthesized filter');
      this.index++;
      return { kind: 'not', filter: this.parseGroup(inValuePath) };
    }
    // A stray logical keyword is a missing operand, not an attribute named "and" or "or".
    if (token.kind === 'word' && !this.isKeyword(token, 'and') && !this.isKeyword(token, 'or')) {
      return this.parseAttrExp(token, inValuePath);
    }
    throw this.fail(token.pos, `expected an attribute path, "(" or "not" but found ${this.show(token)}`);
  }

  private parseGroup(inValuePath: boolean): Filter {
    const open = this.tokens[this.index++] as Token;
    this.enter(open.pos);
    const inner = this.parseOr(inValuePath);
    this.expectClose(')', open);
    this.depth--;
    return inner;
  }

  private expectClose(kind: ')' | ']', open: Token): void {
    const token = this.peek();
    if (token?.kind === kind) {
      this.index++;
      return;
    }
    const what = `"${kind}" to close "${kind === ')' ? '(' : '['}" at position ${open.pos + 1}`;
    if (!token) throw this.fail(this.endPos(), `expected ${what} but the ${this.mode.noun} ended`);
    throw this.fail(token.pos, `expected "and", "or" or ${what} but found ${this.show(token)}`);
  }

  private parseAttrExp(token: Token & { kind: 'word' }, inValuePath: boolean): Filter {
    this.index++;
    this.comparisons++;
    const path = this.attrPath(token);
    const next = this.peek();
    if (next?.kind === '[') {
      if (inValuePath) throw this.fail(next.pos, 'value filters cannot be nested (RFC 7644 §3.4.2.2)');
      // The attribute before the brackets is not itself a comparison.
      this.comparisons--;
      this.valuePaths++;
      return { kind: 'valuePath', path, filter: this.parseValueFilter(path, token) };
    }
    if (next?.kind !== 'word') {
      const found = next ? `found ${this.show(next)}` : `the ${this.mode.noun} ended`;
      throw this.fail(next ? next.pos : this.endPos(), `expected a comparison operator after ${this.show(token)} but ${found}`);
    }
    const op = next.text.toLowerCase();
    this.index++;
    if (op === 'pr') {
      const after = this.peek();
      if (after && this.isValueToken(after)) throw this.fail(after.pos, `"pr" takes no value but found ${this.show(after)}`);
      return { kind: 'present', path };
    }
    if (!(COMPARE_OPS as readonly string[]).includes(op)) {
      throw this.fail(next.pos, `expected a comparison operator after ${this.show(token)} but found ${this.show(next)}`);
    }
    return { kind: 'compare', path, op: op as CompareOp, value: this.compValue(next) };
  }

  /** valuePath = attrPath "[" valFilter "]"; the attrPath names a complex attribute, not a sub-attribute. */
  parseValueFilter(path: AttrPath, token: Token): Filter {
    if (path.sub !== undefined) {
      throw this.fail(token.pos, `a value filter must follow an attribute, not the sub-attribute ${this.show(token)}`);
    }
    const open = this.tokens[this.index++] as Token;
    this.enter(open.pos);
    const inner = this.parseOr(true);
    this.expectClose(']', open);
    this.depth--;
    return inner;
  }

  private isValueToken(token: Token): boolean {
    if (token.kind === 'string') return true;
    if (token.kind !== 'word') return false;
    const t = token.text.toLowerCase();
    return t === 'true' || t === 'false' || t === 'null' || /^-?[0-9]/.test(t);
  }

  /** compValue = false / null / true / number / string (JSON, RFC 7159); keywords case-insensitive. */
  private compValue(opToken: Token): CompValue {
    const token = this.peek();
    const opText = this.show(opToken);
    if (!token) throw this.fail(this.endPos(), `expected a value after ${opText} but the ${this.mode.noun} ended`);
    this.index++;
    if (token.kind === 'string') return token.value;
    if (token.kind === 'word') {
      const t = token.text.toLowerCase();
      if (t === 'true') return true;
      if (t === 'false') return false;
      if (t === 'null') return null;
      if (JSON_NUMBER.test(t)) {
        const n = Number(t);
        if (!Number.isFinite(n)) throw this.fail(token.pos, `number ${this.show(token)} is out of range`);
        return n;
      }
    }
    throw this.fail(
      token.pos,
      `expected a value (a quoted string, number, true, false or null) after ${opText} but found ${this.show(token)}`,
    );
  }

  /** attrPath = [URI ":"] ATTRNAME *1subAttr. The URI ends at the last ':' since URNs hold dots ("2.0"). */
  attrPath(token: Token & { kind: 'word' }): AttrPath {
    const text = token.text;
    const colon = text.lastIndexOf(':');
    const uri = colon >= 0 ? text.slice(0, colon) : undefined;
    const parts = text.slice(colon + 1).split('.');
    const [name, sub] = parts;
    const valid =
      (uri === undefined || SCHEMA_URI.test(uri)) &&
      parts.length <= 2 &&
      name !== undefined &&
      ATTR_NAME.test(name) &&
      (sub === undefined || ATTR_NAME.test(sub));
    if (!valid || name === undefined) throw this.fail(token.pos, `invalid attribute path ${this.show(token)}`);
    if (sub === undefined && ALL_SCHEMAS.some((s) => s.id.toLowerCase() === text.toLowerCase())) {
      throw this.fail(token.pos, `${this.show(token)} names a schema, not an attribute`);
    }
    const path: AttrPath = { name };
    if (uri !== undefined) path.uri = uri;
    if (sub !== undefined) path.sub = sub;
    return path;
  }

  /** The attrPath token that starts a PATCH path; anything else there is an error. */
  leadingPath(): AttrPath {
    const token = this.peek();
    if (token?.kind !== 'word') throw this.fail(token ? token.pos : 0, 'expected an attribute path');
    this.index++;
    return this.attrPath(token);
  }

  /** The work a filter asks for grows with its comparisons and value filters (issue #15 item 7). */
  checkSize(): void {
    const fail = (what: string, n: number, max: number) =>
      badRequest(this.mode.scimType, `invalid ${this.mode.noun}: ${n} ${what}; at most ${max} are allowed`);
    if (this.valuePaths > MAX_FILTER_VALUE_PATHS) throw fail('value filters', this.valuePaths, MAX_FILTER_VALUE_PATHS);
    if (this.comparisons > MAX_FILTER_COMPARISONS) throw fail('comparisons', this.comparisons, MAX_FILTER_COMPARISONS);
  }

  /** Everything consumed: a leftover token is trailing garbage. */
  expectEnd(): void {
    const token = this.peek();
    if (!token) return;
    if (token.kind === ')' || token.kind === ']') {
      throw this.fail(token.pos, `unexpected ${this.show(token)} without a matching "${token.kind === ')' ? '(' : '['}"`);
    }
    throw this.fail(token.pos, `expected "and", "or" or the end of the ${this.mode.noun} but found ${this.show(token)}`);
  }

  /** PATH = attrPath / valuePath [subAttr] (RFC 7644 §3.5.2, Figure 8). */
  parsePatchPath(): PatchPath {
    const first = this.peek();
    const attr = this.leadingPath();
    const result: PatchPath = { attr };
    if (this.peek()?.kind === '[' && first) {
      result.filter = this.parseValueFilter(attr, first);
      const after = this.peek();
      if (after?.kind === 'word') {
        const sub = after.text.startsWith('.') ? after.text.slice(1) : undefined;
        if (sub === undefined || !ATTR_NAME.test(sub)) {
          throw this.fail(after.pos, `expected "." and a sub-attribute name after "]" but found ${this.show(after)}`);
        }
        this.index++;
        result.subAfterFilter = sub;
      }
    }
    const rest = this.peek();
    if (rest) throw this.fail(rest.pos, `unexpected ${this.show(rest)} after the attribute path`);
    return result;
  }
}

/** Parse a `filter` query parameter or .search body filter (RFC 7644 §3.4.2.2); errors are invalidFilter. */
export function parseFilter(text: string): Filter {
  const parser = new Parser(text, FILTER_MODE);
  const filter = parser.parseOr(false);
  parser.expectEnd();
  parser.checkSize();
  return filter;
}

/** Parse a PATCH operation's "path" (RFC 7644 §3.5.2); errors are invalidPath. */
export function parsePath(text: string): PatchPath {
  const parser = new Parser(text, PATH_MODE);
  const path = parser.parsePatchPath();
  parser.checkSize();
  return path;
}
