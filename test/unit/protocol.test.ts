import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isHostMessage, validateWebviewMessage } from '../../extension/protocol';

test('well-formed requests pass and come back typed', () => {
  const ready = validateWebviewMessage({ kind: 'request', id: 0, method: 'ready', params: {} });
  assert.deepEqual(ready, { ok: true, request: { kind: 'request', id: 0, method: 'ready', params: {} } });

  const noParams = validateWebviewMessage({ kind: 'request', id: 4, method: 'summarizeActiveFile' });
  assert.equal(noParams.ok, true);

  const reveal = validateWebviewMessage({
    kind: 'request',
    id: 9,
    method: 'revealRange',
    params: { uri: 'file:///w/a.ts', startLine: 3, endLine: 10 },
  });
  assert.ok(reveal.ok);
  assert.equal(reveal.request.method, 'revealRange');
});

test('malformed messages get a reason and keep the id when there is one', () => {
  const cases: [unknown, number | null, RegExp][] = [
    [null, null, /must be an object/],
    ['ready', null, /must be an object/],
    [[1, 2], null, /must be an object/],
    [{ kind: 'request', method: 'ready' }, null, /id must be a non-negative integer/],
    [{ kind: 'request', id: -1, method: 'ready' }, null, /id must be/],
    [{ kind: 'request', id: 1.5, method: 'ready' }, null, /id must be/],
    [{ kind: 'response', id: 2, method: 'ready' }, 2, /kind must be "request", got "response"/],
    [{ kind: 'request', id: 3, method: 'deleteEverything' }, 3, /unknown method "deleteEverything"/],
    [{ kind: 'request', id: 3, method: 'toString' }, 3, /unknown method "toString"/],
    [{ kind: 'request', id: 3, method: 42 }, 3, /unknown method number/],
    [{ kind: 'request', id: 5, method: 'ready', params: [] }, 5, /params must be an object/],
    [{ kind: 'request', id: 5, method: 'ready', params: { x: 1 } }, 5, /takes no params, got: x/],
    [{ kind: 'request', id: 6, method: 'revealRange', params: { startLine: 1, endLine: 1 } }, 6, /uri must be a non-empty string/],
    [
      { kind: 'request', id: 6, method: 'revealRange', params: { uri: 'u', startLine: 0, endLine: 1 } },
      6,
      /startLine must be an integer ≥ 1/,
    ],
    [{ kind: 'request', id: 6, method: 'revealRange', params: { uri: 'u', startLine: '2', endLine: 3 } }, 6, /startLine/],
    [{ kind: 'request', id: 6, method: 'revealRange', params: { uri: 'u', startLine: 5, endLine: 2 } }, 6, /endLine must not be before/],
    [{ kind: 'request', id: 6, method: 'revealRange', params: { uri: 'u', startLine: 1, endLine: 2, x: 0 } }, 6, /unexpected params: x/],
  ];
  for (const [raw, id, reason] of cases) {
    const result = validateWebviewMessage(raw);
    assert.equal(result.ok, false, `should refuse ${JSON.stringify(raw)}`);
    if (result.ok) continue;
    assert.equal(result.id, id, `id for ${JSON.stringify(raw)}`);
    assert.match(result.error, reason, `reason for ${JSON.stringify(raw)}`);
  }
});

test('validation never throws, whatever arrives', () => {
  const hostile = Object.create(null);
  hostile.kind = 'request';
  hostile.id = 1;
  hostile.method = 'ready';
  const weird: unknown[] = [undefined, 0, NaN, Symbol('s'), () => 1, hostile, { kind: 'request', id: 1, method: 'ready', params: null }];
  for (const raw of weird) assert.doesNotThrow(() => validateWebviewMessage(raw));
  assert.equal(validateWebviewMessage(hostile).ok, true);
});

test('the webview accepts only protocol messages from the extension', () => {
  assert.ok(isHostMessage({ kind: 'response', id: 1, ok: true, result: {} }));
  assert.ok(isHostMessage({ kind: 'response', id: null, ok: false, error: 'bad' }));
  assert.ok(isHostMessage({ kind: 'event', event: 'summary', data: { status: 'empty' } }));
  assert.ok(!isHostMessage({ kind: 'event', event: 'other', data: {} }));
  // The Recall section's count while the engine measures recall probes.
  assert.ok(isHostMessage({ kind: 'event', event: 'recallProgress', data: { done: 3, total: 9000 } }));
  assert.ok(isHostMessage({ kind: 'event', event: 'recall', data: { status: 'measuring', progress: null, previous: null } }));
  assert.ok(!isHostMessage({ kind: 'response', id: 'x', ok: true }));
  assert.ok(!isHostMessage('hello'));
});

test('the sidebar requests of issue 5 are validated too', () => {
  const ok = (message: unknown) => assert.equal(validateWebviewMessage(message).ok, true, JSON.stringify(message));
  const bad = (message: unknown, reason: RegExp) => {
    const result = validateWebviewMessage(message);
    assert.equal(result.ok, false);
    if (!result.ok) assert.match(result.error, reason);
  };
  ok({ kind: 'request', id: 1, method: 'ask', params: { question: 'where are prices?', mode: 'hybrid' } });
  ok({ kind: 'request', id: 1, method: 'ask', params: { question: 'x', mode: 'memory' } });
  bad({ kind: 'request', id: 1, method: 'ask', params: { question: '   ', mode: 'hybrid' } }, /question must be a non-empty string/);
  bad({ kind: 'request', id: 1, method: 'ask', params: { question: 'x'.repeat(2001), mode: 'hybrid' } }, /at most 2000/);
  bad({ kind: 'request', id: 1, method: 'ask', params: { question: 'x', mode: 'attention' } }, /mode must be/);
  ok({ kind: 'request', id: 2, method: 'openLocation', params: { uri: 'file:///w/a.ts', startLine: 2, endLine: 4 } });
  bad(
    { kind: 'request', id: 2, method: 'openLocation', params: { uri: 'file:///w/a.ts', startLine: 5, endLine: 4 } },
    /endLine must not be before/,
  );
  ok({ kind: 'request', id: 3, method: 'copyMarkdown', params: { target: 'workspace' } });
  bad({ kind: 'request', id: 3, method: 'copyMarkdown', params: { target: 'clipboard' } }, /target must be/);
  // One answer card, by its 1-based rank.
  ok({ kind: 'request', id: 3, method: 'copyMarkdown', params: { target: 'hit', rank: 2 } });
  bad({ kind: 'request', id: 3, method: 'copyMarkdown', params: { target: 'hit' } }, /rank must be/);
  bad({ kind: 'request', id: 3, method: 'copyMarkdown', params: { target: 'hit', rank: 0 } }, /rank must be/);
  bad({ kind: 'request', id: 3, method: 'copyMarkdown', params: { target: 'file', rank: 1 } }, /rank/);
  ok({ kind: 'request', id: 4, method: 'runCommand', params: { command: 'longview.toggleRecallHeatmap' } });
  bad({ kind: 'request', id: 4, method: 'runCommand', params: { command: 'workbench.action.terminal.new' } }, /command must be one of/);
  ok({ kind: 'request', id: 5, method: 'summarizeWorkspace', params: {} });
  ok({ kind: 'request', id: 6, method: 'refreshRecall' });
  assert.ok(isHostMessage({ kind: 'event', event: 'index', data: { phase: 'ready' } }));
  assert.ok(isHostMessage({ kind: 'event', event: 'workspaceSummary', data: null }));
  assert.ok(!isHostMessage({ kind: 'event', event: 'index' }));
});

test('Restricted Mode: the go-ahead to index is a request of its own, without params', () => {
  const result = validateWebviewMessage({ kind: 'request', id: 7, method: 'indexUntrustedWorkspace', params: {} });
  assert.deepEqual(result, { ok: true, request: { kind: 'request', id: 7, method: 'indexUntrustedWorkspace', params: {} } });
  assert.equal(validateWebviewMessage({ kind: 'request', id: 7, method: 'indexUntrustedWorkspace' }).ok, true);
  const extra = validateWebviewMessage({ kind: 'request', id: 8, method: 'indexUntrustedWorkspace', params: { persist: true } });
  assert.deepEqual(extra, { ok: false, id: 8, error: 'indexUntrustedWorkspace: this method takes no params, got: persist' });
  // It is not a workbench command the sidebar could run by name.
  const asCommand = validateWebviewMessage({
    kind: 'request',
    id: 9,
    method: 'runCommand',
    params: { command: 'longview.indexUntrustedWorkspace' },
  });
  assert.equal(asCommand.ok, false);
  assert.ok(
    isHostMessage({ kind: 'event', event: 'index', data: { phase: 'restricted', files: 0, regions: 0, tokens: 0, complete: false } }),
  );
});
