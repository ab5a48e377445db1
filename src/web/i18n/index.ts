import { en } from './en.js';
import { es } from './es.js';
import { adminEn } from './admin-en.js';
import { adminEs } from './admin-es.js';

const catalogs: Record<string, Record<string, string>> = { en: { ...en, ...adminEn }, es: { ...es, ...adminEs } };
export const SUPPORTED_LOCALES = Object.keys(catalogs);

/** Picks a supported locale from a BCP 47 tag such as "es-MX" (from launch_presentation.locale). */
export function resolveLocale(tag: string | undefined | null): string {
  const lang = (tag ?? '').toLowerCase().split(/[-_]/)[0] ?? '';
  return lang in catalogs ? lang : 'en';
}

/** Translates `key` into `locale`, interpolating `{name}` placeholders; unknown keys show the key. */
export function translate(locale: string, key: string, vars: Record<string, unknown> = {}): string {
  const text = catalogs[locale]?.[key] ?? catalogs.en![key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name: string) => (name in vars ? String(vars[name]) : `{${name}}`));
}

/** Whether the catalog (or the English fallback) has `key`. */
export function hasMessage(key: string): boolean {
  return key in catalogs.en!;
}
