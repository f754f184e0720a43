import { main } from './main.js';

// `serve` keeps running through its listener; other commands exit with their status.
main(process.argv.slice(2)).then(
  (code) => {
    if (code !== 0) process.exit(code);
  },
  (e: unknown) => {
    process.stderr.write(`scimdesk: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
