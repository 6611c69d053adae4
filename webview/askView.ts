// Renders the Ask section: the answer line and the hits grouped by file (files in the order of their
// best hit; under each, its best region first and its other regions after), one card per hit (file
// and lines as a link, symbol, snippet, which memory answered, the region's recall as a badge). The data-testid / data-*
// attributes are a contract with the end-to-end tests (test/e2e/ask*.test.mjs).
import {
  READ_EXACTLY,
  recallPercent,
  rememberedText,
  type AskHitView,
  type AskState,
  type AskView,
  type HitSource,
} from '../extension/protocol';
import { el } from './dom';
import { pathSpans } from './pathSpans';
import { groupByFile } from '../extension/engine/query/hitGroups';
import { recallChanges } from './recallChanges';

export interface LocationActions {
  open(uri: string, startLine: number, endLine: number): void;
}

/** Which memory answered, in plain words (the card's label); the title says it in a sentence. */
export const SOURCE_LABEL: Record<HitSource, string> = {
  exact: `active file · ${READ_EXACTLY}`,
  memory: 'from memory',
  reread: 'read again',
  keyword: 'matched by name',
};

const SOURCE_TITLE: Record<HitSource, string> = {
  exact: 'This is the file you are in: Longview reads it exactly, so this answer does not depend on memory.',
  memory: 'Longview answered from what its memory holds of this code.',
  // Not "forgotten": a re-read region's recall can be high (the recent text the model attends to may hold
  // code like it) while the part of the memory that ranks code keeps under half of it (ask.ts, memoryKept).
  reread:
    'Longview read this code again to rank it for this question: the part of its memory that ranks code keeps too little of it. Its recall, beside, is how much of this code the whole memory still holds.',
  keyword: 'Found by its words (its name, signature, text or path); Longview did not read it again for this question.',
};

export interface AskActions extends LocationActions {
  /** Copies the card of this rank (1-based) as Markdown. */
  copy(rank: number): void;
}

export function renderAsk(container: HTMLElement, state: AskState, actions: AskActions): void {
  container.replaceChildren(...askNodes(state, actions));
  container.setAttribute('aria-busy', String(state.status === 'asking'));
}

function askNodes(state: AskState, actions: AskActions): Node[] {
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

export function answerNodes(view: AskView, actions: AskActions, testPrefix = ''): Node[] {
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
      { class: 'file-groups', 'aria-label': `Answers to: ${view.question}` },
      ...groupByFile(view.hits).map((group, g) =>
        el(
          'li',
          { class: 'file-group', 'data-testid': `${testPrefix}file-group`, 'data-file-rank': g + 1, 'data-path': group.path },
          el(
            'ol',
            { class: 'cards', 'aria-label': group.path },
            ...group.hits.map(({ hit, rank }) => card(hit, rank, actions, testPrefix)),
          ),
        ),
      ),
    ),
  );
  const rereads = view.rereads ? `; Longview re-read ${view.rereads} of them to answer` : '';
  const missed = view.notReread ? `; ${view.notReread} ranked without a re-read` : '';
  nodes.push(el('p', { class: 'meta-line' }, `${view.hits.length} places in ${view.ms} ms${rereads}${missed}.`));
  return nodes;
}

function card(hit: AskHitView, rank: number, actions: AskActions, testPrefix: string): HTMLElement {
  const lines = hit.startLine === hit.endLine ? `${hit.startLine}` : `${hit.startLine}–${hit.endLine}`;
  // The folders, then the start of a long file name, may shrink to an ellipsis; the name's end and its lines never break (pathParts.ts).
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
    ...pathSpans(hit.path, `:${lines}`),
  );
  link.addEventListener('click', (event) => {
    event.preventDefault();
    if (hit.uri) actions.open(hit.uri, hit.startLine, hit.endLine);
  });
  const badge = recallBadge(hit, testPrefix);
  const copy = el(
    'button',
    {
      type: 'button',
      class: 'icon-button card-copy',
      'data-testid': `${testPrefix}copy-card`,
      title: 'Copy this answer as Markdown',
      'aria-label': `Copy ${hit.path}:${lines} as Markdown`,
    },
    el('span', { class: 'codicon codicon-copy', 'aria-hidden': 'true' }),
  );
  copy.addEventListener('click', () => actions.copy(rank + 1));
  return el(
    'li',
    {
      class: `card source-${hit.source}`,
      'data-testid': `${testPrefix}answer-card`,
      'data-rank': rank + 1,
      'data-source': hit.source,
      'data-path': hit.path,
    },
    el('div', { class: 'card-head' }, link, copy),
    el(
      'div',
      { class: 'card-labels' },
      el(
        'span',
        { class: `source-label source-${hit.source}`, 'data-testid': `${testPrefix}source`, title: SOURCE_TITLE[hit.source] },
        SOURCE_LABEL[hit.source],
      ),
      hit.unsaved
        ? el(
            'span',
            {
              class: 'badge unsaved-badge',
              'data-testid': `${testPrefix}unsaved`,
              title: "Read from the editor's unsaved text, not the file on disk: the memory holds the saved version",
            },
            'unsaved',
          )
        : null,
      badge,
    ),
    el(
      'div',
      { class: 'card-symbol' },
      el('span', { class: 'region-name' }, hit.symbol),
      ' ',
      el('span', { class: 'region-meta' }, hit.kind),
    ),
    hit.snippet ? snippet(hit.snippet) : null,
  );
}

/** The card's recall badge: a measuring state until the probe's figure arrives, then the figure; none for text no region covers. */
function recallBadge(hit: AskHitView, testPrefix: string): HTMLElement | null {
  if (hit.recall === 'none') return null;
  return hit.recall === null
    ? el(
        'span',
        {
          class: 'badge recall-badge measuring',
          'data-testid': `${testPrefix}recall-badge`,
          'data-recall': '',
          title: 'Measuring how much of this code Longview remembers',
        },
        el('span', { class: 'codicon codicon-loading codicon-modifier-spin', 'aria-hidden': 'true' }),
        ' measuring',
      )
    : el(
        'span',
        {
          class: 'badge recall-badge',
          'data-testid': `${testPrefix}recall-badge`,
          'data-recall': recallPercent(hit.recall),
          title: `Recall ${recallPercent(hit.recall)}: how much of this code Longview's memory still holds (the number the heatmap and the Recall chart show)`,
        },
        rememberedText(hit.recall),
      );
}

/**
 * The same answer with more of its recall measured: only the changed badges are replaced, in place,
 * so the cards keep their keyboard focus, opened snippets and scroll position. Returns false when the
 * answer itself differs (the caller draws it anew).
 */
export function patchRecall(container: HTMLElement, before: AskView, after: AskView, testPrefix = ''): boolean {
  const changed = recallChanges(before, after);
  if (!changed) return false;
  for (const rank of changed) {
    const badge = container.querySelector(
      `[data-testid="${testPrefix}answer-card"][data-rank="${rank + 1}"] [data-testid="${testPrefix}recall-badge"]`,
    );
    if (!badge) return false;
    const next = recallBadge(after.hits[rank]!, testPrefix);
    if (next) badge.replaceWith(next);
    else badge.remove();
  }
  return true;
}

/** Lines a snippet shows before its "more" toggle. */
const SNIPPET_LINES = 3;

/** The snippet, folded to SNIPPET_LINES lines with a toggle when it has more. */
function snippet(text: string): HTMLElement {
  const count = text.split('\n').length;
  const pre = el('pre', { class: 'snippet', 'data-testid': 'snippet' }, text);
  if (count <= SNIPPET_LINES) return pre;
  pre.classList.add('folded');
  // The CSS shows this many lines while folded (sidebar.css, pre.snippet.folded).
  pre.style.setProperty('--snippet-lines', String(SNIPPET_LINES));
  const label = (open: boolean) => (open ? 'Show less' : `Show all ${count} lines`);
  const toggle = el(
    'button',
    { type: 'button', class: 'link-button', 'aria-expanded': 'false', 'data-testid': 'snippet-toggle' },
    el('span', { class: 'codicon codicon-chevron-down', 'aria-hidden': 'true' }),
    label(false),
  );
  toggle.addEventListener('click', () => {
    const open = pre.classList.toggle('folded') === false;
    toggle.setAttribute('aria-expanded', String(open));
    toggle.replaceChildren(el('span', { class: `codicon codicon-chevron-${open ? 'up' : 'down'}`, 'aria-hidden': 'true' }), label(open));
  });
  return el('div', { class: 'snippet-box' }, pre, toggle);
}
