// Which language a path is, and which tree-sitter grammar (from the tree-sitter-wasms package) parses it.

/** Languages outlined with a tree-sitter grammar, keyed by language id, valued by grammar file. */
export const GRAMMAR_BY_LANGUAGE: Readonly<Record<string, string>> = {
  typescript: 'tree-sitter-typescript.wasm',
  tsx: 'tree-sitter-tsx.wasm',
  javascript: 'tree-sitter-javascript.wasm',
  python: 'tree-sitter-python.wasm',
  go: 'tree-sitter-go.wasm',
  rust: 'tree-sitter-rust.wasm',
  java: 'tree-sitter-java.wasm',
  c: 'tree-sitter-c.wasm',
  cpp: 'tree-sitter-cpp.wasm',
  csharp: 'tree-sitter-c_sharp.wasm',
  ruby: 'tree-sitter-ruby.wasm',
  php: 'tree-sitter-php.wasm',
};

/** The web-tree-sitter runtime itself. */
export const RUNTIME_WASM = 'tree-sitter.wasm';

/** Every .wasm file the parser may load, so a bundler copies exactly these next to the bundle. */
export const GRAMMAR_FILES: string[] = [RUNTIME_WASM, ...Object.values(GRAMMAR_BY_LANGUAGE)];

const LANGUAGE_BY_EXTENSION: Readonly<Record<string, string>> = {
  '.ts': 'typescript',
  '.mts': 'typescript',
  '.cts': 'typescript',
  '.tsx': 'tsx',
  '.js': 'javascript',
  '.mjs': 'javascript',
  '.cjs': 'javascript',
  '.jsx': 'javascript',
  '.py': 'python',
  '.pyi': 'python',
  '.pyw': 'python',
  '.go': 'go',
  '.rs': 'rust',
  '.java': 'java',
  '.c': 'c',
  '.h': 'c',
  '.cc': 'cpp',
  '.cpp': 'cpp',
  '.cxx': 'cpp',
  '.c++': 'cpp',
  '.hh': 'cpp',
  '.hpp': 'cpp',
  '.hxx': 'cpp',
  '.h++': 'cpp',
  '.ipp': 'cpp',
  '.inl': 'cpp',
  '.cs': 'csharp',
  '.rb': 'ruby',
  '.rake': 'ruby',
  '.gemspec': 'ruby',
  '.php': 'php',
  '.phtml': 'php',
  '.md': 'markdown',
  '.markdown': 'markdown',
  '.mdx': 'markdown',
};

/** File names (no extension to go by) that are code. */
const LANGUAGE_BY_FILE_NAME: Readonly<Record<string, string>> = {
  Rakefile: 'ruby',
  Gemfile: 'ruby',
  Guardfile: 'ruby',
  Vagrantfile: 'ruby',
};

/**
 * Extensions of formats that are not text: no outline, never read as text. Content sniffing
 * (discovery) catches the rest; this list only spares reading files that are certainly binary.
 */
export const BINARY_EXTENSIONS: ReadonlySet<string> = new Set([
  '.png',
  '.jpg',
  '.jpeg',
  '.gif',
  '.bmp',
  '.ico',
  '.icns',
  '.webp',
  '.avif',
  '.tif',
  '.tiff',
  '.psd',
  '.pdf',
  '.zip',
  '.gz',
  '.tgz',
  '.bz2',
  '.xz',
  '.zst',
  '.7z',
  '.rar',
  '.tar',
  '.jar',
  '.war',
  '.apk',
  '.exe',
  '.dll',
  '.so',
  '.dylib',
  '.a',
  '.o',
  '.obj',
  '.lib',
  '.class',
  '.pyc',
  '.pyo',
  '.wasm',
  '.node',
  '.bin',
  '.dat',
  '.db',
  '.sqlite',
  '.sqlite3',
  '.onnx',
  '.pt',
  '.pth',
  '.safetensors',
  '.npy',
  '.npz',
  '.ckpt',
  '.pb',
  '.tflite',
  '.h5',
  '.parquet',
  '.arrow',
  '.avro',
  '.orc',
  '.mp3',
  '.mp4',
  '.m4a',
  '.wav',
  '.flac',
  '.ogg',
  '.opus',
  '.mov',
  '.avi',
  '.mkv',
  '.webm',
  '.ttf',
  '.otf',
  '.woff',
  '.woff2',
  '.eot',
  '.vsix',
  '.deb',
  '.rpm',
  '.dmg',
  '.iso',
  '.img',
]);

function baseName(path: string): string {
  const slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return path.slice(slash + 1);
}

/** The extension including its dot, lower-cased; '' when the name has none (dotfiles count as none). */
export function extensionOf(path: string): string {
  const name = baseName(path);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot).toLowerCase() : '';
}

/**
 * Language id for a path: a grammar language, 'markdown', 'text' for any other file that may be text,
 * or undefined for formats known to be binary.
 */
export function languageForPath(path: string): string | undefined {
  const ext = extensionOf(path);
  if (BINARY_EXTENSIONS.has(ext)) return undefined;
  return LANGUAGE_BY_EXTENSION[ext] ?? LANGUAGE_BY_FILE_NAME[baseName(path)] ?? 'text';
}

/**
 * C++ in a header: a namespace, a class (an export macro may stand before its name: `class FOO_API Bar {`),
 * a template, `extern "C++"`, or a definition outside its class (`SPDLOG_INLINE void logger::flush()`).
 */
const CPP_HEADER =
  /^\s*(?:namespace\s+\w|class\s+(?:[A-Z_][A-Z0-9_]*\s+)?\w+\s*[:{]|template\s*<|extern\s+"C\+\+")|^[A-Za-z_][^;{}()\n]*\b\w+::~?\w+\s*\(/m;

/** Language id once the text is known: `.h` is C by name, but a header with C++ in it (CPP_HEADER) is C++. */
export function languageForContent(path: string, text: string): string | undefined {
  const language = languageForPath(path);
  if (language !== 'c' || extensionOf(path) !== '.h') return language;
  return CPP_HEADER.test(text.slice(0, 200_000)) ? 'cpp' : 'c';
}
