// outline(path, languageId, text): the regions, imports and exports of one file, from the
// regions module (web-tree-sitter). The parser is created once per worker and reused, so each
// grammar is compiled once.
import { createRegionParser } from '../../regions/regionParser';
import { type RegionParser } from '../../regions/types';
import { LANGUAGE_SPECS } from '../../regions/languages/registry';
import type { Handler } from '../server';
import type { EngineMethods, EngineWorkerData } from '../methods';

export function outlineHandler(data: EngineWorkerData): Handler<EngineMethods['outline']> {
  let parser: Promise<RegionParser> | undefined;
  return async ({ path, text }) => {
    parser ??= createRegionParser({ wasmDir: data.wasmDir }).catch((error: unknown) => {
      parser = undefined; // a later request retries instead of failing forever
      throw error;
    });
    const outline = await (await parser).outline(path, text);
    const structured = outline.supported && (outline.language === 'markdown' || Object.hasOwn(LANGUAGE_SPECS, outline.language));
    return { outline, structured };
  };
}
