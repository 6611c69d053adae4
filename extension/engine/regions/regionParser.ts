// The outline API: one web-tree-sitter runtime, grammars loaded lazily (once per language, one at a time) and reused.
import { Language, Parser } from 'web-tree-sitter';
import type { Outline, RegionParser } from './types';
import { GRAMMAR_BY_LANGUAGE, languageForContent, languageForPath } from './languages/table';
import { LANGUAGE_SPECS } from './languages/registry';
import { OutlineWalker } from './outlineWalker';
import { markdownRegions } from './markdown';
import { moduleDoc } from './moduleDoc';
import { textBlockRegions } from './textBlocks';
import { wasmPaths } from './wasmLocation';

export { GRAMMAR_FILES } from './languages/table';

/** Text with a NUL, or mostly control characters, is not text whatever its name says. */
function looksBinary(text: string): boolean {
  const sample = text.slice(0, 8192);
  if (sample.includes('\0')) return true;
  let control = 0;
  for (let i = 0; i < sample.length; i++) {
    const code = sample.charCodeAt(i);
    if ((code < 32 && code !== 9 && code !== 10 && code !== 13 && code !== 12) || code === 0xfffd) control++;
  }
  return sample.length > 0 && control / sample.length > 0.1;
}

let runtimeReady: Promise<void> | undefined;

/** The runtime is process-wide in web-tree-sitter; initialise it once. */
function initRuntime(runtimePath: string): Promise<void> {
  runtimeReady ??= Parser.init({ locateFile: () => runtimePath }).catch((error: unknown) => {
    runtimeReady = undefined;
    throw new Error(`Longview: could not load ${runtimePath}: ${String(error)}`);
  });
  return runtimeReady;
}

let grammarLoads: Promise<unknown> = Promise.resolve();

/**
 * Loads a grammar once the loads started before it have finished: never two at once in a thread.
 * web-tree-sitter links every grammar into its one WebAssembly runtime through one table of symbols
 * (Emscripten's GOT); a load that finishes while another is still being instantiated finds that one's
 * entries unresolved and throws (`bad export type for 'tree_sitter_php_external_scanner_create'` while
 * loading Python: tree-sitter/tree-sitter#2338), and every file waiting for that grammar fails with it.
 * Outlines run concurrently (the index pipeline prepares several files at once, a save or a summary
 * comes meanwhile, the engine preloads the index's languages), so the loads are chained here.
 */
function loadGrammar(grammarPath: string): Promise<Language> {
  const load = grammarLoads.then(() => Language.load(grammarPath));
  grammarLoads = load.catch(() => undefined);
  return load;
}

/** A parse that takes longer than this (pathological or huge input) is cancelled; the file gets text blocks. */
const DEFAULT_PARSE_TIME_LIMIT_MS = 5000;

export interface RegionParserOptions {
  /** Folder holding tree-sitter.wasm and the grammar files (a bundle's dist/wasm); default: node_modules. */
  wasmDir?: string;
  parseTimeLimitMs?: number;
  /** Languages to load before the parser is returned (see RegionParser.preload); the rest load on first use. */
  preload?: Iterable<string>;
}

export async function createRegionParser(opts: RegionParserOptions = {}): Promise<RegionParser> {
  const parseTimeLimitMs = opts.parseTimeLimitMs ?? DEFAULT_PARSE_TIME_LIMIT_MS;
  const paths = wasmPaths(opts.wasmDir);
  await initRuntime(paths.runtime);
  const parsers = new Map<string, Promise<Parser>>();

  const parserFor = (language: string): Promise<Parser> => {
    let parser = parsers.get(language);
    if (!parser) {
      const grammarPath = paths.grammar(language);
      parser = loadGrammar(grammarPath).then(
        (grammar) => new Parser().setLanguage(grammar),
        (error: unknown) => {
          parsers.delete(language); // let a later call retry rather than cache the failure
          throw new Error(`Longview: could not load the ${language} grammar ${grammarPath}: ${String(error)}`);
        },
      );
      parsers.set(language, parser);
    }
    return parser;
  };

  const preload = async (languages: Iterable<string>): Promise<void> => {
    const known = [...new Set(languages)].filter((language) => GRAMMAR_BY_LANGUAGE[language]);
    await Promise.all(known.map(parserFor));
  };
  if (opts.preload) await preload(opts.preload);

  return {
    languageFor: languageForPath,
    preload,
    async outline(path: string, text: string): Promise<Outline> {
      const language = languageForContent(path, text);
      if (language === undefined || looksBinary(text)) {
        return { language: language ?? 'binary', supported: false, regions: [], imports: [], exports: [] };
      }
      if (language === 'markdown') return { language, supported: true, regions: markdownRegions(text), imports: [], exports: [] };
      const spec = LANGUAGE_SPECS[language];
      if (!spec || !GRAMMAR_BY_LANGUAGE[language]) {
        return { language, supported: true, regions: textBlockRegions(text), imports: [], exports: [] };
      }
      const parser = await parserFor(language);
      const deadline = performance.now() + parseTimeLimitMs;
      // Returning true from the progress callback cancels the parse (the typings say void; the runtime reads it).
      const overTime = (() => performance.now() > deadline) as unknown as () => void;
      // web-tree-sitter 0.25 parses a JS string as UTF-16, so node indices are JS string indices already
      // (regions.test.ts checks this after astral characters; recheck it before moving the version).
      const parsed = spec.parsedText?.(text) ?? text;
      const tree = parser.parse(parsed, null, { progressCallback: overTime });
      if (!tree) {
        parser.reset();
        return {
          language,
          supported: true,
          regions: textBlockRegions(text),
          imports: [],
          exports: [],
          note: `syntax parse stopped after ${parseTimeLimitMs} ms; outlined by blank-line blocks`,
        };
      }
      try {
        const walked = new OutlineWalker(spec, text, parsed).collect(tree.rootNode, 'top');
        const topLevel = walked.map((w) => ({ name: w.region.name, line: w.region.startLine, outer: w.outer }));
        const doc = moduleDoc(language, text);
        return {
          language,
          supported: true,
          ...(doc ? { doc } : {}),
          regions: walked.map((w) => w.region),
          imports: spec.imports(tree.rootNode),
          exports: spec.exports(tree.rootNode, topLevel),
        };
      } finally {
        tree.delete(); // trees live in WebAssembly memory, which garbage collection does not reclaim
      }
    },
  };
}
