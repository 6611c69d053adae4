// The outline of one file: what the engine, the CLI and the sidebar's Summary section show,
// and the units (regions) the model's memory is measured over.

export type RegionKind =
  | 'function'
  | 'method'
  | 'class'
  | 'interface'
  | 'type'
  | 'enum'
  | 'struct'
  | 'trait'
  | 'impl'
  | 'module'
  | 'namespace'
  | 'constant'
  | 'variable'
  | 'heading'
  | 'block';

export interface Region {
  kind: RegionKind;
  name: string;
  /** 0-based, inclusive. */
  startLine: number;
  endLine: number;
  /** UTF-16 offsets into the text (JS string indices); end exclusive. */
  startOffset: number;
  endOffset: number;
  /** The doc comment or docstring text, comment markers stripped. */
  doc?: string;
  /** Where the doc comment starts (before startOffset for comments, inside the region for docstrings). */
  docStartOffset?: number;
  /** The declaration up to its body, whitespace collapsed to single spaces. */
  signature: string;
  /** Members: methods inside classes, items inside modules and namespaces, sub-headings. */
  children: Region[];
}

export interface Outline {
  /** Language id (see languages/table.ts), 'text' for plain text, 'binary' for unreadable content. */
  language: string;
  /** False only for content that has no outline (binary, unknown). */
  supported: boolean;
  regions: Region[];
  /** Module specifiers the file imports; `line` is 0-based. */
  imports: { source: string; line: number }[];
  /** Names the file exports; `line` is 0-based. */
  exports: { name: string; line: number }[];
  /** The file's own doc (module docstring or leading comment, regions/moduleDoc.ts), markers stripped; absent when it has none. */
  doc?: string;
  /** Set when the outline is blank-line blocks instead of syntax (the parse ran past its time limit). */
  note?: string;
}

export interface RegionParser {
  /** The language id for a path, or undefined for files that have no outline (images, archives...). */
  languageFor(path: string): string | undefined;
  /**
   * Outline of `text` as the file at `path`. Async because a language's grammar is loaded the first
   * time a file of that language is outlined (WebAssembly compilation has no synchronous path).
   */
  outline(path: string, text: string): Promise<Outline>;
  /**
   * Loads these languages' grammars now (ids as languageFor returns; others are ignored). Worth calling
   * early with the workspace's languages: compiling a grammar while other WebAssembly is hot (a parse
   * just ran, or the model's runtime) is far slower than before it (bench/README.md "Figures behind
   * the code").
   */
  preload(languages: Iterable<string>): Promise<void>;
}
