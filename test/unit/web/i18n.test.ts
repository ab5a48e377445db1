import { readFileSync } from 'node:fs';
import { IntlMessageFormat } from 'intl-messageformat';
import { describe, expect, it } from 'vitest';
import { translate, type Catalog } from '../../../src/web/i18n/index.js';
import { localizeExplanation } from '../../../src/web/i18n/explanations.js';

const load = (locale: string) =>
  JSON.parse(readFileSync(new URL(`../../../src/web/i18n/locales/${locale}.json`, import.meta.url), 'utf8')) as Record<string, string>;
const en = load('en');
const es = load('es');

describe('i18n catalogs: JSON per locale, ICU MessageFormat', () => {
  it('Spanish has exactly the English keys', () => {
    expect(Object.keys(es).filter((k) => !(k in en))).toEqual([]);
    expect(Object.keys(en).filter((k) => !(k in es))).toEqual([]);
  });

  it('a catalog missing a key is a type error (the English catalog is the type)', () => {
    const { 'app.name': _dropped, ...rest } = en as Catalog;
    // @ts-expect-error — 'app.name' is missing
    const incomplete: Catalog = rest;
    expect(Object.keys(incomplete)).not.toContain('app.name');
  });

  it('every message in both locales is valid ICU MessageFormat', () => {
    for (const [locale, catalog] of [
      ['en', en],
      ['es', es],
    ] as const) {
      for (const [key, text] of Object.entries(catalog)) {
        expect(() => new IntlMessageFormat(text, locale, undefined, { ignoreTag: true }), `${locale} ${key}`).not.toThrow();
      }
    }
  });

  it('plural rules per locale instead of "problem(s)"', () => {
    expect(translate('en', 'teacher.problems.title', { count: 1 })).toBe('Not saved: 1 problem to fix');
    expect(translate('en', 'teacher.problems.title', { count: 3 })).toBe('Not saved: 3 problems to fix');
    expect(translate('es', 'teacher.problems.title', { count: 1 })).toBe('No se guardó: 1 problema por corregir');
    expect(translate('es', 'teacher.problems.title', { count: '2' })).toBe('No se guardó: 2 problemas por corregir');
    expect(translate('es', 'teacher.home.competencies', { count: 1 })).toBe('1 competencia');
    expect(translate('en', 'admin.retention.summary', { courses: 1, people: 2 })).toBe('Now: 1 course and 2 people would be deleted.');
    expect(translate('es', 'admin.retention.summary', { courses: 2, people: 1 })).toBe('Ahora se borrarían 2 cursos y 1 persona.');
    // Handlebars hash values from a query string arrive as strings: still plural numbers.
    expect(translate('es', 'teacher.attention.idle', { days: '1' })).toBe('sin avances durante 1 día o más');
  });

  it('numbers follow the locale: 0,30 in Spanish, 0.30 in English', () => {
    const explanation = {
      kind: 'value',
      level: 'approaching',
      method: 'average',
      value: 0.3,
      masteryThreshold: 0.8,
      approachingThreshold: 0.25,
      count: 2,
      counting: 'attempt',
    } as const;
    expect(localizeExplanation('en', explanation)).toBe('approaching: average 0.30 < 0.80 (approaching from 0.25) over 2 attempts');
    const spanish = localizeExplanation('es', explanation);
    expect(spanish).toContain('0,30');
    expect(spanish).toContain('< 0,80');
    expect(spanish).not.toContain('0.30');
    // Percentages as the locale writes them: "67 %" (a no-break space) in Spanish, "67%" in English.
    expect(translate('es', 'student.result.score', { correct: 2, count: 3, share: 2 / 3 })).toBe('2 de 3 respuestas del todo correctas (67\u00a0%).');
    expect(translate('en', 'student.result.score', { correct: 2, count: 3, share: 2 / 3 })).toBe('2 of 3 answers fully right (67%).');
    expect(translate('en', 'student.result.score', { correct: 1, count: 1, share: 1 })).toBe('1 of 1 answer fully right (100%).');
  });

  it('unknown keys show the key; a message missing its arguments shows its text, not an error', () => {
    expect(translate('es', 'no.such.key')).toBe('no.such.key');
    expect(translate('es', 'teacher.problems.title')).toContain('{count, plural');
    expect(translate('fr', 'app.name')).toBe('Pathwise');
  });
});
