// The workspace overview ranks files by how much other code uses what they define (query/referenceGraph.ts),
// not by import counts: on a workspace shaped like encode/httpx (issue 21), the package's key files are
// the client, the models and the API, not `__init__.py` (re-exports only), `_types.py` (type aliases)
// or `_exceptions.py`; tests, docs and CI come after the source; each module says what it is for.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FileRecord, RegionRecord } from '../../extension/engine/index/types';
import { referenceGraph } from '../../extension/engine/query/referenceGraph';
import { summarizeWorkspace } from '../../extension/engine/query/summarizeWorkspace';

/** A definition and how many lines it spans (roughly as in httpx 0.27). */
type Def = [name: string, kind: RegionRecord['kind'], lines: number, doc?: string];

function file(path: string, language: string, defs: Def[], imports: string[] = []): FileRecord {
  let line = 0;
  const regions = defs.map(([name, kind, lines, doc]) => {
    const r = { name, kind, startLine: line, endLine: line + lines - 1, doc: doc ?? '', signature: name };
    line += lines;
    return r;
  });
  return { path, relPath: path, language, regions, imports, exports: [] } as unknown as FileRecord;
}

/** Each file's text: what it uses, by name, as often as httpx's files use them (roughly). */
const uses = (...pairs: [string, number][]) => pairs.map(([name, n]) => `${name} `.repeat(n)).join('\n');

const FILES: [FileRecord, string][] = [
  [
    file('httpx/__init__.py', 'python', [], ['._api', '._client', '._models', '._exceptions', '._types']),
    '"""HTTPX: a next generation HTTP client for Python."""\n' +
      uses(
        ['Client', 1],
        ['AsyncClient', 1],
        ['Request', 1],
        ['Response', 1],
        ['HTTPError', 1],
        ['URLTypes', 1],
        ['request', 1],
        ['get', 1],
      ),
  ],
  [
    file('httpx/_types.py', 'python', [
      ['URLTypes', 'variable', 1],
      ['HeaderTypes', 'variable', 7],
      ['RequestContent', 'variable', 1],
      ['TimeoutTypes', 'variable', 6],
    ]),
    '"""Type definitions for type checking purposes."""\n',
  ],
  [
    file('httpx/_exceptions.py', 'python', [
      ['HTTPError', 'class', 25, 'Base class for RequestError and HTTPStatusError.'],
      ['TooManyRedirects', 'class', 4],
      ['InvalidURL', 'class', 6],
      ['ResponseNotRead', 'class', 8],
      ['StreamConsumed', 'class', 12],
    ]),
    '"""Our exception hierarchy."""\n' + uses(['HTTPError', 2]),
  ],
  [
    file('httpx/_models.py', 'python', [
      ['Request', 'class', 130, 'An HTTP request.'],
      ['Response', 'class', 480, 'An HTTP response.'],
      ['Headers', 'class', 220, 'HTTP headers, as a case-insensitive multi-dict.'],
    ]),
    uses(['HeaderTypes', 6], ['RequestContent', 4], ['HTTPError', 2], ['ResponseNotRead', 3], ['StreamConsumed', 3], ['InvalidURL', 1]),
  ],
  [
    file('httpx/_client.py', 'python', [
      ['T', 'variable', 1, 'The type annotation for @classmethod and context managers here follows PEP 484.'],
      ['Client', 'class', 700, 'An HTTP client, with connection pooling, HTTP/2, redirects, cookie persistence, etc.'],
      ['AsyncClient', 'class', 700, 'An asynchronous HTTP client.'],
      ['_redirect_headers', 'function', 30],
    ]),
    uses(
      ['Request', 25],
      ['Response', 30],
      ['Headers', 8],
      ['URLTypes', 20],
      ['HeaderTypes', 12],
      ['TimeoutTypes', 10],
      ['TooManyRedirects', 3],
      ['InvalidURL', 2],
    ),
  ],
  [
    file('httpx/_api.py', 'python', [
      ['request', 'function', 90, 'Sends an HTTP request.'],
      ['get', 'function', 40, 'Sends a GET request.'],
    ]),
    uses(['Client', 10], ['Response', 9], ['URLTypes', 9], ['HeaderTypes', 9], ['TimeoutTypes', 9]),
  ],
  [
    file('tests/test_client.py', 'python', [
      ['test_get', 'function', 12],
      ['test_post', 'function', 15],
    ]),
    'import httpx\n' + uses(['Client', 40], ['Response', 20], ['Request', 5], ['HTTPError', 3], ['request', 2], ['get', 10]),
  ],
  [
    file('docs/index.md', 'markdown', [['HTTPX', 'heading', 40]]),
    '# HTTPX\n\nA next-generation HTTP client for Python.\n\n' + uses(['httpx', 1], ['Client', 5]),
  ],
  [file('docs/CNAME', 'text', []), 'www.python-httpx.org\n'],
  [file('.github/workflows/test.yml', 'text', []), 'name: Test Suite\n'],
  // Names a `Client` and a `get` of its own, never httpx: not a use of httpx's.
  [file('scripts/check', 'text', []), '#!/bin/sh -e\nget Client Client\n'],
];

test('httpx-shaped workspace: the client, models and API lead; tests, docs and CI follow the source', async () => {
  const files = FILES.map(([f]) => f);
  const text = new Map(FILES.map(([f, t]) => [f, t]));
  const graph = await referenceGraph(files, async (f) => text.get(f));
  const rank = (path: string) => graph.rank[files.findIndex((f) => f.path === path)];
  const byRank = files.filter((f) => f.path.startsWith('httpx/')).sort((a, b) => rank(b.path) - rank(a.path));
  const order = byRank.map((f) => `${f.path} ${rank(f.path).toFixed(3)}`).join(', ');
  assert.deepEqual(
    byRank.slice(0, 2).map((f) => f.path),
    ['httpx/_models.py', 'httpx/_client.py'],
    order,
  );
  assert.ok(rank('httpx/_exceptions.py') < rank('httpx/_client.py'), `the exceptions after the client that raises them: ${order}`);
  assert.deepEqual(
    byRank.slice(-2).map((f) => f.path),
    ['httpx/_types.py', 'httpx/__init__.py'],
    `type aliases (used everywhere, but not what the code is about) and re-exports last: ${order}`,
  );
  // How often other files use each definition, for the file Summary's ranking.
  assert.equal(graph.uses[files.findIndex((f) => f.path === 'httpx/_client.py')].get('Client'), 1 + 10 + 40 + 5);

  const overview = summarizeWorkspace(files, graph);
  assert.deepEqual(
    overview.modules.map((m) => [m.module, m.role]),
    [
      ['httpx', 'source'],
      ['tests', 'tests'],
      ['docs', 'docs'],
      ['.github/workflows', 'scripts'],
      ['scripts', 'scripts'],
    ],
  );
  const httpx = overview.modules[0];
  assert.deepEqual(httpx.keyFiles.slice(0, 2), ['httpx/_models.py', 'httpx/_client.py']);
  assert.equal(httpx.about, 'HTTPX: a next generation HTTP client for Python.', "the package's own file says what it is for");
  const docs = overview.modules.find((m) => m.module === 'docs')!;
  assert.equal(docs.keyFiles[0], 'docs/index.md', 'a file that defines something before a lone data file');
  assert.equal(docs.about, 'A next-generation HTTP client for Python.');
});
