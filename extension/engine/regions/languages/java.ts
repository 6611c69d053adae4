// Java: classes, interfaces, enums, records (nested types too), methods and constructors, static final constants.
import type { Node } from 'web-tree-sitter';
import type { Classification, LanguageSpec, Scope } from './spec';
import { field, line, nameOf, namedChildrenOf } from './spec';

const TYPE_KINDS: Readonly<Record<string, 'class' | 'interface' | 'enum'>> = {
  class_declaration: 'class',
  record_declaration: 'class',
  interface_declaration: 'interface',
  annotation_type_declaration: 'interface',
  enum_declaration: 'enum',
};

function modifiersOf(node: Node): string {
  return namedChildrenOf(node).find((c) => c.type === 'modifiers')?.text ?? '';
}

function classify(node: Node, scope: Scope): Classification {
  const typeKind = TYPE_KINDS[node.type];
  if (typeKind) {
    const body = field(node, 'body');
    return { declarations: [{ kind: typeKind, name: nameOf(node), outer: node, body, members: body, membersScope: 'type' }] };
  }
  if (node.type === 'enum_body_declarations') return { descendInto: node }; // members after the enum constants
  if (node.type === 'method_declaration' || node.type === 'constructor_declaration' || node.type === 'compact_constructor_declaration') {
    return { declarations: [{ kind: 'method', name: nameOf(node), outer: node, body: field(node, 'body') }] };
  }
  if ((node.type === 'field_declaration' || node.type === 'constant_declaration') && scope === 'type') {
    // Constants (static final, or any interface field) belong in an outline; plain fields do not.
    const modifiers = modifiersOf(node);
    if (node.type === 'field_declaration' && !(/\bstatic\b/.test(modifiers) && /\bfinal\b/.test(modifiers))) return undefined;
    const declarators = node.childrenForFieldName('declarator').filter((d): d is Node => d !== null);
    return {
      declarations: declarators.map((d) => ({
        kind: 'constant' as const,
        name: nameOf(d),
        outer: declarators.length === 1 ? node : d,
        docFrom: declarators.length === 1 ? undefined : node,
      })),
    };
  }
  return undefined;
}

function imports(root: Node): { source: string; line: number }[] {
  return namedChildrenOf(root)
    .filter((s) => s.type === 'import_declaration')
    .map((s) => ({
      source: s.text.replace(/^import\s+(static\s+)?/, '').replace(/\s*;$/, ''),
      line: line(s),
    }));
}

/** Public top-level types. */
function exports(_root: Node, topLevel: { name: string; line: number; outer: Node }[]): { name: string; line: number }[] {
  return topLevel.filter((t) => /\bpublic\b/.test(modifiersOf(t.outer))).map(({ name, line }) => ({ name, line }));
}

export const javaSpec: LanguageSpec = {
  commentTypes: new Set(['line_comment', 'block_comment', 'comment']),
  classify,
  imports,
  exports,
  signatureTrail: /\s*\{$/,
  signatureLead: /^(?:@[\w.]+(?:\([^)]*\))?\s+)+/,
};
