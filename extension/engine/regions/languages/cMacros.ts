// C/C++ macros the grammar cannot expand, found in the text and neutralised before parsing. A header's
// own macros wrap its code (`NLOHMANN_JSON_NAMESPACE_BEGIN`), mark its exports (`class GTEST_API_ Test`),
// qualify its functions (`FMT_CONSTEXPR auto size()`, `GLM_FUNC_QUALIFIER vec<2, T, Q> permute(…)`,
// `Value() RAPIDJSON_NOEXCEPT : data_()`) or stand for a return type (`YAML_DECLARE(int)`); tree-sitter
// reads each as a type or a name, and the declaration around it breaks, often with everything after it
// up to the macro's partner. The rewritten text has the same length and line breaks, so every offset
// and line the tree gives still points into the file's own text.

/** An upper-case macro name with an underscore: `FMT_API`, `Q_OBJECT`, `_LIBCPP_INLINE_VISIBILITY`. */
const MACRO_NAME = /_*[A-Z][A-Z0-9]*_[A-Z0-9_]*(?!\w)/y;
const MACRO_NAMES = /(?<!\w)_*[A-Z][A-Z0-9]*_[A-Z0-9_]*(?!\w)/g;
const WORD = /[A-Za-z_]\w*/y;
/** Longest parenthesis group looked through: a macro's arguments, a parameter list. */
const MAX_GROUP_CHARS = 4000;
/** Keywords a declaration may start with before an attribute macro: `static FMT_CONSTEXPR int f()`. */
const SPECIFIERS = new Set([
  'static',
  'inline',
  'virtual',
  'explicit',
  'constexpr',
  'consteval',
  'constinit',
  'friend',
  'extern',
  'mutable',
]);
const CLASS_KEYS = new Set(['class', 'struct', 'union']);
/** What may follow a parameter list: `void f() const override`. */
const QUALIFIERS = new Set(['const', 'volatile', 'override', 'final', 'noexcept']);
/** Words before parentheses that are not a function's name: `if (x) FOO;`, `return (int) FOO_MAX;`. */
const NOT_CALLEES = new Set(['return', 'if', 'while', 'for', 'switch', 'sizeof', 'case', 'throw', 'alignof', 'decltype', 'noexcept']);

/** A macro to neutralise: turned to spaces, or (a macro with arguments standing for a type) to one name. */
export interface MacroSpan {
  start: number;
  end: number;
  as: 'space' | 'name';
}

/** The text with its unexpandable macros neutralised (macroSpans), offsets and lines unchanged. */
export function withoutMacros(text: string): string {
  const spans = macroSpans(codeSkeleton(text));
  if (!spans.length) return text;
  let out = '';
  let from = 0;
  for (const { start, end, as } of spans) {
    const nameEnd = as === 'name' ? start + /^\w+/.exec(text.slice(start, end))![0].length : start;
    const rest = text.slice(nameEnd, end);
    out += text.slice(from, nameEnd) + (as === 'name' ? '_'.repeat(rest.length) : spaces(rest));
    from = end;
  }
  return out + text.slice(from);
}

/** Comments, string and character literals (a quote after a word character is a digit separator: 1'000), preprocessor lines. */
const NOT_CODE =
  /\/\/[^\n]*|\/\*[\s\S]*?(?:\*\/|$(?![\s\S]))|"(?:[^"\\\n]|\\[\s\S])*"?|(?<!\w)'(?:[^'\\\n]|\\[\s\S])*'?|^[ \t]*#(?:[^\n\\]|\\[\s\S])*/gm;

/**
 * The text with comments, string and character literals and preprocessor lines turned to spaces (line
 * breaks kept): the code macros are looked for in, at the same offsets.
 */
export function codeSkeleton(text: string): string {
  let out = '';
  let from = 0;
  for (const match of text.matchAll(NOT_CODE)) {
    out += text.slice(from, match.index) + spaces(match[0]);
    from = match.index + match[0].length;
  }
  return out + text.slice(from);
}

/** As many spaces as `s` has characters, its line breaks kept. */
function spaces(s: string): string {
  return s.includes('\n') ? s.replace(/[^\n]/g, ' ') : ' '.repeat(s.length);
}

/**
 * The macros to neutralise in `code` (a codeSkeleton):
 * - alone on its line, with or without arguments: `NLOHMANN_JSON_NAMESPACE_BEGIN`,
 *   `GTEST_DISABLE_MSC_WARNINGS_PUSH_(4251)`, `Q_OBJECT`; not `TEST_F(Fixture, Name)` before `{` (a
 *   definition);
 * - starting a declaration, before its type: `FMT_CONSTEXPR FMT_INLINE auto f()`,
 *   `static SPDLOG_INLINE void f()`, `EIGEN_DEVICE_FUNC ~Matrix()`;
 * - between `class` and the class's name: `class YAML_CPP_API Node {`;
 * - between a return type and the function's name: `void FMT_CDECL f(`;
 * - after a parameter list: `Value() RAPIDJSON_NOEXCEPT : data_()`, `size_t size() const FMT_NOEXCEPT;`.
 * Right before `name(` a macro may be the return type (`FOO_T f(void)`, `YAML_DECLARE(int)` then
 * `yaml_parser_initialize(…)`): one without arguments is left as it is, one with them becomes one name of
 * the same length, unless a constructor's initializer list follows.
 */
export function macroSpans(code: string): MacroSpan[] {
  const spans: MacroSpan[] = [];
  for (const match of code.matchAll(MACRO_NAMES)) {
    const start = match.index;
    if (spans.length && start < spans[spans.length - 1].end) continue; // inside the last one's arguments
    const nameEnd = start + match[0].length;
    let end = nameEnd;
    const afterName = skipSpace(code, end);
    if (code[afterName] === '(') {
      const close = closingParen(code, afterName);
      if (close !== -1) end = close;
    }
    const as = treatment(code, start, nameEnd, end, spans.length ? spans[spans.length - 1].end : -1);
    if (as) spans.push({ start, end, as });
  }
  return spans;
}

function treatment(code: string, start: number, nameEnd: number, end: number, lastSpanEnd: number): MacroSpan['as'] | undefined {
  const hasArgs = end > nameEnd;
  const before = tokenBefore(code, start);
  if (/(::|->|\.)$/.test(code.slice(before.end - 2, before.end))) return undefined; // a member or a qualified name
  const lineStart = code.lastIndexOf('\n', start - 1) + 1;
  const lineEnd = code.indexOf('\n', end);
  const alone = code.slice(lineStart, start).trim() === '' && code.slice(end, lineEnd === -1 ? code.length : lineEnd).trim() === '';
  const next = skipSpace(code, end);
  const nextWord = code[next] === '~' ? '~' : wordAt(WORD, code, next);
  if (!alone && before.end !== lastSpanEnd && afterParameters(code, before)) {
    const closes = /^(?:[{;=]|:(?!:)|->)/.test(code.slice(next, next + 2));
    const qualifies =
      nextWord !== undefined && (QUALIFIERS.has(nextWord) || nextWord === 'try' || wordAt(MACRO_NAME, code, next) === nextWord);
    return closes || qualifies ? 'space' : undefined;
  }
  if (alone && !nextWord) return hasArgs && code[next] === '{' ? undefined : 'space';
  if (!nextWord) return undefined; // followed by punctuation: a call or an operand
  const afterNext = skipSpace(code, next + nextWord.length);
  if (CLASS_KEYS.has(before.text))
    return /^(?:<[^;{}]*>\s*)?(?:final\b\s*)?[:{]/.test(code.slice(afterNext, afterNext + 200)) ? 'space' : undefined;
  const startsDeclaration =
    alone || before.text === '' || ';{}>]:'.includes(before.text) || SPECIFIERS.has(before.text) || before.end === lastSpanEnd;
  if (startsDeclaration) {
    const nextIsMacro = wordAt(MACRO_NAME, code, next) === nextWord;
    // `name(`, or `MACRO(…) operator==(` (a conversion, `operator bool()`, has no return type; and a
    // macro without arguments before an operator reads the same blanked: `operator==(…)` parses alone).
    const operator = hasArgs && nextWord === 'operator' && !/\w/.test(code[afterNext] ?? '');
    const callee = operator || (code[afterNext] === '(' && !nextIsMacro && nextWord !== 'operator' && !NOT_CALLEES.has(nextWord));
    if (!callee) return alone || hasArgs || /[A-Za-z_*&<:~]/.test(code[afterNext] ?? '') || nextWord === '~' ? 'space' : undefined;
    if (initializerListAfter(code, afterNext)) return 'space';
    return hasArgs && !code.slice(start, end).includes('\n') ? 'name' : undefined;
  }
  const afterType = /^\w+$/.test(before.text) || '*&'.includes(before.text);
  return afterType && !hasArgs && code[afterNext] === '(' ? 'space' : undefined;
}

/** Where the balanced parenthesis group opening at `open` closes (index after `)`), or -1 (a `;` first, or too far). */
function closingParen(code: string, open: number): number {
  let depth = 0;
  const limit = Math.min(code.length, open + MAX_GROUP_CHARS);
  for (let i = open; i < limit; i++) {
    if (code[i] === '(') depth++;
    else if (code[i] === ')' && --depth === 0) return i + 1;
    else if (code[i] === ';') return -1;
  }
  return -1;
}

/** Whether the parameter list opening at `open` is followed by a constructor's `: member(…)` (qualifiers skipped). */
function initializerListAfter(code: string, open: number): boolean {
  const close = closingParen(code, open);
  if (close === -1) return false;
  return /^(?:\s*(?:noexcept(?:\s*\([^()]*\))?|[A-Z][A-Z0-9]*_[A-Z0-9_]*))*\s*:(?!:)/.test(code.slice(close, close + 200));
}

/** Whether `before` ends a function's parameter list or its qualifiers (not a cast or a condition's parentheses). */
function afterParameters(code: string, before: { text: string; end: number }): boolean {
  if (QUALIFIERS.has(before.text)) return true;
  if (before.text !== ')') return false;
  let depth = 0;
  let open = before.end - 1;
  for (; open >= 0 && before.end - open < MAX_GROUP_CHARS; open--) {
    if (code[open] === ')') depth++;
    else if (code[open] === '(' && --depth === 0) break;
  }
  if (open < 0 || code[open] !== '(') return false;
  if (/\boperator\s*[^\w\s;{}]{1,3}\s*$/.test(code.slice(Math.max(0, open - 40), open))) return true; // operator=(…)
  const callee = tokenBefore(code, open).text;
  return /^\w+$/.test(callee) ? !NOT_CALLEES.has(callee) : callee !== '' && ')>]'.includes(callee);
}

function skipSpace(code: string, i: number): number {
  while (i < code.length && /\s/.test(code[i])) i++;
  return i;
}

function wordAt(pattern: RegExp, code: string, i: number): string | undefined {
  pattern.lastIndex = i;
  return pattern.exec(code)?.[0];
}

/** The token ending just before `at` (spaces skipped): a word, one punctuation character, or '' at the start. */
function tokenBefore(code: string, at: number): { text: string; end: number } {
  let end = at;
  while (end > 0 && /\s/.test(code[end - 1])) end--;
  let start = end;
  while (start > 0 && /\w/.test(code[start - 1])) start--;
  if (start === end && end > 0) start = end - 1;
  return { text: code.slice(start, end), end };
}
