// Renders the Ask section: the answer line and one card per hit (file and lines as a link, symbol,
// snippet, which memory answered, the region's recall as a badge). The data-testid / data-*
// attributes are a contract with the end-to-end tests (test/e2e/ask*.test.mjs).
import type { AskHitView, AskState, AskView, HitSource } from '../extension/protocol';
import { el } from './dom';

export interface LocationActions {
  open(uri: string, startLine: number, endLine: number): void;
}

export const SOURCE_LABEL: Record<HitSource, string> = {
  exact: 'exact: active file',
  memory: 'workspace memory',
  reread: 're-read',
  keyword: 'keyword match',
};

const SOURCE_TITLE: Record<HitSource, string> = {
  exact: 'Read exactly by attention over the file you are in.',
  memory: "Answered from the recurrent workspace summary's memory of this region.",
  reread: 'The summary had mostly forgotten this region, so its text was read again.',
  keyword: 'Found by its name, signature or path (BM25). The summary had mostly forgotten it and there was no time to read it again.',
};

export function renderAsk(container: HTMLElement, state: AskState, actions: LocationActions): void {
  container.replaceChildren(...askNodes(state, actions));
  container.setAttribute('aria-busy', String(state.status === 'asking'));
}

function askNodes(state: AskState, actions: LocationActions): Node[] {
  switch (state.status) {
    case 'empty':
      return [el('p', { class: 'hint' }, 'Ask where something is done, or what a part of the code does.')];
    case 'asking':
      return [el('p', { class: 'hint', 'data-testid': 'asking' }, `Asking: ${state.question}`)];
    case 'error':
      return [el('p', { class: 'error', role: 'alert', 'data-testid': 'ask-error' }, `${state.question}: ${state.message}`)];
    case 'ready':
      return answerNodes(state.result, actions);
  }
}

export function answerNodes(view: AskView, actions: LocationActions, testPrefix = ''): Node[] {
  const nodes: Node[] = [];
  if (view.partial) {
    nodes.push(
      el(
        'p',
        { class: 'note', 'data-testid': `${testPrefix}partial` },
        `Indexing is still running: this answer comes from the ${view.partial.filesIndexed} files indexed so far.`,
      ),
    );
  }
  if (view.answer) {
    nodes.push(el('p', { class: 'answer-text', 'data-testid': `${testPrefix}answer` }, view.answer.text));
  } else {
    nodes.push(el('p', { class: 'hint', 'data-testid': `${testPrefix}no-answer` }, 'Nothing in the index answers this.'));
  }
  nodes.push(
    el(
      'ol',
      { class: 'cards', 'aria-label': `Answers to: ${view.question}` },
      ...view.hits.map((hit, i) => card(hit, i, actions, testPrefix)),
    ),
  );
  const rereads = view.rereads ? `, ${view.rereads} re-read` : '';
  const missed = view.notReread ? `, ${view.notReread} forgotten regions not re-read in time` : '';
  nodes.push(el('p', { class: 'meta-line' }, `${view.hits.length} regions in ${view.ms} ms${rereads}${missed}.`));
  return nodes;
}

function card(hit: AskHitView, rank: number, actions: LocationActions, testPrefix: string): HTMLElement {
  const lines = hit.startLine === hit.endLine ? `${hit.startLine}` : `${hit.startLine}–${hit.endLine}`;
  const link = el(
    'a',
    {
      href: '#',
      class: 'citation',
      'data-testid': `${testPrefix}citation`,
      'data-path': hit.path,
      'data-start-line': hit.startLine,
      'data-end-line': hit.endLine,
      title: `Open ${hit.path} at lines ${lines}`,
    },
    `${hit.path}:${lines}`,
  );
  link.addEventListener('click', (event) => {
    event.preventDefault();
    if (hit.uri) actions.open(hit.uri, hit.startLine, hit.endLine);
  });
  const badge =
    hit.recall === null
      ? el(
          'span',
          {
            class: 'badge recall-badge unmeasured',
            'data-testid': `${testPrefix}recall-badge`,
            title: 'Recall not measured yet for the summary as it stands: the heatmap and the Recall section measure it',
          },
          'recall …',
        )
      : el(
          'span',
          {
            class: 'badge recall-badge',
            'data-testid': `${testPrefix}recall-badge`,
            title: `Recall ${hit.recall.toFixed(2)}: how much of this region the workspace summary still holds`,
          },
          `recall ${Math.round(hit.recall * 100)}%`,
        );
  return el(
    'li',
    {
      class: `card source-${hit.source}`,
      'data-testid': `${testPrefix}answer-card`,
      'data-rank': rank + 1,
      'data-source': hit.source,
      'data-path': hit.path,
    },
    el(
      'div',
      { class: 'card-head' },
      link,
      el(
        'span',
        { class: `source-label source-${hit.source}`, 'data-testid': `${testPrefix}source`, title: SOURCE_TITLE[hit.source] },
        SOURCE_LABEL[hit.source],
      ),
      badge,
    ),
    el(
      'div',
      { class: 'card-symbol' },
      el('span', { class: 'region-name' }, hit.symbol),
      ' ',
      el('span', { class: 'region-meta' }, hit.kind),
    ),
    hit.snippet ? el('pre', { class: 'snippet' }, hit.snippet) : null,
  );
}
