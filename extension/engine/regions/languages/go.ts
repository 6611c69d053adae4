// Go: functions, methods (receiver in the signature), type declarations, consts and vars; exported = capitalised.
import type { Node } from 'web-tree-sitter';
import type { Classification, Declaration, LanguageSpec } from './spec';
import { field, line, nameOf, namedChildrenOf, unquote } from './spec';

/** `const ( A = 1; B = 2 )`: each spec is its own region; a lone spec keeps the whole declaration. */
function specs(node: Node, specType: string, kind: 'constant' | 'variable'): Declaration[] {
  const list = namedChildrenOf(node).filter((c) => c.type === specType);
  return list.flatMap((spec) =>
    namedChildrenOf(spec)
      .filter((c) => c.type === 'identifier')
      .map((name): Declaration =>
        list.length === 1 ? { kind, name: name.text, outer: node } : { kind, name: name.text, outer: spec, docFrom: spec },
      ),
  );
}

function classify(node: Node): Classification {
  switch (node.type) {
    case 'function_declaration':
      return { declarations: [{ kind: 'function', name: nameOf(node), outer: node, body: field(node, 'body') }] };
    case 'method_declaration':
      return { declarations: [{ kind: 'method', name: nameOf(node), outer: node, body: field(node, 'body') }] };
    case 'type_declaration': {
      const typeSpecs = namedChildrenOf(node).filter((c) => c.type === 'type_spec' || c.type === 'type_alias');
      return {
        declarations: typeSpecs.map((spec): Declaration => {
          const type = field(spec, 'type');
          const kind = type?.type === 'struct_type' ? 'struct' : type?.type === 'interface_type' ? 'interface' : 'type';
          const outer = typeSpecs.length === 1 ? node : spec;
          return {
            kind,
            name: nameOf(spec),
            outer,
            docFrom: outer === node ? undefined : spec,
            body: type && type.type !== 'type_identifier' ? namedChildrenOf(type)[0] : undefined,
          };
        }),
      };
    }
    case 'const_declaration':
      return { declarations: specs(node, 'const_spec', 'constant') };
    case 'var_declaration':
      return { declarations: specs(node, 'var_spec', 'variable') };
    default:
      return undefined;
  }
}

function imports(root: Node): { source: string; line: number }[] {
  return root.descendantsOfType('import_spec').flatMap((spec) => {
    const path = spec && field(spec, 'path');
    return path ? [{ source: unquote(path.text), line: line(spec!) }] : [];
  });
}

export const goSpec: LanguageSpec = {
  commentTypes: new Set(['comment']),
  classify,
  imports,
  exports: (_root, topLevel) => topLevel.filter((t) => /^\p{Lu}/u.test(t.name)).map(({ name, line }) => ({ name, line })),
  signatureTrail: /\s*\{$/,
};
