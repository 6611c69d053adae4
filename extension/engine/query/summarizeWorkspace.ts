// summarizeWorkspace(): the main modules (folders), most used first: each file's rank in the graph
// of definitions and uses (referenceGraph.ts), summed per folder; source folders before tests,
// examples, docs and scripts/CI. Each module gets one line saying what it is for and its key files;
// the import graph gives what it depends on and the external packages.
import { posix } from 'node:path';
import type { FileRecord } from '../index/types';
import { firstParagraph, firstSentence } from '../regions/commentText';
import { fileRole } from './filePriors';
import { ImportResolver } from './importGraph';
import type { ReferenceGraph } from './referenceGraph';
import type { ModuleRole, ModuleSummary, WorkspaceSummary } from '../results';

export type { ModuleSummary, WorkspaceSummary };

/** The order groups of modules come in: the source first, what is about it after. */
export const MODULE_ROLES: readonly ModuleRole[] = ['source', 'tests', 'examples', 'docs', 'scripts'];
const SCRIPT_DIR = /(^|\/)(scripts?|tools?|bin|ci|\.[^/.][^/]*)(\/|$)/i;
/** A folder's own file: what it says about itself is the folder's doc. */
const PACKAGE_FILE =
  /^(__init__\.py|index\.[cm]?[jt]sx?|mod\.rs|lib\.rs|doc\.go|package-info\.java|readme(\.md|\.markdown|\.rst|\.txt)?)$/i;

export function moduleRole(module: string): ModuleRole {
  const role = fileRole(`${module}/x`);
  if (role === 'test') return 'tests';
  if (role === 'example') return 'examples';
  if (role === 'doc') return 'docs';
  if (SCRIPT_DIR.test(module)) return 'scripts';
  return 'source';
}

export function summarizeWorkspace(files: readonly FileRecord[], graph: ReferenceGraph, maxModules = 20): WorkspaceSummary {
  const paths = files.map((f) => f.path);
  const indexOf = new Map(paths.map((p, i) => [p, i]));
  const resolver = new ImportResolver(paths);
  const imports: number[][] = files.map(() => []);
  const external = new Map<string, number>();
  let importEdges = 0;
  files.forEach((f, i) => {
    const seen = new Set<number>();
    for (const spec of f.imports) {
      const target = resolver.resolve(f.path, spec);
      const j = target === undefined ? undefined : indexOf.get(target);
      if (j === undefined) {
        const pkg = packageName(spec);
        if (pkg) external.set(pkg, (external.get(pkg) ?? 0) + 1);
        continue;
      }
      if (j !== i && !seen.has(j)) {
        seen.add(j);
        imports[i].push(j);
        importEdges++;
      }
    }
  });
  const { rank } = graph;
  const modules = new Map<string, { files: number[]; deps: Map<string, number> }>();
  files.forEach((f, i) => {
    const m = posix.dirname(f.path);
    let entry = modules.get(m);
    if (!entry) modules.set(m, (entry = { files: [], deps: new Map() }));
    entry.files.push(i);
    for (const j of imports[i]) {
      const dm = posix.dirname(files[j].path);
      if (dm !== m) entry.deps.set(dm, (entry.deps.get(dm) ?? 0) + 1);
    }
  });
  const defines = (i: number) => files[i].regions.some((r) => r.kind !== 'block' && r.kind !== 'heading');
  const summaries: ModuleSummary[] = [...modules.entries()].map(([module, e]) => {
    // Files that define something first (a re-export-only file or a lone data file is not a key file), then by rank.
    const byRank = [...e.files].sort((a, b) => Number(defines(b)) - Number(defines(a)) || rank[b] - rank[a]);
    return {
      module,
      role: moduleRole(module),
      about: moduleAbout(files, graph, e.files, byRank),
      files: e.files.length,
      regions: e.files.reduce((n, i) => n + files[i].regions.filter((r) => r.kind !== 'block').length, 0),
      centrality: Math.round(e.files.reduce((s, i) => s + rank[i], 0) * 1e4) / 1e4,
      dependsOn: [...e.deps.entries()].sort((a, b) => b[1] - a[1]).map(([m, n]) => ({ module: m, imports: n })),
      keyFiles: byRank.slice(0, 3).map((i) => files[i].path),
      exports: byRank.flatMap((i) => files[i].exports).slice(0, 8),
    };
  });
  summaries.sort((a, b) => MODULE_ROLES.indexOf(a.role) - MODULE_ROLES.indexOf(b.role) || b.centrality - a.centrality || b.files - a.files);
  return {
    files: files.length,
    regions: files.reduce((n, f) => n + f.regions.length, 0),
    importEdges,
    externalImports: [...external.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 15)
      .map(([name, n]) => ({ name, files: n })),
    modules: summaries.slice(0, maxModules),
  };
}

/**
 * What a module is for, in one sentence: the doc of its own file (`__init__.py`, `index.ts`, `mod.rs`,
 * `doc.go`, a README), else its most used file's doc, else that file's most used definition's doc.
 */
function moduleAbout(files: readonly FileRecord[], graph: ReferenceGraph, members: number[], byRank: number[]): string | null {
  const own = members.find((i) => PACKAGE_FILE.test(posix.basename(files[i].path)) && graph.docs[i]);
  const fromFile = own ?? byRank.find((i) => graph.docs[i]);
  const doc = fromFile === undefined ? undefined : graph.docs[fromFile];
  if (doc) return firstSentence(firstParagraph(doc)) || null;
  if (!byRank.length) return null;
  // The index keeps a symbol's first doc line only: used when it is a whole sentence.
  const top = byRank[0];
  const used = graph.uses[top];
  const line = files[top].regions
    .filter((r) => r.kind !== 'block' && r.kind !== 'heading' && /^[A-Z`"'(].*[.!?]$/.test(r.doc.trim()))
    .sort((a, b) => (used.get(b.name) ?? 0) - (used.get(a.name) ?? 0))[0]?.doc;
  return line ? firstSentence(line.trim()) : null;
}

/** "react-dom/client" → "react-dom", "@scope/pkg/x" → "@scope/pkg", "os.path" → "os"; relative → "". */
function packageName(spec: string): string {
  if (spec.startsWith('.') || spec.startsWith('/')) return '';
  if (spec.startsWith('@')) return spec.split('/').slice(0, 2).join('/');
  return spec.split(/[/.:]/)[0];
}
