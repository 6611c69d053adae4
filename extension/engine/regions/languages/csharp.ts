// C#: namespaces (block and file-scoped), classes, structs, interfaces, enums, records, delegates,
// methods, constructors, properties and constants; `///` XML doc comments reduced to their text.
import type { Node } from 'web-tree-sitter';
import type { Classification, Declaration, LanguageSpec, Scope } from './spec';
import { field, line, nameOf, namedChildrenOf } from './spec';

const TYPE_KINDS: Readonly<Record<string, 'class' | 'struct' | 'interface' | 'enum'>> = {
  class_declaration: 'class',
  record_declaration: 'class',
  record_struct_declaration: 'struct',
  struct_declaration: 'struct',
  interface_declaration: 'interface',
  enum_declaration: 'enum',
};

/** Signatures start after `[Attributes]`, which would otherwise crowd out the declaration itself. */
function afterAttributes(node: Node): Node {
  const children = node.children.filter((c): c is Node => c !== null);
  if (children[0]?.type !== 'attribute_list') return node;
  return children.find((c) => c.type !== 'attribute_list' && !c.type.includes('comment')) ?? node;
}

function modifiers(node: Node): string {
  return namedChildrenOf(node)
    .filter((c) => c.type === 'modifier')
    .map((c) => c.text)
    .join(' ');
}

function classify(node: Node, _scope: Scope): Classification {
  const typeKind = TYPE_KINDS[node.type];
  const base = { outer: node, signatureFrom: afterAttributes(node) };
  if (typeKind) {
    const body = field(node, 'body');
    return {
      declarations: [
        { ...base, kind: typeKind, name: nameOf(node), body, members: typeKind === 'enum' ? null : body, membersScope: 'type' },
      ],
    };
  }
  switch (node.type) {
    case 'namespace_declaration':
    case 'file_scoped_namespace_declaration': {
      const body = field(node, 'body');
      // A file-scoped namespace's members are its siblings; its region is the one line.
      return { declarations: [{ ...base, kind: 'namespace', name: nameOf(node), body, members: body, membersScope: 'module' }] };
    }
    case 'method_declaration':
    case 'constructor_declaration':
    case 'destructor_declaration':
    case 'operator_declaration':
      return {
        declarations: [
          {
            ...base,
            kind: 'method',
            name: nameOf(node, node.type === 'operator_declaration' ? 'operator' : '(anonymous)'),
            body: field(node, 'body'),
          },
        ],
      };
    case 'property_declaration':
      return { declarations: [{ ...base, kind: 'variable', name: nameOf(node), body: field(node, 'accessors') }] };
    case 'delegate_declaration':
      return { declarations: [{ ...base, kind: 'type', name: nameOf(node) }] };
    case 'field_declaration': {
      if (!/\bconst\b|\bstatic\b.*\breadonly\b|\breadonly\b.*\bstatic\b/.test(modifiers(node))) return undefined;
      const declarators = node.descendantsOfType('variable_declarator').filter((d): d is Node => d !== null);
      return {
        declarations: declarators.map((d): Declaration => ({
          kind: 'constant',
          outer: declarators.length === 1 ? node : d,
          docFrom: declarators.length === 1 ? undefined : node,
          name: field(d, 'name')?.text ?? namedChildrenOf(d)[0]?.text ?? '(anonymous)',
        })),
      };
    }
    default:
      return undefined;
  }
}

function imports(root: Node): { source: string; line: number }[] {
  return root.descendantsOfType('using_directive').flatMap((using) => {
    if (!using) return [];
    const name = namedChildrenOf(using)
      .filter((c) => c.type === 'qualified_name' || c.type === 'identifier')
      .pop();
    return name ? [{ source: name.text, line: line(using) }] : [];
  });
}

function publicNames(regions: { name: string; line: number; outer: Node }[]): { name: string; line: number }[] {
  return regions.flatMap((r) => {
    if (r.outer.type === 'namespace_declaration' || r.outer.type === 'file_scoped_namespace_declaration') {
      const body = field(r.outer, 'body');
      const members = body ? namedChildrenOf(body) : [];
      return publicNames(
        members
          .filter((m) => TYPE_KINDS[m.type] || m.type === 'delegate_declaration')
          .map((m) => ({ name: nameOf(m), line: line(m), outer: m })),
      );
    }
    return /\bpublic\b/.test(modifiers(r.outer)) ? [{ name: r.name, line: r.line }] : [];
  });
}

export const csharpSpec: LanguageSpec = {
  commentTypes: new Set(['comment']),
  classify,
  imports,
  exports: (_root, topLevel) => publicNames(topLevel),
  cleanDoc: (doc) =>
    doc
      .replace(/<\/?(?:summary|remarks|returns|para)>/g, '')
      .replace(/<(?:see|seealso) cref="([^"]+)"\s*\/>/g, '$1')
      .split('\n')
      .map((l) => l.trim())
      .filter((l, i, all) => l !== '' || (i > 0 && all[i - 1] !== ''))
      .join('\n')
      .trim(),
  signatureTrail: /\s*\{$/,
};
