// What each grammar-backed language tells the shared outline walker (outlineWalker.ts).
import type { Node } from 'web-tree-sitter';
import type { RegionKind } from '../types';

/** Where a declaration sits: members of a class-like body become methods rather than functions. */
export type Scope = 'top' | 'type' | 'module';

/** One declaration a language recognised. */
export interface Declaration {
  kind: RegionKind;
  name: string;
  /** The node whose range is the region (export wrappers and decorators included). */
  outer: Node;
  /** Where the signature starts (usually `outer`; the `def` inside a decorated Python definition). */
  signatureFrom?: Node;
  /** The body: the signature ends where it starts. Absent: the signature is the first line. */
  body?: Node | null;
  /** A node whose named children hold member declarations (class body, namespace body). */
  members?: Node | null;
  /** Scope the members are in. */
  membersScope?: Scope;
  /** Where to look for a preceding doc comment, when not `outer` (one of several declarators). */
  docFrom?: Node;
  /** A prototype (C/C++): dropped when a definition of the same name sits in the same scope. */
  forward?: boolean;
}

export type Classification =
  | { declarations: Declaration[] }
  /** A wrapper with no region of its own whose children are declarations at the same level (#ifdef). */
  | { descendInto: Node }
  | undefined;

export interface LanguageSpec {
  /** Node types that are comments. */
  commentTypes: ReadonlySet<string>;
  /** Node types that sit between a doc comment and its declaration (Rust attributes, TS decorators). */
  prefixTypes?: ReadonlySet<string>;
  /** Which declarations `node` holds, seen in `scope`. */
  classify(node: Node, scope: Scope): Classification;
  /** A docstring inside the declaration (Python); found before looking for a preceding comment. */
  docstring?(decl: Declaration): { text: string; offset: number } | undefined;
  /** Imports: module specifiers with 0-based lines. */
  imports(root: Node): { source: string; line: number }[];
  /** Exported names; `topLevel` are the regions already found at the top level. */
  exports(root: Node, topLevel: { name: string; line: number; outer: Node }[]): { name: string; line: number }[];
  /** Tidies doc text after comment markers are stripped (C#'s XML tags). */
  cleanDoc?(doc: string): string;
  /**
   * The text the grammar parses, when it must differ from the file's (C++'s namespace-wrapping macros
   * blanked): the same length, so every offset and line still points into the file's own text.
   */
  parsedText?(text: string): string;
  /** Strips a trailing body opener (`{`, `:`) from signatures. */
  signatureTrail?: RegExp;
  /** Strips leading noise from signatures (Java annotations). */
  signatureLead?: RegExp;
}

/** Named children without the nulls the web-tree-sitter typings allow. */
export function namedChildrenOf(node: Node): Node[] {
  return node.namedChildren.filter((child): child is Node => child !== null);
}

export function field(node: Node, name: string): Node | null {
  return node.childForFieldName(name);
}

/** The text of a node's `name` field, or a fallback. */
export function nameOf(node: Node, fallback = '(anonymous)'): string {
  return field(node, 'name')?.text ?? fallback;
}

/** String literal content without its quotes (for import sources). */
export function unquote(literal: string): string {
  const match = /^(?:[rubfRUBF]{0,2})(['"`]{1,3})([\s\S]*)\1$/.exec(literal.trim());
  return match ? match[2] : literal.trim();
}

export function line(node: Node): number {
  return node.startPosition.row;
}
