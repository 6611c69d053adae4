// Progress on stderr: a rewritten line on a terminal, a line every few seconds otherwise (CI logs).
import type { ScanProgress } from '../index/indexer';

export function progressPrinter(quiet: boolean): (p: ScanProgress) => void {
  if (quiet) return () => undefined;
  const tty = process.stderr.isTTY;
  let last = 0;
  return (p) => {
    if (p.filesTotal === 0) return; // nothing to scan: stay silent
    const now = Date.now();
    const done = p.filesDone === p.filesTotal;
    if (!done && now - last < (tty ? 200 : 3000)) return;
    last = now;
    const eta = p.etaSeconds >= 0 && !done ? `, ~${formatSeconds(p.etaSeconds)} left` : '';
    const line = `${p.phase}: ${p.filesDone}/${p.filesTotal} files, ${p.tokensDone.toLocaleString('en')} tokens, ${p.tokensPerSecond.toLocaleString('en')} tokens/s${eta}`;
    if (tty) process.stderr.write(`\r\x1b[K${line}${done ? '\n' : ''}`);
    else process.stderr.write(`${line}\n`);
  };
}

/** "44s", "3m 30s", "1h 05m": minutes are not rounded away (3.5 minutes used to print as "4m"). */
export function formatSeconds(s: number): string {
  if (s < 90) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
