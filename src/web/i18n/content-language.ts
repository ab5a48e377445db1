import { primaryLanguage } from './index.js';

/**
 * The `lang` a piece of teacher-written content needs on a page in `pageLocale`: its own language
 * (a unit's `language`, BCP 47) when that is a different language from the page's, else nothing.
 * WCAG 2.1 SC 3.1.2 Language of Parts (https://www.w3.org/WAI/WCAG21/Understanding/language-of-parts):
 * a screen reader then reads an English unit on a Spanish page with English pronunciation. A
 * region such as es-MX on an es page is the same language and needs no mark; a tag that is not
 * well-formed BCP 47 is not repeated into the page.
 */
export function contentLang(tag: unknown, pageLocale: string): string | undefined {
  const canonical = typeof tag === 'string' ? canonicalLanguageTag(tag) : undefined;
  if (!canonical) return undefined;
  return primaryLanguage(canonical) === primaryLanguage(pageLocale) ? undefined : canonical;
}

/** The canonical form of a well-formed BCP 47 tag ("en-us" is "en-US"); undefined for anything else, "" included. */
export function canonicalLanguageTag(tag: string): string | undefined {
  try {
    return Intl.getCanonicalLocales(tag)[0];
  } catch {
    return undefined;
  }
}
