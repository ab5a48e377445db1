import { translate } from './index.js';

/*
 * The learning engine words its mastery explanations (src/learning/mastery/estimate.ts explain(),
 * override.ts applyOverride()) in English, and they are stored in the mastery history. (Pathway
 * reasons are structured and rendered by reasons.ts.) These functions recognise that finite set of
 * shapes and rebuild them from the catalog (`explain.*`), so old rows translate too.
 * The English catalog reproduces the engine's text byte for byte; anything unrecognised passes
 * through unchanged.
 */

const LEVEL = '(not_started|developing|approaching|mastered)';
const NUM = '(\\d+(?:\\.\\d+)?)';
const METHODS: Record<string, string> = {
  'decaying average': 'decaying_average',
  'highest score': 'highest',
  'latest score': 'latest',
  average: 'average',
  'n mastery': 'n_mastery',
  'knowledge tracing P(knows)': 'bkt',
  'chance of a right next answer': 'pfa',
};
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const METHOD = `(${Object.keys(METHODS).map(escape).join('|')})`;
const OVER = `over (\\d+) (attempt|answer)s?`;

const NOT_STARTED = 'not started: no mastery check submitted yet';
const N_MASTERY = new RegExp(`^${LEVEL}: (\\d+) of (\\d+) scores at or above ${NUM} needed \\(n mastery\\) ${OVER}$`);
const VALUE = new RegExp(
  `^${LEVEL}: ${METHOD} ${NUM} (≥ ${NUM}|< ${NUM} \\(approaching from ${NUM}\\)|< ${NUM}) ${OVER}$`,
);
const OVERRIDE = /^(not_started|developing|approaching|mastered): set by (.*) on (\d{4}-\d{2}-\d{2}) \(“([\s\S]*)”\); calculated ([\s\S]*)$/;

function over(locale: string, count: string, unit: string): string {
  return translate(locale, `explain.over.${unit}.${count === '1' ? 'one' : 'other'}`, { count });
}

const level = (locale: string, l: string) => translate(locale, `explain.level.${l}`);

/** Translates a mastery explanation produced by the engine; unknown text is returned unchanged. */
export function localizeExplanation(locale: string, text: string): string {
  if (text === NOT_STARTED) return translate(locale, 'explain.notStarted');
  let m = OVERRIDE.exec(text);
  if (m) {
    const [, lv, who, date, reason, calculated] = m as unknown as [string, string, string, string, string, string];
    const by = who === 'a teacher' ? translate(locale, 'explain.override.byTeacher') : translate(locale, 'explain.override.byName', { name: who });
    return translate(locale, 'explain.override', { level: level(locale, lv), by, date, reason, calculated: localizeExplanation(locale, calculated) });
  }
  m = N_MASTERY.exec(text);
  if (m) {
    const [, lv, qualifying, n, threshold, count, unit] = m as unknown as string[];
    return translate(locale, 'explain.nMastery', { level: level(locale, lv!), qualifying, n, threshold, over: over(locale, count!, unit!) });
  }
  m = VALUE.exec(text);
  if (m) {
    const [, lv, method, value, , geMastery, ltMastery, from, ltApproaching, count, unit] = m as unknown as (string | undefined)[];
    const comparison =
      geMastery !== undefined
        ? translate(locale, 'explain.cmp.mastered', { mastery: geMastery })
        : ltMastery !== undefined
          ? translate(locale, 'explain.cmp.approaching', { mastery: ltMastery, approaching: from })
          : translate(locale, 'explain.cmp.developing', { approaching: ltApproaching });
    return translate(locale, 'explain.value', {
      level: level(locale, lv!),
      method: translate(locale, `explain.method.${METHODS[method!]}`),
      // A number, so it is written the locale's way (0,3 in Spanish).
      value: Number(value),
      comparison,
      over: over(locale, count!, unit!),
    });
  }
  return text;
}
