// Progress on stderr: a rewritten line on a terminal, a line every few seconds otherwise (CI logs).
import type { ScanProgress } from "../index/indexer";

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
    const eta = p.etaSeconds >= 0 && !done ? `, ~${formatSeconds(p.etaSeconds)} left` : "";
    const line = `${p.phase}: ${p.filesDone}/${p.filesTotal} files, ${p.tokensDone.toLocaleString("en")} tokens, ${p.tokensPerSecond.toLocaleString("en")} tokens/s${eta}`;
    if (tty) process.stderr.write(`\r\x1b[K${line}${done ? "\n" : ""}`);
    else process.stderr.write(`${line}\n`);
  };
}

function formatSeconds(s: number): string {
  return s < 90 ? `${s}s` : `${Math.round(s / 60)}m`;
}
