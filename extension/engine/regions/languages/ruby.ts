// Ruby: modules, classes, methods (singleton methods too) and constants; `require` calls as imports.
import type { Node } from 'web-tree-sitter';
import type { Classification, LanguageSpec, Scope } from './spec';
import { field, line, namedChildrenOf, unquote } from './spec';

function classify(node: Node, scope: Scope): Classification {
  const body = field(node, 'body');
  const name = field(node, 'name')?.text ?? '(anonymous)';
  switch (node.type) {
    case 'method':
      return { declarations: [{ kind: scope === 'top' ? 'function' : 'method', name, outer: node, body }] };
    case 'singleton_method':
      return { declarations: [{ kind: 'method', name: `${field(node, 'object')?.text ?? 'self'}.${name}`, outer: node, body }] };
    case 'class':
    case 'singleton_class':
      return { declarations: [{ kind: 'class', name, outer: node, body, members: body, membersScope: 'type' }] };
    case 'module':
      return { declarations: [{ kind: 'module', name, outer: node, body, members: body, membersScope: 'module' }] };
    case 'assignment': {
      const left = field(node, 'left');
      return left?.type === 'constant' ? { declarations: [{ kind: 'constant', name: left.text, outer: node }] } : undefined;
    }
    default:
      return undefined;
  }
}

const REQUIRE_METHODS = new Set(['require', 'require_relative', 'load', 'autoload']);

function imports(root: Node): { source: string; line: number }[] {
  return namedChildrenOf(root).flatMap((statement) => {
    if (statement.type !== 'call' || !REQUIRE_METHODS.has(field(statement, 'method')?.text ?? '')) return [];
    const argument = namedChildrenOf(field(statement, 'arguments') ?? statement)
      .filter((a) => a.type === 'string')
      .pop();
    return argument ? [{ source: unquote(argument.text), line: line(statement) }] : [];
  });
}

export const rubySpec: LanguageSpec = {
  commentTypes: new Set(['comment']),
  classify,
  imports,
  // Ruby has no export list: the top-level modules and classes are what other files use.
  exports: (_root, topLevel) =>
    topLevel.filter((t) => t.outer.type === 'module' || t.outer.type === 'class').map(({ name, line }) => ({ name, line })),
  signatureTrail: /\s*\{$/,
};
