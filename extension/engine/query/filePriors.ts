// What a file is for, from its path: implementation, or tests, examples and documentation, which a
// question about code should meet after the code it is about (and first when it asks about them).
// Conventions of the outline languages: test folders and file names (Go's _test.go, Python's
// test_*.py, Ruby's _spec.rb, JS/TS .test/.spec, Java/C#/PHP *Test), example/benchmark folders, and
// prose files.

/** `types`: declarations only (TypeScript's .d.ts), which describe code found elsewhere. */
export type FileRole = 'code' | 'test' | 'example' | 'doc' | 'types';

const TEST_DIR = /(^|\/)(tests?|specs?|__tests__|__mocks__|testdata|testing|fixtures?|spec_helper)\//i;
const TEST_FILE =
  /(_test\.go|\.(test|spec)\.[cm]?[jt]sx?|(^|\/)test_[^/]*\.py|_tests?\.py|_spec\.rb|_test\.rb|(^|\/)conftest\.py|Tests?\.(java|php|cs|kt)|(^|\/)tests?\.rs)$/;
const EXAMPLE_DIR = /(^|\/)(examples?|samples?|demos?|benches|benchmarks?)\//i;
const DOC_FILE = /\.(md|markdown|rst|txt|adoc|org)$/i;
const DOC_DIR = /(^|\/)(docs?|documentation)\//i;
const DECLARATIONS = /\.d\.[cm]?ts$/;

export function fileRole(path: string): FileRole {
  if (TEST_DIR.test(path) || TEST_FILE.test(path)) return 'test';
  if (EXAMPLE_DIR.test(path)) return 'example';
  if (DOC_FILE.test(path) || DOC_DIR.test(path)) return 'doc';
  if (DECLARATIONS.test(path)) return 'types';
  return 'code';
}

const IMPLEMENTATIONS = ['.js', '.mjs', '.cjs', '.jsx', '.ts', '.mts', '.cts', '.tsx'];

/**
 * fileRole within a workspace whose file paths are `files`: a declaration file is `types` (ranked after
 * code) only when the code it declares is beside it (the same folder and name: `lib/x.d.ts` and
 * `lib/x.js`). A declaration of code the workspace does not hold (an `@types` package, a package that
 * ships only its typings and a bundle) is the best description of that code there is: `code`.
 */
export function roleIn(path: string, files: ReadonlySet<string>): FileRole {
  const role = fileRole(path);
  if (role !== 'types') return role;
  const base = path.replace(DECLARATIONS, '');
  return IMPLEMENTATIONS.some((extension) => files.has(base + extension)) ? 'types' : 'code';
}

/** The roles a question asks about by name ("which test covers…", "where is it documented"). */
export function rolesAskedFor(question: string): Set<FileRole> {
  const q = question.toLowerCase();
  const roles = new Set<FileRole>();
  if (/\b(tests?|tested|testing|specs?|unit tests?|fixtures?|mocks?)\b/.test(q)) roles.add('test');
  if (/\b(examples?|samples?|demos?|benchmarks?)\b/.test(q)) roles.add('example');
  if (/\b(docs?|documentation|documented|readme|changelog|guide)\b/.test(q)) roles.add('doc');
  if (/\b(types?|typings?|declarations?|declared|interfaces?|signatures?)\b/.test(q)) roles.add('types');
  return roles;
}
