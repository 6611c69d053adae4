// Rust: functions, structs, enums, traits, impls (methods as children), modules, consts, statics, type aliases.
import type { Node } from 'web-tree-sitter';
import type { Classification, Declaration, LanguageSpec, Scope } from './spec';
import { field, line, nameOf, namedChildrenOf } from './spec';

function item(node: Node, scope: Scope): Declaration | undefined {
  const body = field(node, 'body');
  switch (node.type) {
    case 'function_item':
    case 'function_signature_item':
      return { kind: scope === 'type' ? 'method' : 'function', name: nameOf(node), outer: node, body };
    case 'struct_item':
    case 'union_item':
      return { kind: 'struct', name: nameOf(node), outer: node, body };
    case 'enum_item':
      return { kind: 'enum', name: nameOf(node), outer: node, body };
    case 'trait_item':
      return { kind: 'trait', name: nameOf(node), outer: node, body, members: body, membersScope: 'type' };
    case 'impl_item': {
      // `impl Trait for Type` is named that way; a bare `impl Type` by the type.
      const type = field(node, 'type')?.text ?? '(anonymous)';
      const trait = field(node, 'trait')?.text;
      return { kind: 'impl', name: trait ? `${trait} for ${type}` : type, outer: node, body, members: body, membersScope: 'type' };
    }
    case 'mod_item':
      return { kind: 'module', name: nameOf(node), outer: node, body, members: body, membersScope: 'module' };
    case 'const_item':
    case 'static_item':
      return { kind: 'constant', name: nameOf(node), outer: node };
    case 'type_item':
      return { kind: 'type', name: nameOf(node), outer: node };
    case 'macro_definition':
      return { kind: 'function', name: `${nameOf(node)}!`, outer: node };
    default:
      return undefined;
  }
}

function classify(node: Node, scope: Scope): Classification {
  const found = item(node, scope);
  return found ? { declarations: [found] } : undefined;
}

function imports(root: Node): { source: string; line: number }[] {
  const found: { source: string; line: number }[] = [];
  for (const statement of namedChildrenOf(root)) {
    if (statement.type === 'use_declaration') {
      const argument = field(statement, 'argument');
      if (argument) found.push({ source: argument.text, line: line(statement) });
    } else if (statement.type === 'extern_crate_declaration') {
      found.push({ source: nameOf(statement), line: line(statement) });
    }
  }
  return found;
}

/** Items marked `pub` at the top level. */
function exports(_root: Node, topLevel: { name: string; line: number; outer: Node }[]): { name: string; line: number }[] {
  return topLevel
    .filter((t) => namedChildrenOf(t.outer).some((c) => c.type === 'visibility_modifier' && c.text.startsWith('pub')))
    .map(({ name, line }) => ({ name, line }));
}

export const rustSpec: LanguageSpec = {
  commentTypes: new Set(['line_comment', 'block_comment']),
  prefixTypes: new Set(['attribute_item']),
  classify,
  imports,
  exports,
  signatureTrail: /\s*\{$/,
};
