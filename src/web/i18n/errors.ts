import type { AppError } from '../../shared/errors.js';
import { translate, tryTranslate } from './index.js';

/**
 * What a person reads for an error, in `locale`: the catalog's errors.<code>.message and .help
 * (with the error's params) when the catalog has them, else the error's own English words. An
 * error not meant to be shown (expose: false) reads as the generic "could not complete" text.
 * Every code the code base raises has its catalog text: test/unit/web/error-catalog.test.ts.
 */
export function localizeError(err: AppError, locale: string): { message: string; help?: string } {
  if (!err.expose) return { message: translate(locale, 'error.internal.body') };
  const key = `errors.${err.code}`;
  // `variant` names which of a code's cases this is; a site that names none is the usual case (`other`).
  const params = { variant: 'other', ...err.params };
  const message = tryTranslate(locale, `${key}.message`, params) ?? err.message;
  const help = tryTranslate(locale, `${key}.help`, params) ?? err.help;
  return help ? { message, help } : { message };
}
