// Query forms of a training pair (training/corpus/query-forms.mts): questions, name words and keywords
// derived by rules from the doc sentence and the region's name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  identifierWords,
  keywordQuery,
  nameQuery,
  participle,
  questionForm,
  queryForms,
  thirdPerson,
  verbBase,
  withoutLeadingName,
} from '../../training/corpus/query-forms.mts';

test('a doc sentence led by a verb gives questions in that verb', () => {
  const seen = new Set<string>();
  for (let i = 0; i < 200; i++) seen.add(questionForm('Parses the header.', `seed${i}`)!);
  assert.deepEqual([...seen].sort(), [
    'how do I parse the header?',
    'how does it parse the header?',
    'where is the header parsed?',
    'which function parses the header?',
  ]);
  assert.equal(questionForm('Parse the header.', 'x'), questionForm('Parses the header.', 'x'));
});

test('returns and boolean docs become get and check questions', () => {
  assert.equal(questionForm('Returns true if the user is an admin.', 'a'), 'how do I check if the user is an admin?');
  assert.match(questionForm('Returns the number of rows.', 'a')!, /^(how do I get|what returns|where do we get) the number of rows\?$/);
});

test('a noun-phrase doc asks where or what it is; other shapes give none', () => {
  assert.match(questionForm('The default configuration.', 'a')!, /^(where|what) is the default configuration\?$/);
  assert.equal(questionForm('@internal', 'a'), null);
});

test('verb forms: base, participle and third person', () => {
  assert.equal(verbBase('Copies', 'all'), 'copy');
  assert.equal(verbBase('Matches', 'the'), 'match');
  assert.equal(verbBase('Creates', 'a'), 'create');
  assert.equal(verbBase('Widgets', 'for'), undefined);
  assert.equal(verbBase('This', 'is'), undefined);
  assert.equal(participle('parse'), 'parsed');
  assert.equal(participle('copy'), 'copied');
  assert.equal(participle('build'), 'built');
  assert.equal(participle('map'), 'mapped');
  assert.equal(thirdPerson('copy'), 'copies');
  assert.equal(thirdPerson('match'), 'matches');
});

test('names split into words, one-word names give no name query', () => {
  assert.deepEqual(identifierWords('HTTPClient.send_request2'), ['http', 'client', 'send', 'request2']);
  assert.equal(nameQuery('parseHTTPHeader'), 'parse http header');
  assert.equal(nameQuery('stop'), null);
});

test('keyword queries keep up to four content words, the verb in its base form', () => {
  assert.equal(keywordQuery('Parses the HTTP header of a request and its body.'), 'parse http header request');
  assert.equal(keywordQuery('Returns the value.'), null);
  assert.deepEqual(Object.keys(queryForms('Parses the header.', 'parseHeader', 's')), ['doc', 'question', 'name', 'keywords']);
});

test("a doc sentence that opens with the region's name (Go) is read from its verb", () => {
  assert.equal(withoutLeadingName('Exit runs all the handlers.', 'Exit'), 'Runs all the handlers.');
  assert.equal(withoutLeadingName('Logger is the main logging type.', 'pkg.Logger'), 'the main logging type.');
  assert.equal(withoutLeadingName('Parses the header.', 'parseHeader'), 'Parses the header.');
  assert.equal(queryForms('RegisterHandler appends a handler.', 'RegisterHandler', 's').keywords, 'append handler');
});
