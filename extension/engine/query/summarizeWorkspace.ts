// summarizeWorkspace(): the main modules (folders) and how they depend on each other, most central
// first by PageRank over the file import graph, summed per folder.
import { posix } from 'node:path';
import type { FileRecord } from '../index/types';
import { ImportResolver } from './importGraph';
import { pageRank } from './pageRank';
import type { ModuleSummary, WorkspaceSummary } from '../results';

export type { ModuleSummary, WorkspaceSummary };

export function summarizeWorkspace(files: readonly FileRecord[], maxModules = 20): WorkspaceSummary {
  const paths = files.map((f) => f.path);
  const indexOf = new Map(paths.map((p, i) => [p, i]));
  const resolver = new ImportResolver(paths);
  const edges: number[][] = files.map(() => []);
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
        edges[i].push(j);
        importEdges++;
      }
    }
  });
  const rank = pageRank(edges);
  const modules = new Map<string, { files: number[]; deps: Map<string, number> }>();
  const moduleOf = (p: string) => posix.dirname(p);
  files.forEach((f, i) => {
    const m = moduleOf(f.path);
    let entry = modules.get(m);
    if (!entry) modules.set(m, (entry = { files: [], deps: new Map() }));
    entry.files.push(i);
    for (const j of edges[i]) {
      const dm = moduleOf(files[j].path);
      if (dm !== m) entry.deps.set(dm, (entry.deps.get(dm) ?? 0) + 1);
    }
  });
  const summaries: ModuleSummary[] = [...modules.entries()].map(([module, e]) => {
    const byRank = [...e.files].sort((a, b) => rank[b] - rank[a]);
    return {
      module,
      files: e.files.length,
      regions: e.files.reduce((n, i) => n + files[i].regions.filter((r) => r.kind !== 'block').length, 0),
      centrality: Math.round(e.files.reduce((s, i) => s + rank[i], 0) * 1e4) / 1e4,
      dependsOn: [...e.deps.entries()].sort((a, b) => b[1] - a[1]).map(([m, n]) => ({ module: m, imports: n })),
      keyFiles: byRank.slice(0, 3).map((i) => files[i].path),
      exports: byRank.flatMap((i) => files[i].exports).slice(0, 8),
    };
  });
  summaries.sort((a, b) => b.centrality - a.centrality || b.files - a.files);
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

/** "react-dom/client" → "react-dom", "@scope/pkg/x" → "@scope/pkg", "os.path" → "os"; relative → "". */
function packageName(spec: string): string {
  if (spec.startsWith('.') || spec.startsWith('/')) return '';
  if (spec.startsWith('@')) return spec.split('/').slice(0, 2).join('/');
  return spec.split(/[/.:]/)[0];
}
