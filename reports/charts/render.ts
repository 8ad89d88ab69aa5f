/**
 * Vega-Lite specs rendered to SVG in Node (vega's headless view, no canvas), and SVG to PNG with
 * resvg, for pages (inline SVG) and for Markdown and PR comments (files).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { View, parse } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { ReportChart } from '../report.ts';

export type ChartSpec = TopLevelSpec;

/** Shared look: system fonts (resvg and browsers both find them), no chart border. */
const CHART_CONFIG = {
  font: 'DejaVu Sans, Helvetica, Arial, sans-serif',
  view: { stroke: null },
  axis: { labelFontSize: 11, titleFontSize: 11, grid: true, gridColor: '#eee' },
  legend: { labelFontSize: 11, titleFontSize: 11 },
} as const;

export async function renderSvg(spec: ChartSpec): Promise<string> {
  const vega = compile({ config: CHART_CONFIG, ...spec } as TopLevelSpec).spec;
  const view = new View(parse(vega), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

function svgToPng(svg: string, scale = 2): Buffer {
  return new Resvg(svg, { fitTo: { mode: 'zoom', value: scale }, background: 'white', font: { loadSystemFonts: true } }).render().asPng();
}

/** Write `<dir>/<name>.svg` and `<name>.png`; returns both paths. */
function writeChartFiles(dir: string, name: string, svg: string): { svg: string; png: string } {
  mkdirSync(dir, { recursive: true });
  const paths = { svg: join(dir, `${name}.svg`), png: join(dir, `${name}.png`) };
  writeFileSync(paths.svg, svg);
  writeFileSync(paths.png, svgToPng(svg));
  return paths;
}

/** Write every chart as SVG and PNG under `dir`; returns name -> PNG path relative to `from`. */
export function writeCharts(dir: string, charts: readonly ReportChart[], from: string): Map<string, string> {
  const links = new Map<string, string>();
  for (const c of charts) {
    const { png } = writeChartFiles(dir, safeName(c.name), c.svg);
    links.set(c.name, relative(from, png).split(/[\\/]/).map(encodeURIComponent).join('/'));
  }
  return links;
}

const safeName = (name: string) => name.replace(/[^A-Za-z0-9_.-]+/g, '_');
