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
  const { points } = options;
  const frame = plotFrame({
    width,
    height,
    plotTop: MARGIN.top,
    labels: points.map((point) => point.label),
    max: Math.max(0, ...points.map((p) => p.value)),
  });
  const bars = points
    .map((point, index) => {
      const x = round(MARGIN.left + index * frame.slot + (frame.slot - frame.barWidth) / 2);
      const barTop = round(frame.y(point.value));
      const barHeight = round(frame.plotBottom - barTop);
      return `<rect x="${x}" y="${barTop}" width="${round(frame.barWidth)}" height="${barHeight}" fill="${options.color}"><title>${escapeHtml(point.tooltip)}</title></rect>`;
    })
    .join("");
  return `<svg viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="${escapeHtml(options.title)}">${frame.grid}${bars}${frame.axisAndLabels}</svg>`;
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
  const { points, series } = options;
  const total = (p: { values: readonly number[] }) => p.values.reduce((sum, v) => sum + v, 0);
  const frame = plotFrame({
    width,
    height,
    plotTop: MARGIN.top + legendHeight,
    labels: points.map((point) => point.label),
    max: Math.max(0, ...points.map(total)),
  });
  const legend = series
    .map(
      (s, i) =>
        `<rect x="${MARGIN.left + i * 160}" y="${MARGIN.top - 2}" width="10" height="10" fill="${s.color}" class="key"/><text x="${MARGIN.left + i * 160 + 14}" y="${MARGIN.top + 7}" class="tick">${escapeHtml(s.name)}</text>`,
    )
    .join("");
  const bars = points
    .map((point, index) => {
      const x = round(MARGIN.left + index * frame.slot + (frame.slot - frame.barWidth) / 2);
      let base = 0;
      return series
        .map((s, i) => {
          const value = point.values[i] ?? 0;
          if (value <= 0) return "";
          const segmentTop = round(frame.y(base + value));
          const segmentHeight = round(frame.y(base) - frame.y(base + value));
          base += value;
          return `<rect x="${x}" y="${segmentTop}" width="${round(frame.barWidth)}" height="${segmentHeight}" fill="${s.color}"><title>${escapeHtml(`${point.tooltip}: ${value.toLocaleString("en-US")} ${s.name}`)}</title></rect>`;
        })
        .join("");
    })
    .join("");
  return `<svg viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="${escapeHtml(options.title)}">${legend}${frame.grid}${bars}${frame.axisAndLabels}</svg>`;
}

/**
 * What both charts draw around their bars: the value scale and its grid lines, the bar slots, the
 * axis, the labels (at most about twelve) and "none in this range" for an empty chart.
 */
function plotFrame(options: {
  width: number;
  height: number;
  plotTop: number;
  labels: string[];
  max: number;
}) {
  const { width, height, plotTop, labels, max } = options;
  const plotWidth = width - MARGIN.left - MARGIN.right;
  const plotHeight = height - plotTop - MARGIN.bottom;
  const plotBottom = plotTop + plotHeight;
  const ticks = niceTicks(max);
  const top = ticks[ticks.length - 1] ?? 1;
  const y = (value: number) => plotBottom - (value / top) * plotHeight;
  const slot = plotWidth / Math.max(1, labels.length);
  const barWidth = Math.max(1, slot * 0.8);
  const labelEvery = Math.max(1, Math.ceil(labels.length / 12));
  const grid = ticks
    .map((tick) => {
      const ty = round(y(tick));
      return `<line x1="${MARGIN.left}" x2="${width - MARGIN.right}" y1="${ty}" y2="${ty}" stroke="#e3e6ea"/><text x="${MARGIN.left - 8}" y="${ty + 4}" text-anchor="end" class="tick">${tick.toLocaleString("en-US")}</text>`;
    })
    .join("");
  const axis = `<line x1="${MARGIN.left}" x2="${width - MARGIN.right}" y1="${plotBottom}" y2="${plotBottom}" stroke="#8a939e"/>`;
  const labelText = labels
    .map((label, index) =>
      index % labelEvery === 0
        ? `<text x="${round(MARGIN.left + index * slot + slot / 2)}" y="${height - 10}" text-anchor="middle" class="tick">${escapeHtml(label)}</text>`
        : "",
    )
    .join("");
  const empty =
    max === 0
      ? `<text x="${MARGIN.left + plotWidth / 2}" y="${plotTop + plotHeight / 2}" text-anchor="middle" class="empty">none in this range</text>`
      : "";
  return { y, slot, barWidth, plotBottom, grid, axisAndLabels: `${axis}${labelText}${empty}` };
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
