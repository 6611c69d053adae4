// Walks a syntax tree with a language's spec and builds regions: ranges, doc comments, signatures, members.
import type { Node } from 'web-tree-sitter';
import type { Region } from './types';
import { type Declaration, type LanguageSpec, type Scope, namedChildrenOf } from './languages/spec';
import { docstringText, stripCommentMarkers } from './commentText';

const MAX_SIGNATURE_CHARS = 300;
/** Comments written as documentation of what follows. */
const DOC_BLOCK = /^\s*(\/\*\*[^/]|\/\*!|\/\/\/)/;
/** A file's header rather than a declaration's doc. */
const FILE_HEADER = /@(license|file|fileoverview|module|copyright|preserve)\b|\bcopyright\b|SPDX-License/i;

export interface WalkedRegion {
  region: Region;
  outer: Node;
  forward?: boolean;
}

export class OutlineWalker {
  /** `parsed`: the text the grammar read (LanguageSpec.parsedText), when it differs from the file's. */
  constructor(
    private readonly spec: LanguageSpec,
    private readonly text: string,
    private readonly parsed: string = text,
  ) {}

  /** Regions declared directly in `container` (or in transparent wrappers inside it), in source order. */
  collect(container: Node, scope: Scope): WalkedRegion[] {
    const found: WalkedRegion[] = [];
    for (const child of namedChildrenOf(container)) {
      if (this.spec.commentTypes.has(child.type)) continue;
      const classification = this.spec.classify(child, scope);
      if (!classification) continue;
      if ('descendInto' in classification) {
        found.push(...this.collect(classification.descendInto, scope));
      } else {
        for (const declaration of classification.declarations) found.push(this.build(declaration));
      }
    }
    return this.withoutRedundantPrototypes(found);
  }

  /** `int add(int, int);` followed by its definition lists `add` once, at the definition. */
  private withoutRedundantPrototypes(found: WalkedRegion[]): WalkedRegion[] {
    if (!found.some((w) => w.forward)) return found;
    const defined = new Set(found.filter((w) => !w.forward).map((w) => w.region.name));
    return found.filter((w) => !w.forward || !defined.has(w.region.name));
  }

  private build(d: Declaration): WalkedRegion {
    const first = this.firstPrefix(d.docFrom ?? d.outer);
    const rangeStart = d.docFrom ? d.outer : first;
    const region: Region = {
      kind: d.kind,
      name: d.name,
      startLine: rangeStart.startPosition.row,
      endLine: endLineOf(d.outer),
      startOffset: this.startOf(rangeStart),
      endOffset: d.outer.endIndex,
      signature: this.signature(d),
      children: d.members ? this.collect(d.members, d.membersScope ?? 'type').map((w) => w.region) : [],
    };
    const docstring = this.spec.docstring?.(d);
    if (docstring && docstring.text) {
      region.doc = docstring.text;
      region.docStartOffset = docstring.offset;
    } else {
      const comments = this.precedingComments(first);
      let doc = comments
        .map((c) => stripCommentMarkers(c.text))
        .join('\n')
        .trim();
      if (doc && this.spec.cleanDoc) doc = this.spec.cleanDoc(doc);
      if (doc) {
        region.doc = doc;
        region.docStartOffset = comments[0].startIndex;
      }
    }
    return { region, outer: d.outer, forward: d.forward };
  }

  /**
   * Where `node` starts in the file's own text: before what the grammar was shown as spaces on its line
   * (C's `FMT_API void f()` parses from `void`; the macro is still part of the declaration).
   */
  private startOf(node: Node): number {
    const start = node.startIndex;
    if (this.parsed === this.text) return start;
    let blankFrom = start;
    while (blankFrom > 0 && (this.parsed[blankFrom - 1] === ' ' || this.parsed[blankFrom - 1] === '\t')) blankFrom--;
    const written = this.text.slice(blankFrom, start).search(/\S/);
    return written === -1 ? start : blankFrom + written;
  }

  /** Attributes and decorators written before a declaration belong to its region. */
  private firstPrefix(node: Node): Node {
    let first = node;
    const prefixTypes = this.spec.prefixTypes;
    if (!prefixTypes) return first;
    for (let prev = first.previousNamedSibling; prev && prefixTypes.has(prev.type); prev = prev.previousNamedSibling) {
      first = prev;
    }
    return first;
  }

  /**
   * The run of comments ending on the line just above `node`, none of them trailing code. A doc block
   * (`/**`, `/*!`, `///`) may stand one blank line above its declaration, as many JavaScript files
   * write it. The file's header (`@license`, `@file`, `@module`, copyright) ends the run: it is never a
   * declaration's doc, even right above one (a licence block, then the class's own doc block).
   */
  private precedingComments(node: Node): Node[] {
    const comments: Node[] = [];
    let expectedEndRow = node.startPosition.row - 1;
    let prev = node.previousNamedSibling;
    // A body node that starts at its first member (Ruby's body_statement) leaves that member's comment
    // as the body's previous sibling.
    if (!prev && node.parent && node.parent.startIndex === node.startIndex) prev = node.parent.previousNamedSibling;
    while (prev && this.spec.commentTypes.has(prev.type) && !FILE_HEADER.test(prev.text)) {
      const endRow = prev.endPosition.column === 0 ? prev.endPosition.row - 1 : prev.endPosition.row;
      const gapAllowed = comments.length === 0 && endRow === expectedEndRow - 1 && this.isDocBlockBefore(prev, node);
      if (endRow < expectedEndRow && !gapAllowed) break;
      const before = prev.previousNamedSibling;
      const trailsCode = before && !this.spec.commentTypes.has(before.type) && before.endPosition.row === prev.startPosition.row;
      if (trailsCode) break;
      comments.unshift(prev);
      expectedEndRow = prev.startPosition.row - 1;
      prev = before;
    }
    return comments;
  }

  /** A doc block with nothing but one blank line between it and `next`. */
  private isDocBlockBefore(comment: Node, next: Node): boolean {
    return DOC_BLOCK.test(comment.text) && this.text.slice(comment.endIndex, next.startIndex).trim() === '';
  }

  private signature(d: Declaration): string {
    const from = this.startOf(d.signatureFrom ?? d.outer);
    let to: number;
    if (d.body && d.body.startIndex > from) {
      to = d.body.startIndex;
      // A comment between the header and the body (Ruby, `def f() # note`) is not signature.
      const comment = namedChildrenOf(d.outer).find((c) => this.spec.commentTypes.has(c.type) && c.startIndex > from && c.startIndex < to);
      if (comment) to = comment.startIndex;
    } else {
      const lineEnd = this.text.indexOf('\n', from);
      to = Math.min(d.outer.endIndex, lineEnd === -1 ? this.text.length : lineEnd);
    }
    let signature = this.text.slice(from, to).replace(/\s+/g, ' ').trim();
    if (this.spec.signatureTrail) signature = signature.replace(this.spec.signatureTrail, '').trim();
    if (this.spec.signatureLead) signature = signature.replace(this.spec.signatureLead, '').trim();
    return signature.length > MAX_SIGNATURE_CHARS ? signature.slice(0, MAX_SIGNATURE_CHARS - 1) + '…' : signature;
  }
}

/** Last line a node covers; a node ending at column 0 ended with the previous line's newline. */
export function endLineOf(node: Node): number {
  const { row, column } = node.endPosition;
  return column === 0 && row > node.startPosition.row ? row - 1 : row;
}

export { docstringText };
