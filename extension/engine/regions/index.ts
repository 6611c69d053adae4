// Public surface of the regions module.
export type { Outline, Region, RegionKind, RegionParser } from './types';
export { createRegionParser, GRAMMAR_FILES, type RegionParserOptions } from './regionParser';
export { languageForPath, BINARY_EXTENSIONS, extensionOf } from './languages/table';
