import { pseudonymName } from './class-list.js';
import { MASTERY_LEVELS, type MasteryLevel } from '../../learning/mastery/level.js';
import { localizeExplanation } from '../i18n/explanations.js';
import type { MasteryRecord } from '../../learning/ports.js';
import type { StoredExplanation } from '../../learning/mastery/explanation.js';
import type { UnitDocument } from '../../learning/unit-schema.js';
import type { RosterEntry } from '../../store/roster-repository.js';
import type { ClassAttempt, ClassChecks, OpenHelpRequest } from '../routes/teacher/queries.js';
import { wilsonInterval } from './pathway-chart.js';

/** Levels shown by a symbol and a border pattern as well as colour (WCAG 1.4.1: not colour alone). */
export const LEVEL_SYMBOL: Record<MasteryLevel, string> = { not_started: '○', developing: '◔', approaching: '◑', mastered: '●' };

export interface ClassData {
  unit: UnitDocument;
  learners: RosterEntry[];
  mastery: MasteryRecord[];
  /** The class's checks, aggregated (TeacherQueries.classChecks; `classChecksOf` for a list of attempts). */
  checks: ClassChecks;
  help: OpenHelpRequest[];
  lastActivity: Map<string, Date>;
  now: Date;
  /** "No progress for N days". */
  idleDays: number;
}

export interface Filters {
  level?: MasteryLevel;
  competencyId?: string;
  search?: string;
}

/** The name a teacher sees; without a stored name (privacy.storeNames off), a stable pseudonym, never the LMS id. */
export const displayName = (l: Pick<RosterEntry, 'name' | 'givenName' | 'familyName' | 'userId'>, locale = 'en'): string =>
  l.name ?? ([l.givenName, l.familyName].filter(Boolean).join(' ') || pseudonymName(l.userId, locale));

/** learner → competency → current mastery record. */
function masteryIndex(mastery: MasteryRecord[]): Map<string, Map<string, MasteryRecord>> {
  const out = new Map<string, Map<string, MasteryRecord>>();
  for (const m of mastery) {
    if (!out.has(m.userId)) out.set(m.userId, new Map());
    out.get(m.userId)!.set(m.competencyId, m);
  }
  return out;
}

export const levelOf = (idx: Map<string, Map<string, MasteryRecord>>, userId: string, competencyId: string): MasteryLevel =>
  idx.get(userId)?.get(competencyId)?.level ?? 'not_started';

/** The roster × competencies grid, filtered. A level filter keeps students with that level on the chosen competency (or any). */
export function classGrid(data: ClassData, filters: Filters, locale = 'en', options: { explain?: boolean } = {}) {
  // Localizing every cell's explanation is most of the grid's cost on a large class: a caller that
  // shows one page of rows asks for none here and explains that page (`explainRows`).
  const explain = options.explain ?? true;
  const idx = masteryIndex(data.mastery);
  const competencies = data.unit.competencies.filter((c) => !filters.competencyId || c.id === filters.competencyId);
  const q = filters.search?.trim().toLowerCase() ?? '';
  const rows = data.learners
    .filter((l) => !q || displayName(l, locale).toLowerCase().includes(q) || (l.email ?? '').toLowerCase().includes(q))
    .filter((l) => !filters.level || competencies.some((c) => levelOf(idx, l.userId, c.id) === filters.level))
    .map((l) => ({
      userId: l.userId,
      name: displayName(l, locale),
      cells: competencies.map((c) => {
        const m = idx.get(l.userId)?.get(c.id);
        const level = m?.level ?? 'not_started';
        return {
          competencyId: c.id,
          level,
          levelKey: `teacher.level.${level}`,
          symbol: LEVEL_SYMBOL[level],
          overridden: m?.overridden ?? false,
          explanation: (explain ? localizeExplanation(locale, m?.explanation ?? '') : (m?.explanation ?? '')) as StoredExplanation,
        };
      }),
      mastered: data.unit.competencies.filter((c) => levelOf(idx, l.userId, c.id) === 'mastered').length,
    }));
  const counts = Object.fromEntries(MASTERY_LEVELS.map((lv) => [lv, 0])) as Record<MasteryLevel, number>;
  for (const r of rows) for (const c of r.cells) counts[c.level] += 1;
  return { competencies: competencies.map((c) => ({ id: c.id, title: c.title })), rows, counts };
}

/** Rows of a grid made with `explain: false`, their cells' explanations localized. */
export function explainRows<R extends { cells: { explanation: StoredExplanation }[] }>(rows: R[], locale = 'en'): R[] {
  return rows.map((r) => ({ ...r, cells: r.cells.map((c) => ({ ...c, explanation: localizeExplanation(locale, c.explanation) })) }));
}

export type AttentionReason = 'failed_twice' | 'idle' | 'asked_help' | 'not_started';

/** Who needs the teacher: failed the last two tries, no progress for N days, asked for help, not started. */
export function needsAttention(data: ClassData, locale = 'en') {
  const idx = masteryIndex(data.mastery);
  const titles = new Map(data.unit.competencies.map((c) => [c.id, c.title]));
  const out: { userId: string; name: string; reason: AttentionReason; competency: string | null; detail: string; since: Date | null }[] = [];
  // Each learner's failed competencies and help requests, grouped in one pass: scanning the whole
  // class once per learner made the dashboard grow with the square of the class.
  const failedTwiceOf = groupBy(data.checks.failedTwice);
  const helpOf = groupBy(data.help);
  for (const l of data.learners) {
    const failed = new Map((failedTwiceOf.get(l.userId) ?? []).map((f) => [f.competencyId, f.since]));
    const name = displayName(l, locale);
    for (const c of data.unit.competencies) {
      const since = failed.get(c.id);
      if (since !== undefined && levelOf(idx, l.userId, c.id) !== 'mastered') {
        out.push({ userId: l.userId, name, reason: 'failed_twice', competency: c.title, detail: '', since });
      }
    }
    for (const h of helpOf.get(l.userId) ?? []) {
      out.push({
        userId: l.userId,
        name,
        reason: 'asked_help',
        competency: titles.get(h.competencyId) ?? h.competencyId,
        detail: h.message,
        since: h.createdAt,
      });
    }
    const last = data.lastActivity.get(l.userId);
    const allMastered = data.unit.competencies.every((c) => levelOf(idx, l.userId, c.id) === 'mastered');
    if (!last && !idx.has(l.userId)) {
      out.push({ userId: l.userId, name, reason: 'not_started', competency: null, detail: '', since: null });
    } else if (last && !allMastered && data.now.getTime() - last.getTime() >= data.idleDays * 86_400_000) {
      out.push({ userId: l.userId, name, reason: 'idle', competency: null, detail: '', since: last });
    }
  }
  return out;
}

/** Rows grouped by their userId, each group in the rows' order. */
function groupBy<T extends { userId: string }>(rows: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const list = out.get(r.userId);
    if (list) list.push(r);
    else out.set(r.userId, [r]);
  }
  return out;
}

/** Students stuck on the same competency (failed it at least once, not mastered yet): groups of two or more. */
export function smallGroups(data: ClassData, locale = 'en') {
  const idx = masteryIndex(data.mastery);
  const names = new Map(data.learners.map((l) => [l.userId, displayName(l, locale)]));
  return data.unit.competencies
    .map((c) => {
      const stuck = data.checks.failedOnce
        .filter((f) => f.competencyId === c.id)
        .map((f) => f.userId)
        .filter((u) => names.has(u) && levelOf(idx, u, c.id) !== 'mastered');
      return { competencyId: c.id, competency: c.title, members: stuck.map((u) => ({ userId: u, name: names.get(u)! })) };
    })
    .filter((g) => g.members.length >= 2);
}

/** Which pathways work: per pathway, students whose first submitted check followed it, how many passed it, and the 95 % Wilson interval of that rate. */
export function pathwayOutcomes(data: ClassData) {
  const counts = new Map(data.checks.firstChecks.map((f) => [`${f.competencyId}\u0000${f.pathwayId}`, f]));
  return data.unit.competencies.map((c) => {
    const pathways = c.pathways.map((p) => {
      const { chose, passed } = counts.get(`${c.id}\u0000${p.id}`) ?? { chose: 0, passed: 0 };
      const ci = wilsonInterval(passed, chose);
      // Shares of 0–1: the page writes them as percentages the locale's way.
      return {
        id: p.id,
        title: p.title,
        chose,
        passed,
        share: chose ? passed / chose : null,
        low: ci?.low ?? null,
        high: ci?.high ?? null,
      };
    });
    return { competencyId: c.id, competency: c.title, pathways, any: pathways.some((p) => p.chose > 0) };
  });
}

/**
 * What TeacherQueries.classChecks computes in the database, from a list of attempts in their order
 * (by submission, else start): the reference the database's version is tested against.
 */
export function classChecksOf(attempts: readonly ClassAttempt[], learnerIds: Iterable<string>): ClassChecks {
  const onRoster = new Set(learnerIds);
  const key = (a: ClassAttempt) => `${a.userId}\u0000${a.competencyId}`;
  const submitted = new Map<string, ClassAttempt[]>();
  const failedOnce = new Map<string, { userId: string; competencyId: string }>();
  const first = new Map<string, ClassAttempt>();
  for (const a of attempts) {
    if (a.passed === false && !failedOnce.has(key(a))) failedOnce.set(key(a), { userId: a.userId, competencyId: a.competencyId });
    if (a.status !== 'submitted') continue;
    const list = submitted.get(key(a));
    if (list) list.push(a);
    else submitted.set(key(a), [a]);
    if (onRoster.has(a.userId) && !first.has(key(a))) first.set(key(a), a);
  }
  const failedTwice: ClassChecks['failedTwice'] = [];
  for (const list of submitted.values()) {
    const lastTwo = list.slice(-2);
    if (lastTwo.length === 2 && lastTwo.every((a) => a.passed === false)) {
      failedTwice.push({ userId: lastTwo[1]!.userId, competencyId: lastTwo[1]!.competencyId, since: lastTwo[1]!.submittedAt! });
    }
  }
  const firstChecks = new Map<string, ClassChecks['firstChecks'][number]>();
  for (const a of first.values()) {
    const k = `${a.competencyId}\u0000${a.pathwayId}`;
    const f = firstChecks.get(k) ?? { competencyId: a.competencyId, pathwayId: a.pathwayId, chose: 0, passed: 0 };
    f.chose += 1;
    if (a.passed) f.passed += 1;
    firstChecks.set(k, f);
  }
  return { failedTwice, failedOnce: [...failedOnce.values()], firstChecks: [...firstChecks.values()] };
}
