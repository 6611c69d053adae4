// The Ask question set (bench/questions/): every repository's file loads, and the loader holds the
// questions to the rules they are written to.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkQuestions, loadQuestionSet } from '../../bench/questions';

test('every repository of the question set loads, with both splits and the rules kept', () => {
  const sets = loadQuestionSet();
  const count = (split: string) => sets.filter((s) => s.meta.split === split).reduce((n, s) => n + s.questions.length, 0);
  assert.ok(count('dev') > 0 && count('test') > 0);
  for (const { meta, questions } of sets) {
    assert.ok(questions.length > 0, meta.name);
    for (const q of questions) assert.ok(q.q && q.file && q.symbol, `${meta.name}: ${JSON.stringify(q)}`);
  }
});

test('a third question on one file, or a question naming its symbol, is refused', () => {
  const q = (text: string, file: string, symbol: string) => ({ q: text, file, symbol });
  assert.doesNotThrow(() => checkQuestions('r', [q('where are keys quoted?', 'a.js', 'quoteKey'), q('how is it read?', 'a.js', 'parse')]));
  assert.throws(
    () => checkQuestions('r', [q('one', 'a.js', 'x1'), q('two', 'a.js', 'x2'), q('three', 'a.js', 'x3')]),
    /3 questions answered by a\.js/,
  );
  assert.throws(() => checkQuestions('r', [q('what does quoteKey do?', 'a.js', 'quoteKey')]), /names its answer quoteKey/);
  assert.throws(() => checkQuestions('r', [q('how is $ref followed?', 'a.js', '$ref')]), /names its answer/);
  // a word that merely contains the name is not the name
  assert.doesNotThrow(() => checkQuestions('r', [q('how is a relative link resolved?', 'a.js', 'resolve')]));
});
