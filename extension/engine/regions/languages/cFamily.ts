// C and C++: functions (prototypes only when never defined), structs, unions, classes, enums, typedefs,
// namespaces, templates, macros; declarations inside #if/#ifdef and extern "C" blocks count as top level,
// and so do those inside ERROR nodes. The grammar reads the text with the library's own macros
// neutralised (cMacros.ts).
import type { Node } from 'web-tree-sitter';
import type { Classification, Declaration, LanguageSpec, Scope } from './spec';
import { field, line, namedChildrenOf } from './spec';
import { withoutMacros } from './cMacros';

const TRANSPARENT = new Set(['preproc_if', 'preproc_ifdef', 'preproc_else', 'preproc_elif', 'preproc_elifdef']);
const RECORD_KINDS: Readonly<Record<string, 'struct' | 'class' | 'enum'>> = {
  struct_specifier: 'struct',
  union_specifier: 'struct',
  class_specifier: 'class',
  enum_specifier: 'enum',
};

/** The declarator a declarator wraps: `*p` → `p`; a reference (`&f()`) has it as its one named child, not a field. */
function innerDeclarator(node: Node): Node | null {
  if (node.type === 'reference_declarator') return node.namedChildren.find((c) => c !== null) ?? null;
  return field(node, 'declarator');
}

/** The function_declarator inside pointer/reference/attributed declarators, if this declares a function. */
function functionDeclarator(declarator: Node | null): Node | undefined {
  for (let current = declarator; current; current = innerDeclarator(current)) {
    if (current.type === 'function_declarator') return current;
    if (!/declarator$/.test(current.type)) return undefined;
  }
  return undefined;
}

/** Innermost name of a declarator chain: `*(*handler)(int)` → handler. */
function declaratorName(declarator: Node | null): string {
  let current = declarator;
  while (current && innerDeclarator(current)) current = innerDeclarator(current);
  return current?.text ?? '(anonymous)';
}

/** The name of a conversion operator (`operator bool`, `S::operator int`): the declarator up to its parameters. */
function conversionName(declarator: Node | null): string | undefined {
  const cast = declarator?.type === 'qualified_identifier' ? field(declarator, 'name') : declarator;
  if (!declarator || cast?.type !== 'operator_cast') return undefined;
  const parameters = field(cast, 'declarator');
  return declarator.text.slice(0, (parameters?.startIndex ?? declarator.endIndex) - declarator.startIndex).trim();
}

function functionDeclaration(node: Node, outer: Node, scope: Scope, forward: boolean): Declaration | undefined {
  const declarator = functionDeclarator(field(node, 'declarator'));
  const name = declarator ? (field(declarator, 'declarator')?.text ?? '(anonymous)') : conversionName(field(node, 'declarator'));
  if (!name) return undefined;
  const kind = scope === 'type' || name.includes('::') ? 'method' : 'function';
  return { kind, name, outer, body: field(node, 'body'), forward };
}

/** A struct/class/union/enum with a body, whether bare or inside a declaration. */
function record(specifier: Node | null, outer: Node, name?: string): Declaration | undefined {
  if (!specifier) return undefined;
  const kind = RECORD_KINDS[specifier.type];
  const body = field(specifier, 'body');
  if (!kind || !body) return undefined;
  return {
    kind,
    name: name ?? field(specifier, 'name')?.text ?? '(anonymous)',
    outer,
    body,
    members: kind === 'enum' ? null : body,
    membersScope: 'type',
  };
}

function declarationsOf(node: Node, outer: Node, scope: Scope): Declaration[] {
  switch (node.type) {
    case 'function_definition': {
      const found = functionDeclaration(node, outer, scope, false);
      return found ? [found] : [];
    }
    case 'declaration':
    case 'field_declaration': {
      const prototype = functionDeclaration(node, outer, scope, scope !== 'type');
      if (prototype) return [prototype];
      const found = record(field(node, 'type'), outer);
      return found ? [found] : [];
    }
    case 'struct_specifier':
    case 'union_specifier':
    case 'class_specifier':
    case 'enum_specifier': {
      const found = record(node, outer);
      return found ? [found] : [];
    }
    case 'type_definition': {
      const name = declaratorName(field(node, 'declarator'));
      return [record(field(node, 'type'), outer, name) ?? { kind: 'type', name, outer }];
    }
    case 'namespace_definition': {
      const body = field(node, 'body');
      return [{ kind: 'namespace', name: field(node, 'name')?.text ?? '(anonymous)', outer, body, members: body, membersScope: 'module' }];
    }
    case 'friend_declaration': {
      // A friend defined in the class (`friend bool operator==(…) { … }`); a friend only declared is not a member.
      const inner = namedChildrenOf(node).find((c) => c.type === 'function_definition');
      return inner ? declarationsOf(inner, outer, scope) : [];
    }
    case 'template_declaration': {
      const inner = namedChildrenOf(node).find((c) => c.type !== 'template_parameter_list');
      return inner ? declarationsOf(inner, outer, scope) : [];
    }
    case 'preproc_def':
      return [{ kind: 'constant', name: field(node, 'name')?.text ?? '(anonymous)', outer }];
    case 'preproc_function_def':
      return [{ kind: 'function', name: field(node, 'name')?.text ?? '(anonymous)', outer }];
    default:
      return [];
  }
}

function classify(node: Node, scope: Scope): Classification {
  // An ERROR node holds what the grammar could not fit, often whole definitions after the broken part.
  if (TRANSPARENT.has(node.type) || node.type === 'ERROR') return { descendInto: node };
  if (node.type === 'linkage_specification') {
    const body = field(node, 'body');
    if (body?.type === 'declaration_list') return { descendInto: body };
    return body ? { declarations: declarationsOf(body, node, scope) } : undefined;
  }
  return { declarations: declarationsOf(node, node, scope) };
}

function imports(root: Node): { source: string; line: number }[] {
  return root.descendantsOfType('preproc_include').flatMap((include) => {
    const path = include && field(include, 'path');
    return path ? [{ source: path.text.replace(/^[<"]|[>"]$/g, ''), line: line(include!) }] : [];
  });
}

/** What other files can link against: top-level functions and types not declared `static`. */
function exports(_root: Node, topLevel: { name: string; line: number; outer: Node }[]): { name: string; line: number }[] {
  return topLevel
    .filter(
      (t) =>
        !t.outer.type.startsWith('preproc') &&
        !namedChildrenOf(t.outer).some((c) => c.type === 'storage_class_specifier' && c.text === 'static'),
    )
    .map(({ name, line }) => ({ name, line }));
}

export const cFamilySpec: LanguageSpec = {
  commentTypes: new Set(['comment']),
  parsedText: withoutMacros,
  classify,
  imports,
  exports,
  signatureTrail: /\s*\{$/,
};
