import { pseudonymName } from './class-list.js';
import { MASTERY_LEVELS, type MasteryLevel } from '../../learning/mastery/level.js';
import { localizeExplanation } from '../i18n/explanations.js';
import type { MasteryRecord } from '../../learning/ports.js';
import type { UnitDocument } from '../../learning/unit-schema.js';
import type { RosterEntry } from '../../store/roster-repository.js';
import type { ClassAttempt, OpenHelpRequest } from '../routes/teacher/queries.js';
import { wilsonInterval } from './pathway-chart.js';

/** Levels shown by a symbol and a border pattern as well as colour (WCAG 1.4.1: not colour alone). */
export const LEVEL_SYMBOL: Record<MasteryLevel, string> = { not_started: '○', developing: '◔', approaching: '◑', mastered: '●' };

export interface ClassData {
  unit: UnitDocument;
  learners: RosterEntry[];
  mastery: MasteryRecord[];
  attempts: ClassAttempt[];
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
export function classGrid(data: ClassData, filters: Filters, locale = 'en') {
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
          explanation: localizeExplanation(locale, m?.explanation ?? ''),
        };
      }),
      mastered: data.unit.competencies.filter((c) => levelOf(idx, l.userId, c.id) === 'mastered').length,
    }));
  const counts = Object.fromEntries(MASTERY_LEVELS.map((lv) => [lv, 0])) as Record<MasteryLevel, number>;
  for (const r of rows) for (const c of r.cells) counts[c.level] += 1;
  return { competencies: competencies.map((c) => ({ id: c.id, title: c.title })), rows, counts };
}

export type AttentionReason = 'failed_twice' | 'idle' | 'asked_help' | 'not_started';

/** Who needs the teacher: failed the last two tries, no progress for N days, asked for help, not started. */
export function needsAttention(data: ClassData, locale = 'en') {
  const idx = masteryIndex(data.mastery);
  const titles = new Map(data.unit.competencies.map((c) => [c.id, c.title]));
  const out: { userId: string; name: string; reason: AttentionReason; competency: string | null; detail: string; since: Date | null }[] = [];
  // Each learner's attempts and help requests, grouped in one pass (in their order): scanning the
  // whole class's attempts once per learner made the dashboard grow with the square of the class.
  const attemptsOf = groupBy(data.attempts);
  const helpOf = groupBy(data.help);
  for (const l of data.learners) {
    const mine = attemptsOf.get(l.userId) ?? [];
    const name = displayName(l, locale);
    for (const c of data.unit.competencies) {
      const submitted = mine.filter((a) => a.competencyId === c.id && a.status === 'submitted');
      const lastTwo = submitted.slice(-2);
      if (lastTwo.length === 2 && lastTwo.every((a) => a.passed === false) && levelOf(idx, l.userId, c.id) !== 'mastered') {
        out.push({ userId: l.userId, name, reason: 'failed_twice', competency: c.title, detail: '', since: lastTwo[1]!.submittedAt });
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
      const stuck = [...new Set(data.attempts.filter((a) => a.competencyId === c.id && a.passed === false).map((a) => a.userId))].filter(
        (u) => names.has(u) && levelOf(idx, u, c.id) !== 'mastered',
      );
      return { competencyId: c.id, competency: c.title, members: stuck.map((u) => ({ userId: u, name: names.get(u)! })) };
    })
    .filter((g) => g.members.length >= 2);
}

/** Which pathways work: per pathway, students whose first submitted check followed it, how many passed it, and the 95 % Wilson interval of that rate. */
export function pathwayOutcomes(data: ClassData) {
  const onRoster = new Set(data.learners.map((l) => l.userId));
  return data.unit.competencies.map((c) => {
    const first = new Map<string, ClassAttempt>();
    for (const a of data.attempts) {
      if (a.competencyId === c.id && a.status === 'submitted' && onRoster.has(a.userId) && !first.has(a.userId)) first.set(a.userId, a);
    }
    const pathways = c.pathways.map((p) => {
      const chose = [...first.values()].filter((a) => a.pathwayId === p.id);
      const passed = chose.filter((a) => a.passed).length;
      const ci = wilsonInterval(passed, chose.length);
      // Shares of 0–1: the page writes them as percentages the locale's way.
      return {
        id: p.id,
        title: p.title,
        chose: chose.length,
        passed,
        share: chose.length ? passed / chose.length : null,
        low: ci?.low ?? null,
        high: ci?.high ?? null,
      };
    });
    return { competencyId: c.id, competency: c.title, pathways, any: pathways.some((p) => p.chose > 0) };
  });
}
