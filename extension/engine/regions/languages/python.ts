// Python: functions, classes, methods (decorators included in the range), docstrings, top-level assignments.
import type { Node } from 'web-tree-sitter';
import type { Declaration, LanguageSpec, Scope, Classification } from './spec';
import { field, line, nameOf, namedChildrenOf } from './spec';
import { docstringText } from '../commentText';

function definition(node: Node, outer: Node, scope: Scope): Declaration[] {
  if (node.type === 'function_definition') {
    return [{ kind: scope === 'type' ? 'method' : 'function', name: nameOf(node), outer, signatureFrom: node, body: field(node, 'body') }];
  }
  if (node.type === 'class_definition') {
    const body = field(node, 'body');
    return [{ kind: 'class', name: nameOf(node), outer, signatureFrom: node, body, members: body, membersScope: 'type' }];
  }
  return [];
}

function classify(node: Node, scope: Scope): Classification {
  if (node.type === 'decorated_definition') {
    const inner = field(node, 'definition');
    return inner ? { declarations: definition(inner, node, scope) } : undefined;
  }
  if (node.type === 'expression_statement' && scope === 'top') {
    // NAME = value at module level: UPPER_CASE names are constants by convention.
    const assignment = namedChildrenOf(node)[0];
    const left = assignment?.type === 'assignment' ? field(assignment, 'left') : null;
    if (!left || left.type !== 'identifier' || left.text === '__all__') return undefined;
    const kind = /^_*[A-Z][A-Z0-9_]*$/.test(left.text) ? 'constant' : 'variable';
    return { declarations: [{ kind, name: left.text, outer: node }] };
  }
  return { declarations: definition(node, node, scope) };
}

/** The string literal that opens a function's or class's body. */
function docstring(d: Declaration): { text: string; offset: number } | undefined {
  const definitionNode = d.outer.type === 'decorated_definition' ? field(d.outer, 'definition') : d.outer;
  const body = definitionNode && field(definitionNode, 'body');
  const first = body && namedChildrenOf(body)[0];
  const literal = first?.type === 'expression_statement' ? namedChildrenOf(first)[0] : undefined;
  if (literal?.type !== 'string') return undefined;
  return { text: docstringText(literal.text), offset: literal.startIndex };
}

function imports(root: Node): { source: string; line: number }[] {
  const found: { source: string; line: number }[] = [];
  for (const statement of namedChildrenOf(root)) {
    if (statement.type === 'import_statement') {
      for (const name of statement.childrenForFieldName('name')) {
        const dotted = name?.type === 'aliased_import' ? field(name, 'name') : name;
        if (dotted) found.push({ source: dotted.text, line: line(statement) });
      }
    } else if (statement.type === 'import_from_statement') {
      const module = field(statement, 'module_name');
      if (module) found.push({ source: module.text, line: line(statement) });
    } else if (statement.type === 'future_import_statement') {
      found.push({ source: '__future__', line: line(statement) });
    }
  }
  return found;
}

/** `__all__` when the module declares it; otherwise its public top-level names. */
function exports(root: Node, topLevel: { name: string; line: number }[]): { name: string; line: number }[] {
  for (const statement of namedChildrenOf(root)) {
    const assignment = statement.type === 'expression_statement' ? namedChildrenOf(statement)[0] : undefined;
    if (assignment?.type === 'assignment' && field(assignment, 'left')?.text === '__all__') {
      const list = field(assignment, 'right');
      if (!list || (list.type !== 'list' && list.type !== 'tuple')) break;
      return namedChildrenOf(list)
        .filter((s) => s.type === 'string')
        .map((s) => ({ name: docstringText(s.text), line: line(s) }));
    }
  }
  return topLevel.filter((t) => !t.name.startsWith('_')).map((t) => ({ name: t.name, line: t.line }));
}

export const pythonSpec: LanguageSpec = {
  commentTypes: new Set(['comment']),
  classify,
  docstring,
  imports,
  exports,
  signatureTrail: /\s*:$/,
};
