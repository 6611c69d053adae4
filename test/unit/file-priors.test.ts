// What a file is for (query/filePriors.ts): its role from its path, and a declaration file's role among
// the workspace's files (demoted only when the code it declares is beside it).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileRole, roleIn, rolesAskedFor } from '../../extension/engine/query/filePriors';

test('roles from paths: tests, examples, documentation, declarations, code', () => {
  assert.equal(fileRole('pkg/foo_test.go'), 'test');
  assert.equal(fileRole('tests/test_parse.py'), 'test');
  assert.equal(fileRole('src/parse.spec.ts'), 'test');
  assert.equal(fileRole('examples/basic.js'), 'example');
  assert.equal(fileRole('docs/guide.md'), 'doc');
  assert.equal(fileRole('README.md'), 'doc');
  assert.equal(fileRole('lib/index.d.ts'), 'types');
  assert.equal(fileRole('lib/index.d.mts'), 'types');
  assert.equal(fileRole('lib/index.js'), 'code');
});

test('a declaration file is types beside its implementation, code where the workspace holds none', () => {
  const files = new Set(['lib/parse.js', 'lib/parse.d.ts', 'lib/util.d.ts', 'esm/main.mjs', 'esm/main.d.mts', 'node/fs.d.ts']);
  assert.equal(roleIn('lib/parse.d.ts', files), 'types'); // lib/parse.js is beside it
  assert.equal(roleIn('esm/main.d.mts', files), 'types'); // esm/main.mjs
  assert.equal(roleIn('lib/util.d.ts', files), 'code'); // no lib/util.*: the only description of that code here
  assert.equal(roleIn('node/fs.d.ts', files), 'code'); // an @types package: the code is not in the workspace
  assert.equal(roleIn('lib/parse.js', files), 'code');
  assert.equal(roleIn('tests/parse.test.js', files), 'test'); // other roles as fileRole gives them
});

test('the roles a question asks about by name', () => {
  assert.deepEqual([...rolesAskedFor('where is the parser tested?')], ['test']);
  assert.deepEqual([...rolesAskedFor('what does the README say about options')], ['doc']);
  assert.deepEqual([...rolesAskedFor('how is the header parsed?')], []);
});
