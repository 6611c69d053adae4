#!/usr/bin/env node
// Entry of the `longview` command (bundled to dist/cli.js).
import { main } from './main';
import { reasonOf } from '../reasonOf';

/** Exits once stdout and stderr are flushed: process.exit() alone can cut piped output short. */
function exitAfterFlush(code: number): void {
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}

main(process.argv.slice(2)).then(exitAfterFlush, (err) => {
  process.stderr.write(`longview: internal error: ${reasonOf(err)}\n`);
  exitAfterFlush(1);
});
