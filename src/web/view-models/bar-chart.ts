export interface BarChart {
  width: number;
  height: number;
  max: number;
  bars: Array<{
    x: number;
    y: number;
    w: number;
    h: number;
    label: string;
    value: number;
    showLabel: boolean;
    labelX: number;
    anchor: 'start' | 'middle' | 'end';
  }>;
  baseline: number;
}

/**
 * A small bar chart laid out on the server for an inline SVG (no script, no external file).
 * Labels are shown for every `labelEvery`-th bar counted back from the last (today, this week),
 * so they never overlap and the first one is not cut at the left edge.
 */
export function barChart(points: Array<{ label: string; value: number }>, options: { width?: number; height?: number; labelEvery?: number } = {}): BarChart {
  const width = options.width ?? 600;
  const height = options.height ?? 160;
  const top = 16;
  const bottom = 22;
  const plot = height - top - bottom;
  const max = Math.max(1, ...points.map((p) => p.value));
  const slot = width / Math.max(1, points.length);
  const every = options.labelEvery ?? 1;
  return {
    width,
    height,
    max,
    baseline: top + plot,
    bars: points.map((p, i) => {
      const h = Math.round((p.value / max) * plot);
      const labelX = Math.round(i * slot + slot / 2);
      return {
        x: Math.round(i * slot + slot * 0.15),
        w: Math.max(1, Math.round(slot * 0.7)),
        y: top + plot - h,
        h,
        label: p.label,
        value: p.value,
        showLabel: (points.length - 1 - i) % every === 0,
        labelX,
        // A label centred on a bar at either end would be cut by the chart's edge.
        anchor: labelX < 20 ? 'start' : labelX > width - 20 ? 'end' : 'middle',
      };
    }),
  };
}
