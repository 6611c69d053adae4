// Each request's error is shown in the section whose control sent it (webview/requestSection.ts):
// Ask's in Ask, Recall's in Recall, the Summary section's in Summary.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { requestSection } from '../../webview/requestSection';

const question = 'where is the index saved?';
const location = { uri: 'file:///w/a.ts', startLine: 1, endLine: 2 };

test('a question goes to Ask; the same question through memory alone to Recall (its comparison)', () => {
  assert.equal(requestSection({ method: 'ask', params: { question, mode: 'hybrid' } }), 'ask');
  assert.equal(requestSection({ method: 'ask', params: { question, mode: 'memory' } }), 'recall');
});

test("Recall's refresh and its heatmap button go to Recall", () => {
  assert.equal(requestSection({ method: 'refreshRecall', params: {} }), 'recall');
  assert.equal(requestSection({ method: 'runCommand', params: { command: 'longview.toggleRecallHeatmap' } }), 'recall');
});

test("the Summary section's requests go to Summary, and so does what belongs to no section", () => {
  assert.equal(requestSection({ method: 'summarizeActiveFile', params: {} }), 'summary');
  assert.equal(requestSection({ method: 'revealRange', params: location }), 'summary');
  assert.equal(requestSection({ method: 'summarizeWorkspace', params: {} }), 'summary');
  assert.equal(requestSection({ method: 'copyMarkdown', params: { target: 'file' } }), 'summary');
  assert.equal(requestSection({ method: 'copyMarkdown', params: { target: 'workspace' } }), 'summary');
  assert.equal(requestSection({ method: 'ready', params: {} }), 'summary');
  assert.equal(requestSection({ method: 'indexUntrustedWorkspace', params: {} }), 'summary');
  assert.equal(requestSection({ method: 'runCommand', params: { command: 'longview.openLog' } }), 'summary');
});

test('a location link goes to the section it is in', () => {
  assert.equal(requestSection({ method: 'openLocation', params: location }, 'ask'), 'ask');
  assert.equal(requestSection({ method: 'openLocation', params: location }, 'recall'), 'recall');
  assert.equal(requestSection({ method: 'openLocation', params: location }, 'summary'), 'summary');
  assert.equal(requestSection({ method: 'openLocation', params: location }), 'summary');
});

test("a section named by the sender matters only for links: a question's error stays in Ask", () => {
  assert.equal(requestSection({ method: 'ask', params: { question, mode: 'hybrid' } }, 'recall'), 'ask');
});
