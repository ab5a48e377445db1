import { describe, expect, it } from 'vitest';
import { contentLang } from '../../../src/web/i18n/content-language.js';
import { applySettings, languageChoices, withTeacherLanguage } from '../../../src/web/view-models/teacher-unit-forms.js';
import { parseUnit } from '../../../src/learning/unit-import.js';
import linearEquations from '../../../src/learning/samples/linear-equations.json' with { type: 'json' };

describe('content language (WCAG 2.1 SC 3.1.2)', () => {
  it('marks content only when its language differs from the page’s; a region of the same language is the same', () => {
    expect(contentLang('en', 'es')).toBe('en');
    expect(contentLang('en-us', 'es')).toBe('en-US');
    expect(contentLang('es-MX', 'es')).toBeUndefined();
    expect(contentLang('es', 'es')).toBeUndefined();
    expect(contentLang(undefined, 'es')).toBeUndefined();
    expect(contentLang('" onmouseover="x', 'es')).toBeUndefined();
  });

  it('an imported unit without a language takes the teacher’s; one with a language keeps it', () => {
    expect(withTeacherLanguage({ key: 'a' }, 'es')).toEqual({ key: 'a', language: 'es' });
    expect(withTeacherLanguage({ key: 'a', language: 'en' }, 'es')).toEqual({ key: 'a', language: 'en' });
    expect(withTeacherLanguage({ units: [{ key: 'a' }, { key: 'b', language: 'fr' }] }, 'es')).toEqual({
      units: [
        { key: 'a', language: 'es' },
        { key: 'b', language: 'fr' },
      ],
    });
    expect(withTeacherLanguage('not a unit', 'es')).toBe('not a unit');
  });

  it('the settings form sets a well-formed tag, refuses another, and offers each language named in itself', () => {
    const parsed = parseUnit(linearEquations);
    if (!parsed.ok) throw new Error('sample unit is invalid');
    const base = { title: 'T', method: 'average', masteryThreshold: '80', approachingThreshold: '60' };
    expect(applySettings(parsed.unit, { ...base, language: 'es-MX' }).doc.language).toBe('es-MX');
    expect(applySettings(parsed.unit, base).doc.language).toBe('en');
    expect(applySettings(parsed.unit, { ...base, language: 'x y' }).problems).toEqual([
      { path: 'language', message: '"x y" is not a language tag such as en or es-MX' },
    ]);
    expect(languageChoices(['en', 'es'], 'pt-BR')).toEqual([
      { value: 'en', name: 'English', selected: false },
      { value: 'es', name: 'español', selected: false },
      { value: 'pt-BR', name: 'português (Brasil)', selected: true },
    ]);
  });
});
