// "Copy as Markdown" for the file summary and the workspace's module overview. Pure functions.
import {
  descriptionKey,
  fileRecallText,
  recallPercent,
  type AskHitView,
  type FileSummary,
  type SummaryRegion,
  type WorkspaceSummaryView,
} from '../protocol';

export function fileSummaryMarkdown(summary: FileSummary): string {
  const out: string[] = [`# ${summary.fileName}`, ''];
  const about = summary.insight?.about ?? summary.about;
  if (about) out.push(`${about.symbol ? `${about.symbol}: ` : ''}${about.text}`, '');
  if (summary.insight) {
    out.push(summary.insight.overview, '');
    const { meanRecall, recallShare, recallOf } = summary.insight;
    const share = recallShare === null ? '' : `; ${percent(recallShare)} of the workspace summary's recall`;
    out.push(
      recallOf === 'file'
        ? `Recall: mean ${percent(meanRecall)} over its regions${share}.`
        : `Unsaved edits. ${fileRecallText(meanRecall, recallOf)}${share ? ` Share${share.slice(1)}.` : ''}`,
      '',
    );
  }
  if (summary.regions.length) {
    out.push('## Symbols', '');
    const visit = (r: SummaryRegion, depth: number) => {
      const description = describe(summary, r);
      out.push(
        `${'  '.repeat(depth)}- \`${r.name}\` (${r.kind}, ${lines(r.startLine, r.endLine)})${description ? `: ${description}` : ''}`,
      );
      r.children.forEach((c) => visit(c, depth + 1));
    };
    summary.regions.forEach((r) => visit(r, 0));
    out.push('');
  }
  if (summary.imports.length) out.push('## Imports', '', ...summary.imports.map((i) => `- \`${i.source}\` (line ${i.line})`), '');
  if (summary.exports.length) out.push('## Exports', '', ...summary.exports.map((e) => `- \`${e.name}\` (line ${e.line})`), '');
  return out.join('\n').trimEnd() + '\n';
}

export function workspaceSummaryMarkdown(summary: WorkspaceSummaryView): string {
  const out: string[] = [
    '# Workspace overview',
    '',
    `${summary.files} files, ${summary.regions} regions, ${summary.importEdges} imports between workspace files.`,
    '',
    '## Modules, most used first (source, then tests, examples, docs, scripts)',
    '',
  ];
  for (const m of summary.modules) {
    out.push(`### ${m.module} (${m.role === 'source' ? '' : `${m.role}, `}${percent(m.centrality)} of centrality)`, '');
    if (m.about) out.push(m.about, '');
    out.push(`${m.files} files, ${m.regions} symbols. Key files: ${m.keyFiles.map((f) => `\`${f.path}\``).join(', ') || 'none'}.`);
    if (m.dependsOn.length) out.push(`Depends on: ${m.dependsOn.map((d) => `${d.module} (${d.imports})`).join(', ')}.`);
    if (m.exports.length) out.push(`Exports: ${m.exports.map((e) => `\`${e}\``).join(', ')}.`);
    out.push('');
  }
  if (summary.externalImports.length) {
    out.push('## External imports', '', ...summary.externalImports.map((e) => `- \`${e.name}\` (${e.files} files)`), '');
  }
  return out.join('\n').trimEnd() + '\n';
}

/** The region's doc line, else the model's description of it, if any. */
export function describe(summary: FileSummary, region: SummaryRegion): string | null {
  return region.doc ?? summary.insight?.descriptions[descriptionKey(region.startLine, region.name)]?.text ?? null;
}

function lines(start: number, end: number): string {
  return start === end ? `line ${start}` : `lines ${start}–${end}`;
}

function percent(x: number): string {
  return `${Math.round(x * 100)}%`;
}

/** One answer card as Markdown: where, what, and its snippet as a code block. */
export function hitMarkdown(hit: AskHitView): string {
  const where = hit.startLine === hit.endLine ? `${hit.path}:${hit.startLine}` : `${hit.path}:${hit.startLine}-${hit.endLine}`;
  const recall = typeof hit.recall === 'number' ? `, remembered ${recallPercent(hit.recall)}` : '';
  const out = [`\`${where}\` ${hit.kind} \`${hit.symbol}\`${recall}`];
  if (hit.snippet) out.push('', '```', hit.snippet, '```');
  return out.join('\n') + '\n';
}
