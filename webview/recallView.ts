// Renders the Recall section: the chart (recallChart.ts), the heatmap's legend, a per-file table
// (filter, sort, fold), and the memory-alone vs hybrid comparison once there is a question to compare.
import {
  HEATMAP_LEGEND,
  READ_EXACTLY,
  recallPercent,
  type AskView,
  type RecallProgress,
  type RecallState,
  type RecallView,
} from '../extension/protocol';
import { el } from './dom';
import type { LocationActions } from './askView';
import { recallFileRows, sortRows, type RecallFileRow, type SortKey } from './recallTable';
import { pathSpans } from './pathSpans';
import { measuringText, staleText } from './recallText';
import { chart } from './recallChart';

export interface RecallTableState {
  key: SortKey;
  descending: boolean;
  /** Only files whose path contains this (case-insensitive); '' for all. */
  filter?: string;
  /** The table folded away (its heading stays). */
  folded?: boolean;
}

export type RecallActions = LocationActions & { sort(key: SortKey): void; filter(text: string): void; fold(folded: boolean): void };

export function renderRecall(container: HTMLElement, state: RecallState, sort: RecallTableState, actions: RecallActions): void {
  if (state.status === 'empty') {
    container.replaceChildren(el('p', { class: 'hint', 'data-testid': 'recall-empty' }, state.reason));
    return;
  }
  if (state.status === 'error') {
    container.replaceChildren(el('p', { class: 'error', role: 'alert' }, state.message));
    return;
  }
  if (state.status === 'measuring') {
    // The previous chart stays on screen (dimmed) under the count, until the new numbers arrive.
    const status = el('p', { class: 'hint', role: 'status', 'data-testid': 'recall-progress' }, measuringText(state.progress));
    if (!state.previous) {
      container.replaceChildren(status);
      return;
    }
    container.replaceChildren(
      status,
      previousView(state.previous, 'The previous measurement, shown until the new one is done', sort, actions),
    );
    return;
  }
  if (state.stale) {
    // Measured before the summary changed: kept (dimmed) under a line that says so, until ↻.
    const status = el('p', { class: 'hint', role: 'status', 'data-testid': 'recall-stale' }, staleText(state.stale));
    container.replaceChildren(status, previousView(state.recall, 'Measured before the summary changed', sort, actions));
    return;
  }
  renderView(container, state.recall, sort, actions);
}

/** An earlier measurement, dimmed under the line that says why it is shown. */
function previousView(view: RecallView, title: string, sort: RecallTableState, actions: RecallActions): HTMLElement {
  const previous = el('div', { class: 'recall-previous', 'data-testid': 'recall-previous', title });
  renderView(previous, view, sort, actions);
  return previous;
}

/** Updates the count of a 'measuring' section in place (the previous chart is not drawn again). */
export function updateRecallProgress(container: HTMLElement, progress: RecallProgress): void {
  const status = container.querySelector('[data-testid="recall-progress"]');
  if (status) status.textContent = measuringText(progress);
}

function renderView(container: HTMLElement, view: RecallView, sort: RecallTableState, actions: RecallActions): void {
  container.replaceChildren(
    el(
      'p',
      { class: 'meta-line', 'data-testid': 'recall-summary' },
      `Longview remembers ${recallPercent(view.meanRecall)} of a region on average (mean recall over all ${view.regions.length.toLocaleString('en-US')} regions). Its memory is ${(view.summaryBytes / 1048576).toFixed(1)} MiB whatever the workspace's size.`,
    ),
    chart(view, actions),
    el(
      'p',
      { class: 'legend', 'data-testid': 'chart-legend' },
      el('span', { class: 'legend-item' }, el('span', { class: 'legend-dot' }), 'other files'),
      el('span', { class: 'legend-item' }, el('span', { class: 'legend-active' }), `active file (${READ_EXACTLY})`),
    ),
    heatmapLegend(),
    table(recallFileRows(view), sort, actions),
  );
}

const COLUMNS: { key: SortKey; label: string; title: string }[] = [
  { key: 'path', label: 'File', title: 'Sort by path' },
  { key: 'regions', label: 'Regions', title: 'Sort by number of regions' },
  { key: 'meanRecall', label: 'Mean', title: "Sort by mean recall over the file's regions" },
  { key: 'minRecall', label: 'Min', title: "Sort by the file's lowest recall" },
];

/** The heatmap's legend: the calm style for what is read exactly, then the graded recall scale, in the editor's own colours. */
function heatmapLegend(): HTMLElement {
  return el(
    'div',
    { class: 'heatmap-legend', 'data-testid': 'heatmap-legend', role: 'group', 'aria-label': 'Heatmap legend' },
    el('span', { class: 'legend-title' }, 'Heatmap'),
    ...HEATMAP_LEGEND.map((entry, i) =>
      el(
        'span',
        { class: 'legend-item', title: entry.title },
        el('span', { class: `swatch ${i === 0 ? 'swatch-exact' : `swatch-recall${i - 1}`}`, 'aria-hidden': 'true' }),
        entry.label,
      ),
    ),
  );
}

/** Per-file rows: a filter box, sortable headers, and a fold so the chart and the comparison stay in reach. */
function table(all: RecallFileRow[], sort: RecallTableState, actions: RecallActions): HTMLElement {
  const filter = (sort.filter ?? '').trim().toLowerCase();
  const rows = sortRows(
    all.filter((r) => !filter || r.path.toLowerCase().includes(filter)),
    sort.key,
    sort.descending,
  );
  const head = el(
    'tr',
    {},
    ...COLUMNS.map(({ key, label, title }) => {
      const button = el(
        'button',
        { type: 'button', class: 'sort-button', 'data-sort': key, title },
        label,
        sort.key === key ? el('span', { class: `codicon codicon-arrow-${sort.descending ? 'down' : 'up'}`, 'aria-hidden': 'true' }) : null,
      );
      button.addEventListener('click', () => actions.sort(key));
      return el(
        'th',
        {
          scope: 'col',
          class: key === 'path' ? '' : 'num',
          'aria-sort': sort.key === key ? (sort.descending ? 'descending' : 'ascending') : 'none',
        },
        button,
      );
    }),
  );
  const body = rows.map((row) => {
    const link = el(
      'a',
      { href: '#', class: 'line-link file-link', 'data-testid': 'recall-file', 'data-path': row.path, title: row.path },
      ...pathSpans(row.path),
    );
    link.addEventListener('click', (e) => {
      e.preventDefault();
      if (row.uri) actions.open(row.uri, 1, 1);
    });
    return el(
      'tr',
      { class: row.active ? 'active-row' : '', title: row.active ? `The active file: Longview reads it exactly` : '' },
      el('td', { class: 'file-cell' }, link),
      el('td', { class: 'num' }, String(row.regions)),
      el('td', { class: 'num' }, recallPercent(row.meanRecall)),
      el('td', { class: 'num' }, recallPercent(row.minRecall)),
    );
  });
  const input = el('input', {
    type: 'search',
    class: 'table-filter',
    'data-testid': 'recall-filter',
    placeholder: 'Filter files',
    'aria-label': 'Filter the files of the Recall table',
    value: sort.filter ?? '',
  });
  input.addEventListener('input', () => actions.filter(input.value));
  const details = el(
    'details',
    { class: 'recall-files', 'data-testid': 'recall-files' },
    el('summary', {}, `Files (${filter ? `${rows.length} of ${all.length}` : all.length})`),
    input,
    el('table', { class: 'recall-table', 'data-testid': 'recall-table' }, el('thead', {}, head), el('tbody', {}, ...body)),
    rows.length ? null : el('p', { class: 'hint' }, 'No file matches the filter.'),
  );
  details.open = !sort.folded;
  details.addEventListener('toggle', () => actions.fold(!details.open));
  return details;
}

/** The two rankings of the last question side by side; a hit both found is marked in each. */
export function renderComparison(
  container: HTMLElement,
  hybrid: AskView | null,
  memory: AskView | null,
  on: boolean,
  toggle: () => void,
  actions: LocationActions,
): void {
  // The switch appears once there is a question to compare.
  if (!hybrid) {
    container.replaceChildren();
    return;
  }
  const label = `Compare: what memory alone answers to “${hybrid.question}”`;
  const input = el('input', {
    type: 'checkbox',
    role: 'switch',
    id: 'compare-switch',
    'data-testid': 'compare-switch',
    'aria-checked': String(on),
  });
  input.checked = on;
  input.addEventListener('change', toggle);
  const nodes: Node[] = [el('div', { class: 'switch-row' }, input, el('label', { for: 'compare-switch' }, label))];
  if (on && hybrid) {
    if (!memory || memory.question !== hybrid.question) nodes.push(el('p', { class: 'hint' }, 'Asking the recurrent memory alone…'));
    else {
      const key = (h: { path: string; startLine: number }) => `${h.path}:${h.startLine}`;
      const inHybrid = new Set(hybrid.hits.map(key));
      const inMemory = new Set(memory.hits.map(key));
      const column = (title: string, view: AskView, other: Set<string>, testid: string) =>
        el(
          'div',
          { class: 'compare-column', 'data-testid': testid },
          el('h4', {}, title),
          el(
            'ol',
            {},
            ...view.hits.slice(0, 5).map((h) => {
              // The symbol, then its place: the folders and a long name's start may shrink to an ellipsis, file:line never breaks.
              const a = el(
                'a',
                { href: '#', class: 'line-link compare-link', title: `${h.path}:${h.startLine} ${h.symbol}` },
                el('span', { class: 'region-name compare-symbol' }, h.symbol),
                el('span', { class: 'compare-place' }, ...pathSpans(h.path, `:${h.startLine}`)),
              );
              a.addEventListener('click', (e) => {
                e.preventDefault();
                if (h.uri) actions.open(h.uri, h.startLine, h.endLine);
              });
              return el(
                'li',
                { class: other.has(key(h)) ? 'shared' : 'only', title: other.has(key(h)) ? 'Found by both' : 'Found only here' },
                a,
              );
            }),
          ),
        );
      nodes.push(
        el(
          'div',
          { class: 'compare' },
          column('Memory alone', memory, inHybrid, 'compare-memory'),
          column('Longview', hybrid, inMemory, 'compare-hybrid'),
        ),
      );
      nodes.push(
        el(
          'p',
          { class: 'meta-line' },
          'Memory alone answers from the fixed-size memory only. Longview (the hybrid) also reads the active file exactly, re-reads code it forgot, and matches names.',
        ),
      );
    }
  }
  container.replaceChildren(...nodes);
}
