/**
 * The console's Content-Security-Policy, defined once for every place that serves the renderer: the
 * headless console listener sends it as a header, Electron adds it to every response (Electron's
 * security checklist, item 7), and the renderer build writes it into index.html's <meta> tag, which is
 * where Electron's file:// pages get it from (see vite.config.ts).
 */
const DIRECTIVES = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
];

/** The header form. */
export const CONSOLE_CSP = DIRECTIVES.join('; ');

/** The <meta> form: frame-ancestors is ignored in a meta tag (CSP Level 3, §6.4.2), so it is left out. */
export const CONSOLE_CSP_META = DIRECTIVES.filter((d) => !d.startsWith('frame-ancestors')).join('; ');

/** The placeholder index.html carries where the build writes the policy. */
export const CSP_PLACEHOLDER = '%CONSOLE_CSP%';

/** Writes the policy into index.html; throws when the placeholder is missing, so a build cannot ship without it. */
export function injectCsp(html: string): string {
  if (!html.includes(CSP_PLACEHOLDER)) throw new Error(`index.html has no ${CSP_PLACEHOLDER} placeholder for the console CSP`);
  return html.replaceAll(CSP_PLACEHOLDER, CONSOLE_CSP_META);
}
