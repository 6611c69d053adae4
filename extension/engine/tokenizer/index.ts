export { LongviewTokenizer, SPECIAL_TOKENS, TokenizerLoadError, type TokenizedText } from './longviewTokenizer';
export { utf16OffsetAtByteBoundary } from './utf8Offsets';
