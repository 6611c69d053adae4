// Public surface of workspace discovery.
export type { DiscoveredFile, DiscoveryEvent, DiscoveryOptions, DiscoveryResult, SkipReason, SkippedEntry } from './types';
export { discoverFiles, walkFiles, examinePath, compileExclude } from './walk';
export { sniffContent } from './contentSniff';
export { DEFAULT_EXCLUDE, DEFAULT_MAX_FILE_SIZE_KB } from './defaults';
export { isInsideRoots, isWithin, resolveInRoot, unsafeRelativePath } from '../paths/containment';
export { DEFAULT_READ_LIMITS, readWorkspaceFile, type ReadLimits, type ReadVerdict } from './readFile';
