/*
 * Numbers, percentages and dates written the page's way (Intl, the same data ICU messages use):
 * "0,3", "67 %" and "5 mar 2026" in Spanish, "0.3", "67%" and "Mar 5, 2026" in English. For values
 * shown outside a catalog message; inside one, use `{x, number}`, `{x, number, ::percent}`,
 * `{d, date, medium}`. Form field values (<input type="number">) and CSV cells stay machine-readable.
 */

const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();

function cached<T extends Intl.NumberFormat | Intl.DateTimeFormat>(key: string, make: () => T): T {
  let f = cache.get(key) as T | undefined;
  if (!f) {
    f = make();
    cache.set(key, f);
  }
  return f;
}

/** A number with at most `maxFractionDigits` decimals: 7,5 in Spanish. */
export function formatNumber(locale: string, n: number, maxFractionDigits = 2): string {
  return cached(`n|${locale}|${maxFractionDigits}`, () => new Intl.NumberFormat(locale, { maximumFractionDigits: maxFractionDigits })).format(n);
}

/** A share (0–1) as a whole percentage: 0.667 → "67%" in English, "67 %" in Spanish. */
export function formatPercent(locale: string, share: number): string {
  return cached(`p|${locale}`, () => new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 })).format(share);
}

/** A score against its maximum: "7,5 / 10". */
export function formatScore(locale: string, given: number, maximum: number): string {
  return `${formatNumber(locale, given)} / ${formatNumber(locale, maximum)}`;
}

/** A date and time in the server's time zone: "Mar 5, 2026, 2:30 PM", "5 mar 2026, 14:30". */
export function formatDateTime(locale: string, d: Date): string {
  return cached(`dt|${locale}`, () => new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' })).format(d);
}

/** A date and time in UTC, saying so: "Mar 5, 2026, 02:30 PM UTC" (the admin console, read across time zones). */
export function formatUtcDateTime(locale: string, d: Date): string {
  return cached(
    `utc|${locale}`,
    () =>
      new Intl.DateTimeFormat(locale, {
        year: 'numeric',
        month: 'short',
        day: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
        timeZone: 'UTC',
        timeZoneName: 'short',
      }),
  ).format(d);
}

/**
 * A calendar day: a Date (its day in the server's time zone) or a "YYYY-MM-DD" string (that day,
 * whatever the time zone): "Mar 5, 2026", "5 mar 2026". Anything else is returned as it is.
 */
export function formatDay(locale: string, d: Date | string): string {
  if (typeof d === 'string') {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(d)) return d;
    const day = new Date(`${d}T00:00:00Z`);
    if (Number.isNaN(day.getTime())) return d;
    return cached(`dayutc|${locale}`, () => new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' })).format(day);
  }
  return cached(`day|${locale}`, () => new Intl.DateTimeFormat(locale, { dateStyle: 'medium' })).format(d);
}

/** A "YYYY-MM-DD" day without its year, for chart axes: "Mar 5", "5 mar". */
export function formatMonthDay(locale: string, day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(d.getTime())) return day;
  return cached(`md|${locale}`, () => new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric', timeZone: 'UTC' })).format(d);
}
