// The Recall section's chart: recall (the one number, extension/protocolRecall.ts) against how long ago
// each region was read, each region a dot (the active file's, read exactly, as squares at the same
// recall). Plain SVG built with DOM calls: no chart library is needed for one scatter plot, and nothing
// here needs inline styles or eval.
import { recallPercent, type RecallRegionView, type RecallView } from '../extension/protocol';
import type { LocationActions } from './askView';
import { dotLabel } from './recallText';

const SVG = 'http://www.w3.org/2000/svg';
const W = 300;
const H = 180;
const PAD = { left: 34, right: 8, top: 8, bottom: 30 };
/** More dots than this say nothing more and slow the sidebar down. */
const MAX_DOTS = 1500;

function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attributes: Record<string, string | number>,
  ...children: (Node | string)[]
): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attributes)) node.setAttribute(k, String(v));
  for (const c of children) node.append(typeof c === 'string' ? document.createTextNode(c) : c);
  return node;
}

export function chart(view: RecallView, actions: LocationActions): SVGSVGElement {
  const maxDistance = Math.max(1, ...view.regions.map((r) => r.distanceTokens));
  const logMax = Math.log10(1 + maxDistance);
  const x = (d: number) => PAD.left + ((W - PAD.left - PAD.right) * Math.log10(1 + d)) / logMax;
  const y = (r: number) => PAD.top + (H - PAD.top - PAD.bottom) * (1 - r);
  const root = svg('svg', {
    viewBox: `0 0 ${W} ${H}`,
    class: 'recall-chart',
    'data-testid': 'recall-chart',
    role: 'img',
    'aria-label': `Recall against distance from the summary's end for ${view.regions.length} regions`,
  });
  // Axes, gridlines at recall 0, 0.5, 1 and a tick per power of ten tokens.
  for (const r of [0, 0.5, 1]) {
    root.append(svg('line', { x1: PAD.left, x2: W - PAD.right, y1: y(r), y2: y(r), class: 'grid' }));
    root.append(svg('text', { x: PAD.left - 4, y: y(r) + 3, class: 'tick', 'text-anchor': 'end' }, recallPercent(r)));
  }
  for (let p = 0; 10 ** p <= maxDistance; p++) {
    const d = 10 ** p;
    root.append(
      svg('text', { x: x(d), y: H - PAD.bottom + 12, class: 'tick', 'text-anchor': 'middle' }, d >= 1000 ? `${d / 1000}k` : String(d)),
    );
  }
  root.append(
    svg(
      'text',
      { x: (PAD.left + W - PAD.right) / 2, y: H - 4, class: 'axis-label', 'text-anchor': 'middle' },
      'read recently  ←  → read long ago',
    ),
  );
  root.append(
    svg(
      'text',
      {
        x: 10,
        y: (PAD.top + H - PAD.bottom) / 2,
        class: 'axis-label',
        'text-anchor': 'middle',
        transform: `rotate(-90 10 ${(PAD.top + H - PAD.bottom) / 2})`,
      },
      'remembered',
    ),
  );
  // Other files first, the active file on top; past MAX_DOTS, every k-th other region (the SVG stays light).
  const others = view.regions.filter((r) => !r.active);
  const step = Math.max(1, Math.ceil(others.length / MAX_DOTS));
  const ordered = [...others.filter((_, i) => i % step === 0), ...view.regions.filter((r) => r.active)];
  if (step > 1) root.setAttribute('aria-label', `${root.getAttribute('aria-label')} (every ${step}th region of other files drawn)`);
  for (const region of ordered) root.append(dot(region, x(region.distanceTokens), y, actions));
  return root;
}

function dot(region: RecallRegionView, cx: number, y: (r: number) => number, actions: LocationActions): SVGGElement {
  const title = dotLabel(region);
  const group = svg(
    'g',
    {
      class: region.active ? 'dot active' : 'dot',
      'data-testid': 'recall-dot',
      'data-path': region.path,
      'data-active': String(region.active),
      tabindex: 0,
      role: 'link',
      'aria-label': title,
    },
    svg('title', {}, title),
  );
  group.setAttribute('data-recall', recallPercent(region.recall));
  if (region.active) {
    // The same recall as everywhere; the square says "read exactly" (the legend), not a different number.
    group.append(svg('rect', { x: cx - 4, y: y(region.recall) - 4, width: 8, height: 8, class: 'active-mark' }));
  } else {
    group.append(svg('circle', { cx, cy: y(region.recall), r: 3.5, class: 'memory-dot' }));
  }
  const open = () => region.uri && actions.open(region.uri, region.startLine, region.endLine);
  group.addEventListener('click', open);
  group.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      open();
    }
  });
  return group;
}
