import { IntlMessageFormat } from 'intl-messageformat';
import en from './locales/en.json' with { type: 'json' };
import es from './locales/es.json' with { type: 'json' };

/**
 * Every message key: the English catalog (locales/en.json) is the type, so a key missing from
 * another locale's JSON fails the type check (below) and test/unit/web/i18n.test.ts.
 */
export type MessageKey = keyof typeof en;
/** A locale's catalog: ICU MessageFormat text for every key (plural, select, number, date arguments). */
export type Catalog = Record<MessageKey, string>;

const catalogs: Record<string, Catalog> = { en, es: es satisfies Catalog };
export const SUPPORTED_LOCALES = Object.keys(catalogs);

/** Picks a supported locale from a BCP 47 tag such as "es-MX" (from launch_presentation.locale). */
export function resolveLocale(tag: string | undefined | null): string {
  const lang = primaryLanguage(tag ?? '');
  return lang in catalogs ? lang : 'en';
}

/** A tag's language without its region or script, lower-cased: "es-MX" and "es_mx" are "es". */
export function primaryLanguage(tag: string): string {
  return tag.toLowerCase().split(/[-_]/)[0] ?? '';
}

/** The supported locale a browser asks for first (its Accept-Language), else English. */
export function browserLocale(req: { acceptsLanguages(...languages: string[]): string | false }): string {
  return resolveLocale(req.acceptsLanguages(...SUPPORTED_LOCALES) || undefined);
}

const compiled = new Map<string, IntlMessageFormat>();

function formatter(locale: string, key: string, text: string): IntlMessageFormat {
  const id = `${locale}\u0000${key}`;
  let fmt = compiled.get(id);
  if (!fmt) {
    // Catalog text is plain text, not markup: `<` is not a tag (Handlebars escapes the result).
    fmt = new IntlMessageFormat(text, locale, undefined, { ignoreTag: true });
    compiled.set(id, fmt);
  }
  return fmt;
}

// Handlebars hash values may be numbers written as strings; plural and number arguments need numbers.
const NUMERIC = /^-?\d+(\.\d+)?$/;
const asNumbers = (vars: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, typeof v === 'string' && NUMERIC.test(v) ? Number(v) : v]));

/**
 * Translates `key` into `locale` with ICU MessageFormat (intl-messageformat): `{name}`,
 * `{count, plural, one {…} other {…}}`, `{value, number}`, `{when, date, medium}`; numbers and
 * dates follow the locale (0,3 in Spanish). Unknown keys show the key; a message whose
 * arguments are missing shows its text rather than failing the page.
 */
export function translate(locale: string, key: string, vars: Record<string, unknown> = {}): string {
  const loc = locale in catalogs ? locale : 'en';
  const text = catalogs[loc]![key as MessageKey] ?? catalogs.en![key as MessageKey];
  if (text === undefined) return key;
  const fmt = formatter(loc, key, text);
  try {
    return String(fmt.format(vars as Record<string, string | number | Date>));
  } catch {
    try {
      return String(fmt.format(asNumbers(vars) as Record<string, string | number | Date>));
    } catch {
      return text;
    }
  }
}

/**
 * Like translate, but undefined when the catalog has no `key` or its text cannot be formatted
 * with `vars` (a select or plural whose value is missing), instead of showing the raw text.
 */
export function tryTranslate(locale: string, key: string, vars: Record<string, unknown> = {}): string | undefined {
  const loc = locale in catalogs ? locale : 'en';
  const text = catalogs[loc]![key as MessageKey] ?? catalogs.en![key as MessageKey];
  if (text === undefined) return undefined;
  try {
    return String(formatter(loc, key, text).format(vars as Record<string, string | number | Date>));
  } catch {
    return undefined;
  }
}

/** Whether the catalog (or the English fallback) has `key`. */
export function hasMessage(key: string): boolean {
  return key in catalogs.en!;
}
