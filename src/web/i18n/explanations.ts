import type { MasteryExplanation, StoredExplanation } from '../../learning/mastery/explanation.js';
import { formatDay } from './format.js';
import { translate } from './index.js';

/*
 * The learning engine returns mastery explanations as data (src/learning/mastery/explanation.ts):
 * the level, the method, the estimate and the thresholds it was compared with, the evidence it
 * rests on. This puts them into words from the catalog (`explain.*`), numbers the locale's way.
 */

const level = (locale: string, l: string) => translate(locale, `explain.level.${l}`);
const over = (locale: string, count: number, counting: 'attempt' | 'answer') =>
  translate(locale, `explain.over.${counting}.${count === 1 ? 'one' : 'other'}`, { count });

function words(locale: string, e: MasteryExplanation): string {
  switch (e.kind) {
    case 'not_started':
      return translate(locale, 'explain.notStarted');
    case 'n_mastery':
      return translate(locale, 'explain.nMastery', {
        level: level(locale, e.level),
        qualifying: e.qualifying,
        n: e.n,
        threshold: e.threshold,
        over: over(locale, e.count, 'attempt'),
      });
    case 'override': {
      const by = e.by === null ? translate(locale, 'explain.override.byTeacher') : translate(locale, 'explain.override.byName', { name: e.by });
      return translate(locale, 'explain.override', {
        level: level(locale, e.level),
        by,
        date: formatDay(locale, e.date),
        reason: e.reason,
        calculated: words(locale, e.calculated),
      });
    }
    case 'value': {
      // The level named is the one the value and thresholds give (the engine's levelFor).
      const comparison =
        e.level === 'mastered'
          ? translate(locale, 'explain.cmp.mastered', { mastery: e.masteryThreshold })
          : e.level === 'approaching'
            ? translate(locale, 'explain.cmp.approaching', { mastery: e.masteryThreshold, approaching: e.approachingThreshold })
            : translate(locale, 'explain.cmp.developing', { approaching: e.approachingThreshold });
      const text = translate(locale, 'explain.value', {
        level: level(locale, e.level),
        method: translate(locale, `explain.method.${e.method}`),
        value: e.value,
        comparison,
        over: over(locale, e.count, e.counting),
      });
      if (!e.answers) return text;
      const a = e.answers;
      const withAnswers = translate(locale, 'explain.answers', {
        text,
        right: a.right,
        wrong: a.wrong,
        unitRight: a.unitRight,
        unitCount: a.unitRight + a.unitWrong,
      });
      if (!e.streak) return withAnswers;
      return translate(locale, `explain.streak.${e.streak.right ? 'right' : 'wrong'}`, { text: withAnswers, count: e.streak.count, shift: e.streak.shift });
    }
  }
}

/**
 * A mastery explanation in `locale`. Rows saved before explanations were structured hold the
 * English words of that time: they are shown as they are.
 */
export function localizeExplanation(locale: string, explanation: StoredExplanation | null | undefined): string {
  if (explanation === null || explanation === undefined) return translate(locale, 'explain.notStarted');
  return typeof explanation === 'string' ? explanation : words(locale, explanation);
}
