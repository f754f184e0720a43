/**
 * One CSV cell (RFC 4180), safe to open in a spreadsheet. Stored data comes from anyone who can
 * reach the SCIM port (a User-Agent needs no token), so a cell that starts like a formula (`=`, `+`,
 * `-`, `@`, or a tab or carriage return before one) gets a leading `'`, which spreadsheets read as
 * "text" (OWASP, CSV injection). Quotes, commas and line breaks are quoted as RFC 4180 §2 says.
 */
export function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  let s = typeof v === 'string' ? v : JSON.stringify(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}
