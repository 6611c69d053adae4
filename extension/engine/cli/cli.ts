#!/usr/bin/env node
// Entry of the `longview` command (bundled to dist/cli.js).
import { main } from "./main";

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`longview: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
