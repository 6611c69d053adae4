// TypeScript, TSX and JavaScript: one spec, since their grammars share the declaration node types.
import type { Node } from 'web-tree-sitter';
import type { RegionKind } from '../types';
import {
  type Classification,
  type Declaration,
  type LanguageSpec,
  type Scope,
  field,
  line,
  nameOf,
  namedChildrenOf,
  unquote,
} from './spec';

const FUNCTION_VALUES = new Set(['arrow_function', 'function_expression', 'function', 'generator_function']);
const CLASS_VALUES = new Set(['class', 'class_expression']);

function declarationsOf(node: Node, outer: Node, scope: Scope): Declaration[] {
  switch (node.type) {
    case 'function_declaration':
    case 'generator_function_declaration':
    case 'function_signature':
      return [{ kind: 'function', name: nameOf(node, 'default'), outer, body: field(node, 'body') }];
    case 'class_declaration':
    case 'abstract_class_declaration':
    case 'class': {
      const body = field(node, 'body');
      return [{ kind: 'class', name: nameOf(node, 'default'), outer, body, members: body, membersScope: 'type' }];
    }
    case 'interface_declaration': {
      const body = field(node, 'body');
      return [{ kind: 'interface', name: nameOf(node), outer, body, members: body, membersScope: 'type' }];
    }
    case 'type_alias_declaration':
      return [{ kind: 'type', name: nameOf(node), outer }];
    case 'enum_declaration':
      return [{ kind: 'enum', name: nameOf(node), outer, body: field(node, 'body') }];
    case 'module':
    case 'internal_module': {
      const body = field(node, 'body');
      const name = field(node, 'name');
      return [
        {
          kind: node.type === 'module' && name?.type === 'string' ? 'module' : 'namespace',
          name: name ? unquote(name.text) : '(anonymous)',
          outer,
          body,
          members: body,
          membersScope: 'module',
        },
      ];
    }
    case 'lexical_declaration':
    case 'variable_declaration':
      return variableDeclarations(node, outer);
    case 'method_definition':
    case 'method_signature':
    case 'abstract_method_signature':
      return scope === 'type' ? [{ kind: 'method', name: nameOf(node), outer, body: field(node, 'body') }] : [];
    case 'pair': {
      // `{ key: function () {} }` in an object literal that holds functions (see objectMembers).
      const value = field(node, 'value');
      if (scope !== 'type' || !value || !FUNCTION_VALUES.has(value.type)) return [];
      return [{ kind: 'method', name: unquote(field(node, 'key')?.text ?? '(anonymous)'), outer, body: field(value, 'body') }];
    }
    case 'public_field_definition':
    case 'field_definition': {
      // Fields holding functions are methods in all but syntax; plain fields stay out of the outline.
      const value = field(node, 'value');
      if (!value || !FUNCTION_VALUES.has(value.type)) return [];
      const name = field(node, 'name') ?? field(node, 'property');
      return [{ kind: 'method', name: name?.text ?? '(anonymous)', outer, body: field(value, 'body') }];
    }
    case 'expression_statement':
      return expressionDeclarations(node, outer);
    case 'ambient_declaration': {
      // `declare function f(): void;`, `export declare namespace N {}`, `declare global { ... }`
      const inner = namedChildrenOf(node).find((c) => c.type !== 'comment');
      if (inner?.type === 'statement_block') {
        return [{ kind: 'namespace', name: 'global', outer, body: inner, members: inner, membersScope: 'module' }];
      }
      return inner ? declarationsOf(inner, outer, scope) : [];
    }
    default:
      return [];
  }
}

/** `const a = 1, b = () => 2`: one region per declarator; the whole statement when there is one. */
function variableDeclarations(node: Node, outer: Node): Declaration[] {
  const declarators = namedChildrenOf(node).filter((c) => c.type === 'variable_declarator');
  const isConst = node.child(0)?.type === 'const';
  return declarators.flatMap((declarator): Declaration[] => {
    const nameNode = field(declarator, 'name');
    if (!nameNode || nameNode.type !== 'identifier') return []; // destructuring: no single name
    const value = field(declarator, 'value');
    if (value?.type === 'call_expression' && field(value, 'function')?.text === 'require') return [];
    let kind: RegionKind = isConst ? 'constant' : 'variable';
    let body: Node | null = null;
    let members: Node | null = null;
    if (value && FUNCTION_VALUES.has(value.type)) {
      kind = 'function';
      body = field(value, 'body');
    } else if (value && CLASS_VALUES.has(value.type)) {
      kind = 'class';
      body = members = field(value, 'body');
    } else {
      members = objectMembers(value);
    }
    const single = declarators.length === 1;
    return [
      {
        kind,
        name: nameNode.text,
        outer: single ? outer : declarator,
        docFrom: single ? undefined : outer,
        signatureFrom: single ? outer : declarator,
        body,
        members,
        membersScope: 'type',
      },
    ];
  });
}

/** CommonJS and prototype assignments: `module.exports.run = function () {}`, `Foo.prototype.bar = ...`. */
function expressionDeclarations(node: Node, outer: Node): Declaration[] {
  const inner = namedChildrenOf(node)[0];
  if (!inner) return [];
  if (inner.type === 'internal_module' || inner.type === 'module') return declarationsOf(inner, outer, 'top');
  if (inner.type !== 'assignment_expression') return [];
  const left = field(inner, 'left');
  const right = field(inner, 'right');
  if (!left || !right || left.type !== 'member_expression') return [];
  if (FUNCTION_VALUES.has(right.type)) {
    return [{ kind: 'function', name: left.text, outer, body: field(right, 'body') }];
  }
  if (CLASS_VALUES.has(right.type)) {
    const body = field(right, 'body');
    return [{ kind: 'class', name: left.text, outer, body, members: body, membersScope: 'type' }];
  }
  const members = objectMembers(right);
  // `module.exports = { parse (text) {…}, isDigit: (c) => … }`: the object's functions are its members.
  if (members) return [{ kind: 'constant', name: left.text, outer, body: right, members, membersScope: 'type' }];
  return [];
}

/**
 * An object literal that holds functions (`{ parse (text) {…}, check: function () {…} }`, a module's
 * exports or a table of handlers): its functions are members, each a region. Other objects: null.
 */
function objectMembers(value: Node | null): Node | null {
  if (value?.type !== 'object') return null;
  const holdsFunction = namedChildrenOf(value).some(
    (c) => c.type === 'method_definition' || (c.type === 'pair' && FUNCTION_VALUES.has(field(c, 'value')?.type ?? '')),
  );
  return holdsFunction ? value : null;
}

function classify(node: Node, scope: Scope): Classification {
  if (node.type === 'export_statement') {
    const declaration = field(node, 'declaration');
    if (declaration) return { declarations: declarationsOf(declaration, node, scope) };
    const value = field(node, 'value'); // export default <expression>
    if (value && (FUNCTION_VALUES.has(value.type) || CLASS_VALUES.has(value.type))) {
      const isClass = CLASS_VALUES.has(value.type);
      const body = field(value, 'body');
      return {
        declarations: [
          {
            kind: isClass ? 'class' : 'function',
            name: nameOf(value, 'default'),
            outer: node,
            body,
            members: isClass ? body : null,
            membersScope: 'type',
          },
        ],
      };
    }
    return undefined;
  }
  return { declarations: declarationsOf(node, node, scope) };
}

function imports(root: Node): { source: string; line: number }[] {
  const found: { source: string; line: number }[] = [];
  for (const statement of namedChildrenOf(root)) {
    const source = field(statement, 'source');
    if ((statement.type === 'import_statement' || statement.type === 'export_statement') && source) {
      found.push({ source: unquote(source.text), line: line(statement) });
    } else if (
      statement.type === 'lexical_declaration' ||
      statement.type === 'variable_declaration' ||
      statement.type === 'expression_statement'
    ) {
      // CommonJS: top-level require('x') anywhere in the statement.
      for (const call of statement.descendantsOfType('call_expression')) {
        const argument = call && namedChildrenOf(field(call, 'arguments') ?? call)[0];
        if (call && field(call, 'function')?.text === 'require' && argument?.type === 'string') {
          found.push({ source: unquote(argument.text), line: line(call) });
        }
      }
    }
  }
  return found;
}

/** The statement directly under the program that holds `node` (a declarator's export_statement). */
function topLevelStatement(node: Node): Node {
  let current = node;
  while (current.parent && current.parent.type !== 'program') current = current.parent;
  return current;
}

function exports(root: Node, topLevel: { name: string; line: number; outer: Node }[]): { name: string; line: number }[] {
  const found: { name: string; line: number }[] = [];
  for (const entry of topLevel) {
    const statement = topLevelStatement(entry.outer);
    if (statement.type !== 'export_statement') continue;
    const isDefault = statement.children.some((c) => c?.type === 'default');
    found.push({ name: isDefault ? 'default' : entry.name, line: entry.line });
  }
  for (const statement of namedChildrenOf(root)) {
    if (statement.type === 'export_statement' && !field(statement, 'declaration')) {
      const clause = namedChildrenOf(statement).find((c) => c.type === 'export_clause');
      for (const specifier of clause ? namedChildrenOf(clause) : []) {
        const exported = field(specifier, 'alias') ?? field(specifier, 'name');
        if (exported) found.push({ name: exported.text, line: line(specifier) });
      }
      if (!clause && field(statement, 'source')) found.push({ name: '*', line: line(statement) });
      else if (!clause && field(statement, 'value') && !topLevel.some((t) => t.outer.equals(statement))) {
        found.push({ name: 'default', line: line(statement) });
      }
    } else if (statement.type === 'expression_statement') {
      // module.exports.name = ... / exports.name = ...
      const assignment = namedChildrenOf(statement)[0];
      const left = assignment?.type === 'assignment_expression' ? field(assignment, 'left') : null;
      const match = left && /^(?:module\.)?exports\.([\w$]+)$/.exec(left.text);
      if (match) found.push({ name: match[1], line: line(statement) });
    }
  }
  return found;
}

export const javascriptSpec: LanguageSpec = {
  commentTypes: new Set(['comment', 'html_comment']),
  prefixTypes: new Set(['decorator']),
  classify,
  imports,
  exports,
  signatureTrail: /\s*(?:\{|=>)$/,
};
