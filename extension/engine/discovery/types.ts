// What workspace discovery reports: the files Longview will read, and every file or folder it left out, with why.

export type SkipReason =
  | 'vcs' // .git folders: always left out
  | 'gitignored' // matched by a .gitignore (nested ones too) or .git/info/exclude
  | 'excluded' // matched by Longview's exclude globs
  | 'generated' // lockfiles, *.min.*, source maps, build output folders, "generated" header
  | 'too-large' // over the size cap
  | 'binary' // binary by extension or by content (NUL bytes)
  | 'minified' // long lines with almost no whitespace
  | 'undecodable' // not valid UTF-8
  | 'symlink-loop' // a link back to a folder already walked
  | 'duplicate' // a link to a file already listed under another path
  | 'broken-link' // a symbolic link whose target does not exist
  | 'outside-workspace' // a link (or a path through one) whose target lies outside every workspace folder: not followed
  | 'vanished' // listed, then gone before it could be read
  | 'unreadable' // permission denied or another read error
  | 'not-a-file'; // sockets, FIFOs, devices: never opened

export interface DiscoveredFile {
  /** The workspace folder it was found under (as given). */
  root: string;
  /** Absolute path. */
  path: string;
  /** Relative to `root`, with `/` separators. */
  relativePath: string;
  size: number;
  mtimeMs: number;
  /** Status-change time (the index's freshness check: utimes() cannot restore it after an edit). */
  ctimeMs: number;
  /** Language id from the regions module ('text' for plain text). */
  language: string;
}

export interface SkippedEntry {
  root: string;
  path: string;
  relativePath: string;
  reason: SkipReason;
  /** Which rule, size or byte decided it, for the one-line report. */
  detail?: string;
  /** A whole folder left out (its contents are not listed one by one). */
  directory?: boolean;
}

export interface DiscoveryOptions {
  /** Longview's exclude globs (setting longview.exclude), relative to each root; picomatch syntax. */
  exclude?: readonly string[];
  /** Size cap in KB (setting longview.maxFileSizeKB). */
  maxFileSizeKB?: number;
  /** Honour .gitignore files (default true). */
  respectGitignore?: boolean;
  /** Stops the walk between folders; the generator then ends. */
  signal?: AbortSignal;
  /**
   * Called after each folder is listed, before its entries are examined (progress; tests use it to race
   * deletions). Folders are examined ahead of the events being yielded, so calls may run ahead of them.
   */
  onDirectoryListed?: (directory: string, names: readonly string[]) => void | Promise<void>;
}

export type DiscoveryEvent = { kind: 'file'; file: DiscoveredFile } | { kind: 'skipped'; skipped: SkippedEntry };

export interface DiscoveryResult {
  files: DiscoveredFile[];
  skipped: SkippedEntry[];
  /** How many entries were skipped for each reason. */
  skippedByReason: Partial<Record<SkipReason, number>>;
}
