/**
 * A bar chart as inline SVG, drawn here so the report needs no chart library, script or network.
 * Every bar has a <title> (a tooltip that works without scripts) and the chart an accessible label.
 */
import { escapeHtml } from "./html.ts";

export interface BarChartOptions {
  title: string;
  /** One bar per point, oldest first. */
  points: ReadonlyArray<{ label: string; tooltip: string; value: number }>;
  color: string;
  width?: number;
  height?: number;
}

const MARGIN = { top: 12, right: 12, bottom: 30, left: 56 };

export function barChart(options: BarChartOptions): string {
  const width = options.width ?? 960;
  const height = options.height ?? 220;
  const plotWidth = width - MARGIN.left - MARGIN.right;
  const plotHeight = height - MARGIN.top - MARGIN.bottom;
  const { points } = options;
  const max = Math.max(0, ...points.map((p) => p.value));
  const ticks = niceTicks(max);
  const top = ticks[ticks.length - 1] ?? 1;
  const y = (value: number) => MARGIN.top + plotHeight - (value / top) * plotHeight;
  const slot = plotWidth / Math.max(1, points.length);
  const barWidth = Math.max(1, slot * 0.8);
  const labelEvery = Math.max(1, Math.ceil(points.length / 12));

  const grid = ticks
    .map((tick) => {
      const ty = round(y(tick));
      return `<line x1="${MARGIN.left}" x2="${width - MARGIN.right}" y1="${ty}" y2="${ty}" stroke="#e3e6ea"/><text x="${MARGIN.left - 8}" y="${ty + 4}" text-anchor="end" class="tick">${tick.toLocaleString("en-US")}</text>`;
    })
    .join("");
  const bars = points
    .map((point, index) => {
      const x = round(MARGIN.left + index * slot + (slot - barWidth) / 2);
      const barTop = round(y(point.value));
      const barHeight = round(MARGIN.top + plotHeight - barTop);
      return `<rect x="${x}" y="${barTop}" width="${round(barWidth)}" height="${barHeight}" fill="${options.color}"><title>${escapeHtml(point.tooltip)}</title></rect>`;
    })
    .join("");
  const labels = points
    .map((point, index) =>
      index % labelEvery === 0
        ? `<text x="${round(MARGIN.left + index * slot + slot / 2)}" y="${height - 10}" text-anchor="middle" class="tick">${escapeHtml(point.label)}</text>`
        : "",
    )
    .join("");
  const empty =
    max === 0
      ? `<text x="${MARGIN.left + plotWidth / 2}" y="${MARGIN.top + plotHeight / 2}" text-anchor="middle" class="empty">none in this range</text>`
      : "";
  const axis = `<line x1="${MARGIN.left}" x2="${width - MARGIN.right}" y1="${MARGIN.top + plotHeight}" y2="${MARGIN.top + plotHeight}" stroke="#8a939e"/>`;
  return `<svg viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="${escapeHtml(options.title)}">${grid}${bars}${axis}${labels}${empty}</svg>`;
}

export interface StackedBarChartOptions {
  title: string;
  /** Bottom to top: each series' name (for the legend and tooltips) and colour. */
  series: ReadonlyArray<{ name: string; color: string }>;
  /** One bar per point, oldest first; `values[i]` belongs to `series[i]`. */
  points: ReadonlyArray<{ label: string; tooltip: string; values: readonly number[] }>;
  width?: number;
  height?: number;
}

/**
 * Bars of several series stacked on one another (e.g. migrations done and refused). Each segment has
 * its own <title> naming the series; the legend is drawn in the SVG, so the chart reads on its own.
 */
export function stackedBarChart(options: StackedBarChartOptions): string {
  const width = options.width ?? 960;
  const height = options.height ?? 220;
  const legendHeight = 18;
  const top0 = MARGIN.top + legendHeight;
  const plotWidth = width - MARGIN.left - MARGIN.right;
  const plotHeight = height - top0 - MARGIN.bottom;
  const { points, series } = options;
  const total = (p: { values: readonly number[] }) => p.values.reduce((sum, v) => sum + v, 0);
  const max = Math.max(0, ...points.map(total));
  const ticks = niceTicks(max);
  const top = ticks[ticks.length - 1] ?? 1;
  const y = (value: number) => top0 + plotHeight - (value / top) * plotHeight;
  const slot = plotWidth / Math.max(1, points.length);
  const barWidth = Math.max(1, slot * 0.8);
  const labelEvery = Math.max(1, Math.ceil(points.length / 12));

  const legend = series
    .map(
      (s, i) =>
        `<rect x="${MARGIN.left + i * 160}" y="${MARGIN.top - 2}" width="10" height="10" fill="${s.color}" class="key"/><text x="${MARGIN.left + i * 160 + 14}" y="${MARGIN.top + 7}" class="tick">${escapeHtml(s.name)}</text>`,
    )
    .join("");
  const grid = ticks
    .map((tick) => {
      const ty = round(y(tick));
      return `<line x1="${MARGIN.left}" x2="${width - MARGIN.right}" y1="${ty}" y2="${ty}" stroke="#e3e6ea"/><text x="${MARGIN.left - 8}" y="${ty + 4}" text-anchor="end" class="tick">${tick.toLocaleString("en-US")}</text>`;
    })
    .join("");
  const bars = points
    .map((point, index) => {
      const x = round(MARGIN.left + index * slot + (slot - barWidth) / 2);
      let base = 0;
      return series
        .map((s, i) => {
          const value = point.values[i] ?? 0;
          if (value <= 0) return "";
          const segmentTop = round(y(base + value));
          const segmentHeight = round(y(base) - y(base + value));
          base += value;
          return `<rect x="${x}" y="${segmentTop}" width="${round(barWidth)}" height="${segmentHeight}" fill="${s.color}"><title>${escapeHtml(`${point.tooltip}: ${value.toLocaleString("en-US")} ${s.name}`)}</title></rect>`;
        })
        .join("");
    })
    .join("");
  const labels = points
    .map((point, index) =>
      index % labelEvery === 0
        ? `<text x="${round(MARGIN.left + index * slot + slot / 2)}" y="${height - 10}" text-anchor="middle" class="tick">${escapeHtml(point.label)}</text>`
        : "",
    )
    .join("");
  const empty =
    max === 0
      ? `<text x="${MARGIN.left + plotWidth / 2}" y="${top0 + plotHeight / 2}" text-anchor="middle" class="empty">none in this range</text>`
      : "";
  const axis = `<line x1="${MARGIN.left}" x2="${width - MARGIN.right}" y1="${top0 + plotHeight}" y2="${top0 + plotHeight}" stroke="#8a939e"/>`;
  return `<svg viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="${escapeHtml(options.title)}">${legend}${grid}${bars}${axis}${labels}${empty}</svg>`;
}

/** 0 and three to five round steps (1, 2 or 5 times a power of ten) that cover `max`. */
export function niceTicks(max: number): number[] {
  if (max <= 0) return [0, 1];
  const rough = max / 4;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = Math.max(1, ([1, 2, 5, 10].find((m) => m * magnitude >= rough) ?? 10) * magnitude);
  const ticks: number[] = [];
  for (let tick = 0; tick < max + step; tick += step) ticks.push(tick);
  return ticks;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
