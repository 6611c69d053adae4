// The one mapping between absolute paths, root-relative paths and workspace paths
// (extension/engine/paths/workspacePaths.ts), which the engine, the CLI and the extension share.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { rootLabel, WorkspacePaths } from '../../extension/engine/paths/workspacePaths';

const shop = path.resolve('/w/shop');
const tools = path.resolve('/w/tools');

test('one root: workspace paths are root-relative with "/"; the root itself and paths outside have none', () => {
  const paths = new WorkspacePaths([shop]);
  assert.equal(paths.toEngine(path.join(shop, 'src', 'a.ts')), 'src/a.ts');
  assert.deepEqual(paths.locate(path.join(shop, 'src', 'a.ts')), { root: 0, relPath: 'src/a.ts', path: 'src/a.ts' });
  assert.equal(paths.toEngine(shop), undefined, 'the root is no file of the workspace');
  assert.equal(paths.toEngine(shop + path.sep), undefined);
  assert.equal(paths.toEngine(path.resolve('/w/shopping/a.ts')), undefined, 'a sibling sharing the prefix is outside');
  assert.equal(paths.toEngine(path.resolve('/w/other/a.ts')), undefined);
  assert.equal(paths.toEngine(path.join(shop, '..foo')), '..foo', 'a name starting with two dots is inside');
  assert.equal(paths.toEngine(path.join(shop, 'src', '..', 'b.ts')), 'b.ts', 'normalised first');
  assert.equal(paths.rootOf(path.join(shop, 'a.ts')), 0);
  assert.equal(paths.rootOf(shop), -1);
});

test('several roots: the root folder name comes first, and maps back', () => {
  const paths = new WorkspacePaths([shop, tools]);
  assert.equal(rootLabel(tools), 'tools');
  assert.equal(paths.toEngine(path.join(tools, 'x.py')), 'tools/x.py');
  assert.equal(paths.relativeToRoot(path.join(tools, 'node_modules', 'a.js')), 'node_modules/a.js');
  assert.equal(paths.workspacePath(1, 'x.py'), 'tools/x.py');
  assert.equal(paths.toAbsolute('tools/x.py'), path.join(tools, 'x.py'));
  assert.equal(paths.toAbsolute('shop/src/a.ts'), path.join(shop, 'src', 'a.ts'));
  assert.equal(paths.toAbsolute('nowhere/x.py'), undefined);
  assert.equal(paths.toAbsolute('x.py'), undefined, 'no label');
  assert.equal(paths.rootOf(path.join(tools, 'x.py')), 1);
});

test('toAbsolute refuses what is no plain path below a root (containment.ts rule)', () => {
  const one = new WorkspacePaths([shop]);
  assert.equal(one.toAbsolute('src/a.ts'), path.join(shop, 'src', 'a.ts'));
  assert.equal(one.toAbsolute('../etc/passwd'), undefined);
  assert.equal(one.toAbsolute('/etc/passwd'), undefined);
  assert.equal(one.toAbsolute(''), undefined);
  assert.equal(new WorkspacePaths([shop, tools]).toAbsolute('tools/../../etc/passwd'), undefined);
  assert.equal(new WorkspacePaths([]).toAbsolute('a.ts'), undefined);
});

test('locate, toEngine and toAbsolute agree both ways', () => {
  for (const roots of [[shop], [shop, tools]]) {
    const paths = new WorkspacePaths(roots);
    for (const abs of [path.join(shop, 'a.ts'), path.join(shop, 'deep', 'er', 'b.md')]) {
      const name = paths.toEngine(abs)!;
      assert.equal(paths.toAbsolute(name), abs);
      assert.equal(paths.locate(abs)!.path, name);
    }
  }
});

test('fromUser: an absolute path inside as it is, else what the index knows, else below the first root', () => {
  const paths = new WorkspacePaths([shop, tools]);
  const inside = path.join(tools, 'x.py');
  assert.equal(paths.fromUser(inside), inside);
  assert.equal(
    paths.fromUser('x.py', (name) => (name === 'x.py' ? inside : undefined)),
    inside,
  );
  assert.equal(paths.fromUser('src/a.ts'), path.join(shop, 'src', 'a.ts'));
  assert.equal(
    paths.fromUser('src/a.ts', () => undefined),
    path.join(shop, 'src', 'a.ts'),
  );
});

test('roots are resolved once: relative and unnormalised roots name the same files', () => {
  const paths = new WorkspacePaths([shop + path.sep + '.']);
  assert.deepEqual(paths.roots, [shop]);
  assert.equal(paths.toEngine(path.join(shop, 'a.ts')), 'a.ts');
});
