import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/shared/errors.js';
import { localizeError } from '../../../src/web/i18n/errors.js';
import { findRaisedErrorCodes, type RaiseSite } from '../../support/error-codes.js';

const load = (locale: string) =>
  JSON.parse(readFileSync(new URL(`../../../src/web/i18n/locales/${locale}.json`, import.meta.url), 'utf8')) as Record<string, string>;
const en = load('en');
const es = load('es');

const { sites, unresolved } = findRaisedErrorCodes(fileURLToPath(new URL('../../../src', import.meta.url)));
const byCode = new Map<string, RaiseSite[]>();
for (const s of sites) byCode.set(s.code, [...(byCode.get(s.code) ?? []), s]);
const shown = [...byCode].filter(([, at]) => at.some((s) => s.exposed));

describe('every error code a person can meet has its text in every language', () => {
  it('finds the codes raised through every wrapper, and every code is written out where it is raised', () => {
    expect(unresolved).toEqual([]);
    // Through invalid/notFound, launchError, a login's invalidLogin and registration's refuse(code).
    for (const code of ['admin_api_disabled', 'invalid_nonce', 'missing_login_hint', 'invite_used', 'item_not_found', 'ags_refused', 'csrf_failed']) {
      expect(byCode.has(code), code).toBe(true);
    }
    expect(byCode.get('internal_error')?.every((s) => !s.exposed)).toBe(true);
    expect(shown.length).toBeGreaterThan(100);
  });

  it('each shown code has a message in the catalogs, in Spanish words of its own', () => {
    const missing = shown.filter(([code]) => !(`errors.${code}.message` in en)).map(([code, at]) => `${code} (${at[0]!.at})`);
    expect(missing).toEqual([]);
    const untranslated = shown.map(([code]) => `errors.${code}.message`).filter((k) => es[k] === en[k]);
    expect(untranslated).toEqual([]);
  });

  it('a code raised with a next step has that help in the catalogs (or a Spanish page would show English help)', () => {
    const missing = shown
      .filter(([code, at]) => at.some((s) => s.help) && !(`errors.${code}.help` in en))
      .map(([code, at]) => `${code} (${at.find((s) => s.help)!.at})`);
    expect(missing).toEqual([]);
    const untranslated = shown.map(([code]) => `errors.${code}.help`).filter((k) => k in en && es[k] === en[k]);
    expect(untranslated).toEqual([]);
  });

  it('the catalogs hold no error text for a code nothing raises', () => {
    const codes = new Set(Object.keys(en).flatMap((k) => /^errors\.(.+)\.(message|help)$/.exec(k)?.[1] ?? []));
    expect([...codes].filter((c) => !byCode.has(c))).toEqual([]);
  });
});

describe('localizeError', () => {
  it('fills the catalog text with the error params, per case of a code', () => {
    const unit = (variant?: string) => new AppError('unit_not_found', 'x', { kind: 'not_found', params: variant ? { variant } : undefined });
    expect(localizeError(unit('course'), 'es')).toEqual({
      message: 'Esta unidad no forma parte de tu curso.',
      help: 'Vuelve al inicio del curso y elige una de sus unidades.',
    });
    expect(localizeError(unit(), 'es').message).toBe('Esta unidad no existe.');
    expect(localizeError(unit('none'), 'en').message).toBe('This course has no unit yet.');
    const refused = new AppError('ags_refused', 'Sending the score failed: lms.example answered 404 Not Found — {"error":"gone"}', {
      kind: 'invalid',
      params: { status: 404 },
    });
    expect(localizeError(refused, 'es').message).toBe('El LMS rechazó la solicitud de calificaciones (HTTP 404).');
  });

  it('a catalog text whose params are missing falls back to the error’s own words, never the raw ICU text', () => {
    const err = new AppError('invalid_unit', 'The unit has 2 problems.', { kind: 'invalid', help: 'Fix them.' });
    expect(localizeError(err, 'es').message).toBe('The unit has 2 problems.');
    expect(localizeError(err, 'es').help).toBe('Corrige cada problema en la ruta indicada y vuelve a importar el archivo. No se importó nada.');
  });

  it('hides what an internal error says', () => {
    const err = new AppError('internal_error', 'secret detail', { kind: 'internal' });
    expect(localizeError(err, 'es').message).not.toContain('secret');
    expect(localizeError(err, 'es').help).toBeUndefined();
  });
});
