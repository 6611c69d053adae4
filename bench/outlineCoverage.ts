// `node --import tsx bench/outlineCoverage.ts DIR [DIR ...]`: how many of the C/C++ function definitions
// in these folders get a function or method region from the outline (regions/). The definitions are
// counted by an independent parser, Universal Ctags (`ctags` on PATH, Debian `universal-ctags`), which
// skips unknown macros its own way: a definition counts as found when a function/method region of the
// same name (its last `::` part, spaces ignored) covers the line ctags gives. Prints per folder and
// overall, and the misses of each folder (up to OUTLINE_COVERAGE_MISSES, default 0) to see what fails.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createRegionParser } from '../extension/engine/regions/regionParser';
import type { Region } from '../extension/engine/regions/types';

const MAX_MISSES = Number(process.env.OUTLINE_COVERAGE_MISSES ?? 0);
const CTAGS_LANGUAGE: Readonly<Record<string, string>> = { c: 'C', cpp: 'C++' };

interface Definition {
  name: string;
  line: number; // 1-based, as ctags gives it
}

/** The files under a folder (or the file itself). */
function filesUnder(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path).flatMap((entry) => filesUnder(join(path, entry)));
}

/** Function definitions as ctags finds them (anonymous ones, which it makes up for lambdas and such, left out). */
function ctagsDefinitions(file: string, language: string): Definition[] {
  const out = execFileSync(
    'ctags',
    ['--output-format=json', '--fields=+n', `--kinds-${language}=f`, `--language-force=${language}`, '-o', '-', file],
    { encoding: 'utf8', maxBuffer: 64 << 20 },
  );
  return out
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { _type: string; name: string; line: number; kind: string })
    .filter((t) => t._type === 'tag' && t.kind === 'function' && !t.name.startsWith('__anon'))
    .map((t) => ({ name: t.name, line: t.line }));
}

const bareName = (name: string) => (name.split('::').pop() ?? name).replace(/\s+/g, '');

function functionRegions(regions: Region[], into: Region[] = []): Region[] {
  for (const r of regions) {
    if (r.kind === 'function' || r.kind === 'method') into.push(r);
    functionRegions(r.children, into);
  }
  return into;
}

async function main() {
  const dirs = process.argv.slice(2);
  if (!dirs.length) throw new Error('usage: bench/outlineCoverage.ts DIR [DIR ...]');
  const parser = await createRegionParser();
  let allDefinitions = 0;
  let allFound = 0;
  for (const dir of dirs) {
    let definitions = 0;
    let found = 0;
    let files = 0;
    const misses: string[] = [];
    for (const file of filesUnder(dir).sort()) {
      const language = CTAGS_LANGUAGE[parser.languageFor(file) ?? ''];
      if (!language) continue;
      const text = readFileSync(file, 'utf8');
      const outline = await parser.outline(file, text);
      const ctagsLanguage = CTAGS_LANGUAGE[outline.language] ?? language;
      const regions = functionRegions(outline.regions);
      files++;
      for (const d of ctagsDefinitions(file, ctagsLanguage)) {
        definitions++;
        const row = d.line - 1;
        const hit = regions.some((r) => r.startLine <= row && row <= r.endLine && bareName(r.name) === bareName(d.name));
        if (hit) found++;
        else if (misses.length < MAX_MISSES) misses.push(`  ${relative(dir, file) || file}:${d.line} ${d.name}`);
      }
    }
    allDefinitions += definitions;
    allFound += found;
    console.log(`${dir}: ${files} files, ${found}/${definitions} definitions with a region (${pct(found, definitions)})`);
    if (misses.length) console.log(misses.join('\n'));
  }
  console.log(`overall: ${allFound}/${allDefinitions} (${pct(allFound, allDefinitions)})`);
}

const pct = (a: number, b: number) => `${b ? ((100 * a) / b).toFixed(1) : '0.0'}%`;

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
