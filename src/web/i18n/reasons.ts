import type { RecommendationReason } from '../../learning/recommendation.js';
import { translate } from './index.js';

/**
 * Renders the structured reasons of a pathway recommendation through the catalog (`reason.*`):
 * each sentence shows the very numbers the ranking used, in the reader's language.
 */
export function renderReasons(locale: string, reasons: readonly RecommendationReason[]): string {
  return reasons.map((r) => renderReason(locale, r)).join(' ');
}

export function renderReason(locale: string, r: RecommendationReason): string {
  switch (r.code) {
    case 'course_band':
      return translate(locale, 'reason.courseBand', { passed: r.passed, chose: r.chose, band: translate(locale, `reason.band.${r.band}`) });
    case 'course':
      return translate(locale, 'reason.course', { passed: r.passed, chose: r.chose });
    case 'course_none':
      return translate(locale, 'reason.courseNone');
    case 'unit_band':
      return translate(locale, 'reason.unitBand', {
        passed: r.passed,
        chose: r.chose,
        band: translate(locale, `reason.band.${r.band}`),
        verbs: verbs(locale, r.modalities),
        weight: new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(r.weight),
      });
    case 'own':
      return translate(locale, 'reason.own', {
        passed: r.passed,
        tried: r.tried,
        expected: new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(r.expected),
        verbs: verbs(locale, r.modalities),
      });
    case 'exploring':
      return translate(locale, 'reason.exploring');
    case 'preference':
      return translate(locale, 'reason.preference', { verb: translate(locale, `reason.verb.${r.modality}`) });
  }
}

/** "watching or reading": the kinds of a pathway, as the reader's language lists alternatives. */
function verbs(locale: string, modalities: readonly string[]): string {
  const words = modalities.map((m) => translate(locale, `reason.verb.${m}`));
  return new Intl.ListFormat(locale in { en: 1, es: 1 } ? locale : 'en', { type: 'disjunction' }).format(words);
}
