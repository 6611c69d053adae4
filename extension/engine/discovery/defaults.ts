// Defaults that mirror the extension's settings, and the names that mark generated files and folders.

/** Mirrors the default of the `longview.exclude` setting in package.json (a unit test keeps them equal). */
export const DEFAULT_EXCLUDE: readonly string[] = [
  '**/node_modules/**',
  '**/.git/**',
  '**/dist/**',
  '**/out/**',
  '**/build/**',
  '**/*.min.js',
  '**/*.map',
];

/** Mirrors the default of the `longview.maxFileSizeKB` setting in package.json. */
export const DEFAULT_MAX_FILE_SIZE_KB = 512;

/** Folders that hold build output, caches or installed dependencies rather than anyone's source. */
export const GENERATED_DIRECTORIES: ReadonlySet<string> = new Set([
  'node_modules',
  'bower_components',
  'dist',
  'build',
  'out',
  '.next',
  '.nuxt',
  '.svelte-kit',
  '.turbo',
  '.parcel-cache',
  'coverage',
  '.nyc_output',
  '__pycache__',
  '.mypy_cache',
  '.pytest_cache',
  '.ruff_cache',
  '.tox',
  '.venv',
  'venv',
  '.gradle',
  '.terraform',
  'target',
  '.longview-cache',
]);

/** Lockfiles and other files tools write. */
export const GENERATED_FILE_NAMES: ReadonlySet<string> = new Set([
  'package-lock.json',
  'npm-shrinkwrap.json',
  'yarn.lock',
  'pnpm-lock.yaml',
  'bun.lockb',
  'bun.lock',
  'Cargo.lock',
  'poetry.lock',
  'Pipfile.lock',
  'uv.lock',
  'Gemfile.lock',
  'composer.lock',
  'go.sum',
  'flake.lock',
  'packages.lock.json',
  'mix.lock',
  'pubspec.lock',
  'Podfile.lock',
  '.DS_Store',
]);

/** Name patterns of generated files: minified bundles, source maps, protobuf and other codegen outputs. */
export const GENERATED_FILE_PATTERNS: readonly RegExp[] = [
  /\.min\.[a-z0-9]+$/i,
  /[.-]bundle\.js$/i,
  /\.map$/i,
  /_pb2(?:_grpc)?\.pyi?$/,
  /\.pb\.(?:go|cc|h)$/,
  /\.g\.(?:cs|dart)$/,
  /\.designer\.cs$/i,
  /\.generated\.[a-z]+$/i,
];
