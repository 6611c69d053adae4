// Queries in the words people search with, derived by rules from a region's doc sentence and name
// (no model writes them): the doc's first sentence itself, a question form of it ("Parses the header."
// → "how does it parse the header?"), the name split into words ("parseHttpHeader" → "parse http
// header") and a short keyword query ("parse http header"). Training picks the share of each kind.

export interface QueryForms {
  doc: string;
  question: string | null;
  name: string | null;
  keywords: string | null;
}

// Verbs that open doc sentences of code ("Parse the…", "Parses the…"), in their base form.
const VERBS = new Set(
  `accept acquire activate add adjust advance align allocate allow append apply assert assign attach authenticate bind
  build calculate call cancel capitalize check clean clear clone close collect combine compare compile complete compose
  compress compute configure connect construct consume contain convert copy count create decode decompress decrement
  decrypt define delete deliver deserialize destroy detach detect determine disable disconnect dispatch display dispose
  download draw drop dump emit enable encode encrypt end ensure enqueue escape evaluate execute exit expand export
  extend extract fail fetch fill filter find finish fire flatten flush format free generate get group handle hash hide
  import increment indent initialize init insert install instantiate interpret invoke iterate join keep kill launch
  list listen load lock log look lookup make map mark match measure merge migrate modify monitor mount move normalize
  notify open optimize order output override pack pad parse pass patch pause perform pick place poll pop populate
  post prepare prepend print process produce provide publish pull push put query queue quote raise read receive record
  redirect reduce refresh register reject release reload remove rename render repeat replace report request require
  reset resize resolve restore resume retrieve retry return reverse rotate round run save scale scan schedule search
  select send serialize set setup show shutdown sign skip sleep sort spawn split start step stop store strip submit
  subscribe swap switch sync take terminate test throw toggle tokenize trace track transform translate traverse
  trigger trim truncate try unescape unlock unmarshal unpack unregister unsubscribe unwrap update upload use validate
  verify visit wait walk warn watch wrap write yield`.split(/\s+/),
);
const IRREGULAR_PARTICIPLES: Record<string, string> = {
  bind: 'bound', build: 'built', find: 'found', get: 'obtained', hide: 'hidden', keep: 'kept', make: 'made',
  put: 'put', read: 'read', run: 'run', send: 'sent', set: 'set', shutdown: 'shut down', split: 'split',
  take: 'taken', throw: 'thrown', write: 'written', setup: 'set up', lookup: 'looked up', show: 'shown',
};
const DOUBLED = new Set(['drop', 'map', 'pad', 'skip', 'step', 'stop', 'strip', 'swap', 'trim', 'wrap', 'log', 'submit', 'emit', 'plan', 'scan']);
const DETERMINERS = new Set(['the', 'a', 'an', 'all', 'each', 'every', 'this', 'its', 'any', 'some', 'given', 'one', 'new']);
const NOT_VERBS = new Set(['this', 'is', 'has', 'was', 'does', 'its', 'as', 'us', 'always', 'various', 'thus', 'plus', 'less', 'class', 'status', 'process']);
const STOPWORDS = new Set(
  `a an the of to in for and or is are be been being by with from on at as this that these those it its if when
  which whether into using use used given new returns return will can may should must not no any all each every
  some such than then there their they them we you your our i me my do does did has have had was were so also
  only just more most other another one two true false null none nil undefined object function method
  class instance type specified provided current whose where what how who why via per like else otherwise etc`.split(/\s+/),
);

function hashString(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
  return h;
}

/** Base form of a doc sentence's first word when it is a verb ("Parses" → "parse"), else undefined. */
export function verbBase(word: string, next: string | undefined): string | undefined {
  const w = word.toLowerCase();
  if (!/^[a-z]+$/.test(w) || NOT_VERBS.has(w)) return undefined;
  if (VERBS.has(w)) return w;
  if (!w.endsWith('s') || w.endsWith('ss')) return undefined;
  let base = w.slice(0, -1);
  if (w.endsWith('ies')) base = w.slice(0, -3) + 'y';
  else if (/(sses|shes|ches|xes|zes|oes)$/.test(w) && !VERBS.has(base)) base = w.slice(0, -2);
  if (VERBS.has(base)) return base;
  return next !== undefined && DETERMINERS.has(next.toLowerCase()) ? base : undefined;
}

/** Past participle of a base-form verb ("parse" → "parsed", "build" → "built"). */
export function participle(base: string): string {
  if (IRREGULAR_PARTICIPLES[base]) return IRREGULAR_PARTICIPLES[base];
  if (base.endsWith('e')) return base + 'd';
  if (/[^aeiou]y$/.test(base)) return base.slice(0, -1) + 'ied';
  if (DOUBLED.has(base)) return base + base.at(-1) + 'ed';
  return base + 'ed';
}

/** Third person singular of a base-form verb ("parse" → "parses", "copy" → "copies"). */
export function thirdPerson(base: string): string {
  if (/[^aeiou]y$/.test(base)) return base.slice(0, -1) + 'ies';
  if (/(s|sh|ch|x|z|o)$/.test(base)) return base + 'es';
  return base + 's';
}

function lowerFirst(text: string): string {
  return /^[A-Z][a-z]/.test(text) ? text[0].toLowerCase() + text.slice(1) : text;
}

/** A question a user might ask for the doc sentence, or null when its shape gives none. */
export function questionForm(sentence: string, seed: string): string | null {
  const words = sentence.replace(/[.:;!]+$/, '').trim().split(/\s+/);
  if (words.length < 2) return null;
  const pick = (forms: string[]): string => forms[hashString(seed) % forms.length];
  const rest = words.slice(1).join(' ');
  const first = words[0].toLowerCase();
  if (first === 'returns' || first === 'return' || first === 'gets' || first === 'get') {
    const check = /^(true|false|whether|a boolean|boolean)\b(?:\s+(?:if|when|whether)\b)?\s*(.*)$/i.exec(rest);
    if (check) return check[2] ? `how do I check if ${check[2]}?` : null;
    return pick([`how do I get ${rest}?`, `what returns ${rest}?`, `where do we get ${rest}?`]);
  }
  const base = verbBase(words[0], words[1]);
  if (base) {
    const forms = [`how does it ${base} ${rest}?`, `how do I ${base} ${rest}?`, `which function ${thirdPerson(base)} ${rest}?`];
    if (DETERMINERS.has(words[1].toLowerCase()) && words.length <= 7) forms.push(`where is ${rest} ${participle(base)}?`);
    else forms.push(`where do we ${base} ${rest}?`);
    return pick(forms);
  }
  if (/^(the|a|an)$/i.test(first) || /^[A-Z]?[a-z]+$/.test(words[0])) {
    return pick([`where is ${lowerFirst(sentence.replace(/[.:;!]+$/, ''))}?`, `what is ${lowerFirst(sentence.replace(/[.:;!]+$/, ''))}?`]);
  }
  return null;
}

/** Words of an identifier path ("HttpClient.sendRequest" → ["http", "client", "send", "request"]). */
export function identifierWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w && !/^\d+$/.test(w))
    .map((w) => w.toLowerCase());
}

/** The name as words, when it has at least two (a one-word name says too little to be a query). */
export function nameQuery(name: string): string | null {
  const words = identifierWords(name);
  return words.length >= 2 ? words.join(' ') : null;
}

/** Up to four content words of the doc sentence, the leading verb in its base form. */
export function keywordQuery(sentence: string): string | null {
  const words = sentence.split(/\s+/);
  const base = verbBase(words[0] ?? '', words[1]);
  const out: string[] = base && base !== 'return' && base !== 'get' ? [base] : [];
  for (const raw of base ? words.slice(1) : words) {
    for (const w of identifierWords(raw.replace(/[`'"()[\]{}<>,.;:!?]/g, ' '))) {
      if (w.length > 1 && !STOPWORDS.has(w) && !out.includes(w)) out.push(w);
    }
    if (out.length >= 4) break;
  }
  return out.length >= 2 ? out.slice(0, 4).join(' ') : null;
}

/** The doc sentence without a leading name of the region (Go's convention: "Exit runs the handlers."). */
export function withoutLeadingName(sentence: string, name: string): string {
  const last = name.split(/::|\.|#|->/).filter(Boolean).pop();
  const [first, ...rest] = sentence.split(/\s+/);
  if (!last || first !== last || rest.length < 2) return sentence;
  if (/^(is|are)$/i.test(rest[0])) return rest.slice(1).join(' ');
  return rest[0][0].toUpperCase() + rest.join(' ').slice(1);
}

export function queryForms(doc: string, name: string, seed: string): QueryForms {
  const sentence = withoutLeadingName(doc, name);
  return { doc, question: questionForm(sentence, seed), name: nameQuery(name), keywords: keywordQuery(sentence) };
}
