// PHP: namespaces, functions, classes, interfaces, traits, enums, methods and constants.
import type { Node } from 'web-tree-sitter';
import type { Classification, Declaration, LanguageSpec, Scope } from './spec';
import { field, line, nameOf, namedChildrenOf, unquote } from './spec';

const TYPE_KINDS: Readonly<Record<string, 'class' | 'interface' | 'trait' | 'enum'>> = {
  class_declaration: 'class',
  interface_declaration: 'interface',
  trait_declaration: 'trait',
  enum_declaration: 'enum',
};

function classify(node: Node, _scope: Scope): Classification {
  const typeKind = TYPE_KINDS[node.type];
  const body = field(node, 'body');
  if (typeKind) return { declarations: [{ kind: typeKind, name: nameOf(node), outer: node, body, members: body, membersScope: 'type' }] };
  switch (node.type) {
    case 'function_definition':
      return { declarations: [{ kind: 'function', name: nameOf(node), outer: node, body }] };
    case 'method_declaration':
      return { declarations: [{ kind: 'method', name: nameOf(node), outer: node, body }] };
    case 'namespace_definition':
      // `namespace A;` names the file's namespace and holds nothing; `namespace A { }` holds its members.
      return body
        ? { declarations: [{ kind: 'namespace', name: nameOf(node), outer: node, body, members: body, membersScope: 'module' }] }
        : undefined;
    case 'const_declaration': {
      const elements = namedChildrenOf(node).filter((c) => c.type === 'const_element');
      return {
        declarations: elements.map((element): Declaration => ({
          kind: 'constant',
          name: namedChildrenOf(element)[0]?.text ?? '(anonymous)',
          outer: elements.length === 1 ? node : element,
          docFrom: elements.length === 1 ? undefined : node,
        })),
      };
    }
    default:
      return undefined;
  }
}

const INCLUDE_TYPES = ['require_expression', 'require_once_expression', 'include_expression', 'include_once_expression'];

function imports(root: Node): { source: string; line: number }[] {
  const found: { source: string; line: number }[] = [];
  for (const use of root.descendantsOfType('namespace_use_clause')) {
    const name = use && namedChildrenOf(use)[0];
    if (name) found.push({ source: name.text, line: line(use!) });
  }
  for (const include of root.descendantsOfType(INCLUDE_TYPES)) {
    const literal = include && namedChildrenOf(include)[0];
    if (literal && /string/.test(literal.type)) found.push({ source: unquote(literal.text), line: line(include!) });
  }
  return found.sort((a, b) => a.line - b.line);
}

export const phpSpec: LanguageSpec = {
  commentTypes: new Set(['comment']),
  classify,
  imports,
  // Every top-level function, type and constant of a PHP file is visible to the files that include it.
  exports: (_root, topLevel) => topLevel.filter((t) => t.outer.type !== 'namespace_definition').map(({ name, line }) => ({ name, line })),
  signatureTrail: /\s*\{$/,
};
