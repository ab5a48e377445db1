import { describe, expect, it } from 'vitest';
import { barChart } from '../../../../src/web/view-models/bar-chart.js';

describe('barChart', () => {
  const days = Array.from({ length: 30 }, (_, i) => ({ label: `d${i}`, value: i % 3 }));

  it('labels every n-th bar counted back from the last, so labels keep their spacing and the last is always shown', () => {
    const chart = barChart(days, { labelEvery: 7 });
    const labelled = chart.bars.flatMap((b, i) => (b.showLabel ? [i] : []));
    expect(labelled).toEqual([1, 8, 15, 22, 29]);
    const xs = labelled.map((i) => chart.bars[i]!.labelX);
    expect(Math.min(...xs.slice(1).map((x, k) => x - xs[k]!))).toBeGreaterThanOrEqual(100);
    // The first label's centre leaves room for a five-character label at 11 px.
    expect(xs[0]).toBeGreaterThanOrEqual(18);
    // The last label (today) ends at the right edge instead of being cut by it.
    expect(chart.bars[29]!.anchor).toBe('end');
    expect(chart.bars[15]!.anchor).toBe('middle');
  });

  it('scales bars to the largest value and keeps them inside the plot', () => {
    const chart = barChart(days);
    expect(chart.max).toBe(2);
    for (const b of chart.bars) {
      expect(b.y + b.h).toBe(chart.baseline);
      expect(b.x + b.w).toBeLessThanOrEqual(chart.width);
    }
    expect(barChart([{ label: 'a', value: 0 }]).max).toBe(1);
  });
});
