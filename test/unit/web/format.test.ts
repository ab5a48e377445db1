import { describe, expect, it } from 'vitest';
import { formatDateTime, formatDay, formatMonthDay, formatNumber, formatPercent, formatScore, formatUtcDateTime } from '../../../src/web/i18n/format.js';

describe('numbers and dates the locale’s way (src/web/i18n/format.ts)', () => {
  it('decimal commas, grouping and percentages in Spanish; points in English', () => {
    expect(formatNumber('es', 0.3)).toBe('0,3');
    expect(formatNumber('en', 0.3)).toBe('0.3');
    expect(formatNumber('es', 12345.678)).toBe('12.345,68');
    expect(formatScore('es', 7.5, 10)).toBe('7,5 / 10');
    expect(formatScore('en', 7.5, 10)).toBe('7.5 / 10');
    expect(formatPercent('es', 0.625)).toBe('63\u00a0%');
    expect(formatPercent('en', 0.625)).toBe('63%');
  });

  it('a calendar day stays that day in any time zone; other text passes through', () => {
    expect(formatDay('es', '2030-05-01')).toBe('1 may 2030');
    expect(formatDay('en', '2030-05-01')).toBe('May 1, 2030');
    expect(formatDay('es', 'someday')).toBe('someday');
    expect(formatMonthDay('es', '2026-12-05')).toBe('5 dic');
    expect(formatMonthDay('en', '2026-12-05')).toBe('Dec 5');
  });

  it('date and time: the console in UTC, saying so', () => {
    const at = new Date('2026-12-05T07:36:00Z');
    expect(formatUtcDateTime('es', at)).toBe('5 dic 2026, 07:36 UTC');
    expect(formatUtcDateTime('en', at)).toBe('Dec 5, 2026, 07:36 AM UTC');
    expect(formatDateTime('es', at)).toMatch(/^\d{1,2} dic 2026, \d{1,2}:\d{2}$/);
  });
});
