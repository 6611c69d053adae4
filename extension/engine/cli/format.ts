// Human-readable output of each command (the --json output is the result objects themselves; their
// fields are documented in docs/cli.md).
import type { SyncReport } from '../index/indexer';
import type { AskResult, EngineStatus, FileSummary, RecallResult, WorkspaceSummary } from '../results';
import { isMinor } from '../query/symbolRank';
import { groupByFile } from '../query/hitGroups';

export function formatIndex(r: SyncReport, status: EngineStatus): string {
  const skipped = Object.entries(r.skipped)
    .map(([why, n]) => `${n} ${why}`)
    .join(', ');
  return [
    `indexed ${status.files} files, ${status.regions} regions, ${status.tokens.toLocaleString('en')} tokens ` +
      `(${r.scanned} scanned now, ${r.unchanged} unchanged, ${r.removed} removed) in ${r.seconds.toFixed(1)}s`,
    skipped ? `skipped: ${skipped}` : '',
    `runtime: ${status.runtime} (${status.threads} threads); index: ${indexFile(status)}`,
  ]
    .filter(Boolean)
    .join('\n');
}

/**
 * An answer grouped by file: the files in the order of their best hit (fileRank), each with its
 * regions in rank order (the best first, the file's other matching regions under it); each hit keeps
 * its overall rank. --json keeps the flat ranked list, with each hit's fileRank.
 */
export function formatAsk(r: AskResult): string {
  const out: string[] = [];
  out.push(r.answer ? `answer: ${r.answer.text}` : 'no answer: the index has no regions');
  for (const { path, hits } of groupByFile(r.hits)) {
    out.push(`${hits[0].hit.fileRank}. ${path}`);
    for (const { hit: h, rank } of hits) {
      out.push(
        `   #${rank + 1} ${h.startLine}-${h.endLine}  ${h.symbol} (${h.kind})  score ${h.score.toFixed(3)}  ` +
          `${h.source}${h.source === 'exact' ? '' : h.recall === null ? ', recall not measured' : `, recall ${h.recall.toFixed(3)}`}`,
      );
      if (h.snippet) out.push(indent(h.snippet.split('\n').slice(0, 3).join('\n')));
    }
  }
  const left = r.notReread ? `; ${r.notReread} hits found by keyword search, forgotten and not re-read` : '';
  out.push(`(${r.ms.toFixed(0)} ms, ${r.rereads} re-read${left})`);
  return out.join('\n');
}

export function formatFileSummary(s: FileSummary): string {
  const out = [
    s.about ? `${s.path}: ${s.about.symbol ? `${s.about.symbol}: ` : ''}${s.about.text}` : `${s.path}`,
    ...(s.main.length ? [`main: ${s.main.join(', ')}`] : []),
    s.overview,
    s.recallShare === null
      ? `mean recall ${s.meanRecall.toFixed(3)} (share of the summary's recall not measured: it needs every region's recall probe, as \`longview recall\` measures them)`
      : `share of the summary's recall: ${(s.recallShare * 100).toFixed(2)}% (mean recall ${s.meanRecall.toFixed(3)})`,
  ];
  // Source order, constants and private helpers (and what is inside them) folded into one line at the end.
  const minor: string[] = [];
  let foldedDepth = -1;
  for (const sym of s.symbols) {
    if (foldedDepth >= 0 && sym.depth > foldedDepth) continue;
    foldedDepth = -1;
    if (isMinor({ name: sym.symbol, kind: sym.kind })) {
      minor.push(sym.symbol);
      foldedDepth = sym.depth;
      continue;
    }
    const used = sym.uses ? `, used ${sym.uses}× elsewhere` : '';
    out.push(`${'  '.repeat(sym.depth + 1)}${sym.symbol} (${sym.kind}, ${sym.startLine}-${sym.endLine}${used}): ${sym.description}`);
  }
  if (minor.length) out.push(`  ${minor.length} more, constants and private helpers: ${minor.join(', ')}`);
  if (s.imports.length) out.push(`imports: ${s.imports.join(', ')}`);
  if (s.exports.length) out.push(`exports: ${s.exports.join(', ')}`);
  return out.join('\n');
}

export function formatWorkspaceSummary(s: WorkspaceSummary, about?: { root: string; skipped: Record<string, number> }): string {
  if (s.files === 0) {
    const skipped = about
      ? Object.entries(about.skipped)
          .map(([why, n]) => `${n} ${why}`)
          .join(', ')
      : '';
    return `nothing to summarize: no files of ${about?.root ?? 'the workspace'} are indexed${skipped ? ` (skipped: ${skipped})` : ' (the folder has no source or text files)'}`;
  }
  const out = [
    `${s.files} files, ${s.regions} regions, ${s.importEdges} import edges between them`,
    'modules, most used first (source, then tests, examples, docs, scripts):',
  ];
  for (const m of s.modules) {
    const deps = m.dependsOn
      .slice(0, 5)
      .map((d) => d.module)
      .join(', ');
    const role = m.role === 'source' ? '' : `${m.role}, `;
    out.push(`  ${m.module}  (${role}${m.files} files, centrality ${m.centrality.toFixed(3)})${deps ? ` → ${deps}` : ''}`);
    if (m.about) out.push(`      ${m.about}`);
    out.push(`      key files: ${m.keyFiles.join(', ')}`);
  }
  if (s.externalImports.length) out.push(`external packages: ${s.externalImports.map((e) => `${e.name} (${e.files})`).join(', ')}`);
  return out.join('\n');
}

export function formatRecall(r: RecallResult, limit = 40): string {
  const sorted = [...r.regions].sort((a, b) => b.recall - a.recall);
  const out = [
    `${r.scope}: ${r.regions.length} regions, mean recall ${r.meanRecall.toFixed(4)}; summary ${kb(r.summaryBytes)} fixed, ` +
      `${r.stateTokens.toLocaleString('en')} tokens read (${r.staleTokens.toLocaleString('en')} of superseded versions)`,
  ];
  for (const e of sorted.slice(0, limit)) {
    const terms = [
      e.windowOverlap === undefined ? '' : `window overlap ${e.windowOverlap.toFixed(2)}`,
      e.probeGain === undefined ? '' : `probe ${e.probeGain >= 0 ? '+' : ''}${e.probeGain.toFixed(2)} nats/token`,
    ].filter(Boolean);
    out.push(
      `  ${e.recall.toFixed(4)}  ${e.path}:${e.startLine}-${e.endLine}  ${e.symbol}${terms.length ? `  (${terms.join(', ')})` : ''}`,
    );
  }
  if (sorted.length > limit) out.push(`  … ${sorted.length - limit} more (--json lists all)`);
  return out.join('\n');
}

export function formatStatus(s: EngineStatus): string {
  return [
    `workspace: ${s.roots.join(', ')}`,
    `index: ${s.complete ? 'complete' : 'incomplete (an interrupted scan resumes on the next index)'}; ${s.files} files, ${s.regions} regions, ${s.tokens.toLocaleString('en')} tokens`,
    `summary: ${kb(s.summaryBytes)} (fixed); ${s.staleTokens.toLocaleString('en')} stale tokens; ${s.checkpoints} checkpoints`,
    `runtime: ${s.runtime}, ${s.threads} threads (${s.runtimeReason})`,
    `index file: ${indexFile(s)}, updated ${s.updatedAt}`,
    ...s.notices.map((n) => `note: ${n}`),
  ].join('\n');
}

/**
 * Text for a terminal: file names and contents are the workspace's, and may hold escape sequences
 * (colours, cursor moves, OSC 8 links or title changes, a clear screen) or stray controls. Whole
 * ESC / CSI / OSC / DCS sequences are removed, then every other C0 and C1 control and DEL; tab and
 * newline stay.
 */
export function terminalText(s: string): string {
  return s.replace(TERMINAL_SEQUENCE, '').replace(CONTROL, '');
}
// CSI (ESC [ or U+009B) with its parameters; OSC, DCS, SOS, PM, APC strings up to BEL or ST; any other ESC + one byte.
const TERMINAL_SEQUENCE =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /(?:\x1b\[|\u009b)[0-?]*[ -/]*[@-~]?|(?:\x1b[\]PX^_]|[\u0090\u0098\u009d\u009e\u009f])[^\x07\x1b\u009c\n]*(?:\x07|\x1b\\|\u009c)?|\x1b[ -/]*[0-~]?/g;
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;

/**
 * --json output: JSON.stringify escapes C0 controls (ESC is written \u001b) but not DEL and C1, which
 * some terminals act on: those are escaped too. The parsed value is the same.
 */
export function jsonText(value: unknown): string {
  return JSON.stringify(value, null, 1).replace(/[\x7f-\x9f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The index file and its size; none is written for a workspace with no files (or where writing failed). */
function indexFile(s: EngineStatus): string {
  return s.indexBytes > 0 ? `${s.indexPath} (${kb(s.indexBytes)})` : `${s.indexPath} (not written${s.files === 0 ? ': no files' : ''})`;
}

function kb(bytes: number): string {
  return bytes >= 1 << 20 ? `${(bytes / (1 << 20)).toFixed(1)} MB` : `${(bytes / 1024).toFixed(1)} KB`;
}

function indent(s: string): string {
  return s
    .split('\n')
    .map((l) => `      ${l}`)
    .join('\n');
}
