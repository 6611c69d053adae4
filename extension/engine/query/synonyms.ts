// Words code and questions use for the same thing: a question says "delete", the code `remove`; it
// says "arguments", the code `params`. Each group is words of one meaning in code; keyword search
// (lexicalQuestion.ts questionTerms) lets a question's word also meet the others of its group, at a lower
// weight than the word itself. General programming vocabulary, not any workspace's or benchmark's.
import { stem } from './stem';

const GROUPS: readonly string[] = [
  'begin start init initialize open launch',
  'end finish stop close terminate shutdown',
  'remove delete drop erase clear purge unset',
  'create make new build construct instantiate',
  'fetch retrieve load lookup',
  'store save persist write put',
  'find search lookup locate query',
  'check validate verify ensure assert',
  'convert transform cast coerce',
  'parse decode deserialize unmarshal unserialize',
  'serialize encode marshal dump stringify format',
  'escape quote',
  'unescape unquote',
  'error exception failure fault',
  'size length count len',
  'argument arg param parameter option flag',
  'print display show output render emit',
  'copy clone duplicate',
  'compare equal equals cmp',
  'hash digest checksum',
  'random rand rng',
  'identifier id ident',
  'character char',
  'string str text',
  'number num integer int',
  'directory dir folder',
  'configuration config settings conf',
  'message msg',
  'buffer buf',
  'address addr',
  'attribute attr property prop',
  'element elem item entry',
  'function func fn callback handler',
  'temporary temp tmp',
  'previous prev last',
  'current cur curr',
  'maximum max limit',
  'minimum min',
  'timestamp time date',
  'expire expiry expiration expires',
  'connection conn socket',
  'request req',
  'response res resp reply',
  'command cmd cli',
  'document doc',
  'value val',
  'variable var',
  'regular regex regexp pattern',
  'environment env',
  'context ctx',
  'index idx',
  'source src',
  'destination dest dst target',
];

/** Stem → the stems of the other words of its groups. */
const BY_STEM = new Map<string, Set<string>>();
for (const group of GROUPS) {
  const stems = [...new Set(group.split(' ').map(stem))];
  for (const s of stems) {
    let others = BY_STEM.get(s);
    if (!others) BY_STEM.set(s, (others = new Set()));
    for (const o of stems) if (o !== s) others.add(o);
  }
}

/** The stems that mean what `term` (a stemmed search term) means in code, itself excluded. */
export function synonymsOf(term: string): ReadonlySet<string> {
  return BY_STEM.get(term) ?? EMPTY;
}
const EMPTY: ReadonlySet<string> = new Set();
