// Renders the Summary section for one SummaryState. The data-testid / class / data-* attributes
// are a contract with the end-to-end tests (test/e2e): keep them as they are.
import {
  descriptionKey,
  fileRecallText,
  READ_EXACTLY,
  recallPercent,
  type FileInsight,
  type FileSummary,
  type ModuleView,
  type SummaryRegion,
  type SummaryState,
  type WorkspaceSummaryView,
} from '../extension/protocol';
import { el } from './dom';
import { pathSpans } from './pathSpans';
import { isMinor, mainSymbols } from '../extension/engine/query/symbolRank';

export interface SummaryActions {
  reveal(uri: string, startLine: number, endLine: number): void;
}

export function renderSummary(container: HTMLElement, state: SummaryState, actions: SummaryActions): void {
  container.replaceChildren(...summaryNodes(state, actions));
  container.setAttribute('aria-busy', String(state.status === 'loading'));
}

/** One short sentence for screen readers (a role="status" element), instead of reading the whole outline. */
export function summaryAnnouncement(state: SummaryState): string {
  switch (state.status) {
    case 'empty':
      return 'No file open.';
    case 'loading':
      return `Outlining ${state.fileName}.`;
    case 'unsupported':
      return `Outline not supported yet for ${state.languageId}.`;
    case 'skipped':
      return state.reason;
    case 'error':
      return `Could not outline ${state.fileName}: ${state.message}`;
    case 'ready':
      return `Outline of ${state.summary.fileName}: ${countRegions(state.summary.regions)} regions.`;
  }
}

function summaryNodes(state: SummaryState, actions: SummaryActions): Node[] {
  switch (state.status) {
    case 'empty':
      return [el('p', { class: 'hint' }, 'Open a file to see its outline here.')];
    case 'loading':
      return [fileHeader(state.fileName, state.languageId), el('p', { class: 'hint' }, 'Outlining…')];
    case 'unsupported':
      return [
        fileHeader(state.fileName, state.languageId),
        el('p', { class: 'hint', 'data-testid': 'unsupported' }, `Outline not supported yet for ${state.languageId}`),
      ];
    case 'skipped':
      return [fileHeader(state.fileName), el('p', { class: 'hint', 'data-testid': 'skipped' }, state.reason)];
    case 'error':
      return [fileHeader(state.fileName), el('p', { class: 'error', role: 'alert', 'data-testid': 'summary-error' }, state.message)];
    case 'ready':
      return readyNodes(state.summary, actions);
  }
}

function fileHeader(fileName: string, languageId?: string): HTMLElement {
  return el(
    'div',
    { class: 'file-header' },
    el('h3', { 'data-testid': 'summary-file', class: 'file-name' }, fileName),
    languageId ? el('span', { class: 'badge', 'data-testid': 'summary-language' }, languageId) : null,
  );
}

function readyNodes(summary: FileSummary, actions: SummaryActions): Node[] {
  const nodes: Node[] = [fileHeader(summary.fileName, summary.languageId)];
  const insight = summary.insight;
  // Lead with what the file is for: its own doc, else its main symbol's (engine/query/fileAbout.ts).
  const about = insight?.about ?? summary.about;
  if (about) {
    nodes.push(
      el(
        'p',
        { class: 'about', 'data-testid': 'summary-about', 'data-from': about.symbol ? 'symbol' : 'file' },
        about.symbol
          ? el('span', { class: 'about-symbol', title: `From the doc of ${about.symbol}, the file's main symbol` }, `${about.symbol}: `)
          : null,
        about.text,
      ),
    );
  }
  if (insight) {
    nodes.push(el('p', { class: 'meta-line', 'data-testid': 'summary-overview' }, insight.overview));
    nodes.push(
      el(
        'p',
        {
          class: 'meta-line',
          'data-testid': 'summary-recall',
          'data-recall': recallPercent(insight.meanRecall),
          title: `Mean recall over this file's ${countRegions(summary.regions)} regions: the average of the numbers the heatmap shows for them${insight.recallShare === null ? '' : `; this file holds ${percent(insight.recallShare)} of everything the memory recalls`}. ${insight.tokens.toLocaleString('en-US')} tokens.`,
        },
        summaryRecallText(insight.meanRecall, countRegions(summary.regions), insight.recallOf),
      ),
    );
  }
  const describe = (region: SummaryRegion) =>
    region.doc ?? insight?.descriptions[descriptionKey(region.startLine, region.name)]?.text ?? null;
  // Then the main symbols, ranked (engine/query/symbolRank.ts; the engine's ranking counts other files' uses), as links.
  const byName = new Map(summary.regions.map((r) => [r.name, r]));
  const main = insight ? insight.main.flatMap((name) => byName.get(name) ?? []) : mainSymbols(summary.regions, summary.exports);
  if (main.length > 1) {
    const items: (Node | string)[] = [];
    main.forEach((r, i) => {
      if (i) items.push(', ');
      const a = el('a', { href: '#', class: 'inline-link', 'data-testid': 'main-symbol', title: `Go to ${r.kind} ${r.name}` }, r.name);
      a.addEventListener('click', (event) => {
        event.preventDefault();
        actions.reveal(summary.uri, r.startLine, r.endLine);
      });
      items.push(a, el('span', { class: 'region-meta' }, r.kind));
    });
    nodes.push(el('p', { class: 'main-symbols', 'data-testid': 'summary-main' }, el('span', { class: 'label' }, 'Main: '), ...items));
  }
  nodes.push(el('h4', {}, `Regions (${countRegions(summary.regions)})`));
  nodes.push(
    summary.regions.length
      ? regionList(summary.regions, summary.uri, actions, 'regions', describe)
      : el('p', { class: 'hint' }, 'No functions, classes or methods in this file.'),
  );
  if (summary.imports.length) {
    nodes.push(el('h4', {}, `Imports (${summary.imports.length})`));
    nodes.push(
      lineList(
        summary.imports.map((i) => ({ text: i.source, line: i.line })),
        summary.uri,
        actions,
        'imports',
      ),
    );
  }
  if (summary.exports.length) {
    nodes.push(el('h4', {}, `Exports (${summary.exports.length})`));
    nodes.push(
      lineList(
        summary.exports.map((e) => ({ text: e.name, line: e.line })),
        summary.uri,
        actions,
        'exports',
      ),
    );
  }
  return nodes;
}

function countRegions(regions: SummaryRegion[]): number {
  return regions.reduce((n, r) => n + 1 + countRegions(r.children), 0);
}

type Describe = (region: SummaryRegion) => string | null;

/** Regions in source order; constants, variables and private helpers folded under one toggle at the end. */
function regionList(regions: SummaryRegion[], uri: string, actions: SummaryActions, className: string, describe: Describe): HTMLElement {
  const shown = regions.filter((r) => !isMinor(r));
  const minor = regions.filter(isMinor);
  const list = el('ul', { class: className }, ...shown.map((region) => regionItem(region, uri, actions, describe)));
  if (minor.length === 0) return list;
  list.append(
    el(
      'li',
      { class: 'minor-regions' },
      el(
        'details',
        { 'data-testid': 'minor-regions' },
        el('summary', {}, `${minor.length} more: constants and private helpers`),
        el('ul', { class: className }, ...minor.map((region) => regionItem(region, uri, actions, describe))),
      ),
    ),
  );
  return list;
}

function regionItem(region: SummaryRegion, uri: string, actions: SummaryActions, describe: Describe): HTMLElement {
  const lines = region.startLine === region.endLine ? `line ${region.startLine}` : `lines ${region.startLine}–${region.endLine}`;
  const link = el(
    'a',
    {
      href: '#',
      class: 'region-link',
      'data-testid': 'region',
      'data-name': region.name,
      'data-start-line': region.startLine,
      title: `Go to ${region.kind} ${region.name}, ${lines}`,
    },
    el('span', { class: 'region-name' }, region.name),
    ' ',
    el('span', { class: 'region-meta' }, `${region.kind} · ${lines}`),
  );
  link.addEventListener('click', (event) => {
    event.preventDefault();
    actions.reveal(uri, region.startLine, region.endLine);
  });
  return el(
    'li',
    { class: `region kind-${region.kind}` },
    link,
    descriptionNode(region, describe),
    region.children.length ? regionList(region.children, uri, actions, 'regions nested', describe) : null,
  );
}

function lineList(items: { text: string; line: number }[], uri: string, actions: SummaryActions, className: string): HTMLElement {
  return el(
    'ul',
    { class: `lines ${className}` },
    ...items.map(({ text, line }) => {
      const link = el('a', { href: '#', class: 'line-link', 'data-line': line, title: `Go to line ${line}` }, text);
      link.addEventListener('click', (event) => {
        event.preventDefault();
        actions.reveal(uri, line, line);
      });
      return el('li', {}, link);
    }),
  );
}

function descriptionNode(region: SummaryRegion, describe: Describe): HTMLElement | null {
  const text = describe(region);
  if (!text) return null;
  // A line the model picked (no doc comment) is code: shown as code, so it does not read as prose.
  return region.doc
    ? el('div', { class: 'region-doc' }, text)
    : el('div', { class: 'region-doc salient', title: 'The line the model weighted most' }, el('code', {}, text));
}

/**
 * The file's recall in one line, saying over what the mean is taken. The Summary follows the active
 * editor, whose file Longview reads exactly: said first, in the same words as the Ask cards.
 */
export function summaryRecallText(meanRecall: number, regions: number, recallOf: FileInsight['recallOf'] = 'file'): string {
  return `Active file, ${READ_EXACTLY}${recallOf === 'file' ? '' : ' (unsaved edits)'}. ${fileRecallText(meanRecall, recallOf, regions)}`;
}

function percent(x: number): string {
  return `${Math.round(x * 100)}%`;
}

/** The module overview of Summarize Workspace: modules most central first, each with its key files. */
export function renderWorkspaceSummary(
  container: HTMLElement,
  summary: WorkspaceSummaryView | null,
  actions: { open(uri: string, startLine: number, endLine: number): void; copy(): void },
): void {
  if (!summary) {
    container.replaceChildren();
    return;
  }
  const moduleItem = (m: ModuleView) =>
    el(
      'li',
      { class: 'module', 'data-testid': 'module', 'data-module': m.module, 'data-role': m.role },
      el(
        'div',
        {},
        el('span', { class: 'region-name' }, m.module),
        ' ',
        el(
          'span',
          {
            class: 'region-meta',
            title: `${percent(m.centrality)} of all uses one file makes of what another defines`,
          },
          `${plural(m.files, 'file')} · ${plural(m.regions, 'symbol')} · ${percent(m.centrality)} of cross-file uses`,
        ),
      ),
      m.about ? el('div', { class: 'region-doc module-about', 'data-testid': 'module-about', title: m.about }, m.about) : null,
      m.dependsOn.length ? el('div', { class: 'region-meta' }, `uses ${m.dependsOn.map((d) => d.module).join(', ')}`) : null,
      el(
        'ul',
        { class: 'lines' },
        ...m.keyFiles.map((f) => {
          // The folders, then a long name's start, may shrink to an ellipsis (pathParts.ts); the full path in the tooltip.
          const a = el('a', { href: '#', class: 'line-link file-link', 'data-testid': 'key-file', title: f.path }, ...pathSpans(f.path));
          a.addEventListener('click', (e) => {
            e.preventDefault();
            if (f.uri) actions.open(f.uri, 1, 1);
          });
          return el('li', {}, a);
        }),
      ),
    );
  // In the engine's order (the source first, most used first; then tests, examples, docs, scripts), each group after the source under its heading.
  const modules: Node[] = [];
  summary.modules.forEach((m, i) => {
    if (m.role !== 'source' && m.role !== summary.modules[i - 1]?.role)
      modules.push(el('li', { class: 'module-group', 'data-testid': 'module-group' }, MODULE_ROLE_LABEL[m.role]));
    modules.push(moduleItem(m));
  });
  container.replaceChildren(
    el(
      'div',
      { class: 'file-header' },
      el('h3', { class: 'file-name', 'data-testid': 'workspace-summary' }, 'Workspace'),
      copyButton(actions.copy),
    ),
    el('p', { class: 'meta-line' }, `${summary.files} files, ${summary.regions} regions, ${summary.importEdges} imports between them.`),
    el('ul', { class: 'modules' }, ...modules),
    ...(summary.externalImports.length
      ? [el('p', { class: 'meta-line' }, `External: ${summary.externalImports.map((e) => e.name).join(', ')}`)]
      : []),
  );
}

const MODULE_ROLE_LABEL: Record<ModuleView['role'], string> = {
  source: 'Source',
  tests: 'Tests',
  examples: 'Examples',
  docs: 'Docs',
  scripts: 'Scripts and CI',
};

function copyButton(copy: () => void): HTMLElement {
  const button = el(
    'button',
    {
      type: 'button',
      class: 'icon-button',
      'data-testid': 'copy-workspace',
      title: 'Copy the workspace overview as Markdown',
      'aria-label': 'Copy the workspace overview as Markdown',
    },
    el('span', { class: 'codicon codicon-copy', 'aria-hidden': 'true' }),
  );
  button.addEventListener('click', copy);
  return button;
}

/** "1 file", "6 files". */
function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
