import { pseudonymCode } from '../../privacy/pseudonym.js';
import type { ClassMember, UnitProgressRow } from '../../store/class-list-repository.js';
import { translate } from '../i18n/index.js';

/** A placed unit as the Class page counts it: the competencies it has now. */
export interface ClassUnit {
  id: string;
  title: string;
  competencyIds: string[];
}

export interface ClassProgress {
  mastered: UnitProgressRow[];
  activity: { userId: string; unitId: string; at: Date }[];
  attention: Set<string>;
}

/** "Student 3FA9C2": the pseudonym a teacher sees for `userId`, in the page's language. */
export function pseudonymName(userId: string, locale: string): string {
  return translate(locale, 'pseudonym.person', { code: pseudonymCode(userId) });
}

/**
 * The name a teacher sees: the stored name, or — when privacy.storeNames is off — a pseudonym
 * ("Student 3FA9C2"), never the LMS's own id.
 */
export function memberName(m: Pick<ClassMember, 'userId' | 'name' | 'givenName' | 'familyName' | 'sub'>, namesShown: boolean, locale: string): string {
  if (!namesShown) return pseudonymName(m.userId, locale);
  return m.name ?? ([m.givenName, m.familyName].filter(Boolean).join(' ') || pseudonymName(m.userId, locale));
}

/** One row per member: role, LMS status, last launch, and per unit mastered/total and last activity. */
export function classRows(
  members: ClassMember[],
  units: ClassUnit[],
  progress: ClassProgress,
  opts: { namesShown: boolean; locale: string; when: (d: Date | null) => string },
) {
  const mastered = new Map<string, number>();
  const current = new Map(units.map((u) => [u.id, new Set(u.competencyIds)]));
  for (const r of progress.mastered) {
    if (!current.get(r.unitId)?.has(r.competencyId)) continue;
    const k = `${r.userId}|${r.unitId}`;
    mastered.set(k, (mastered.get(k) ?? 0) + 1);
  }
  const activity = new Map(progress.activity.map((a) => [`${a.userId}|${a.unitId}`, a.at]));
  return members.map((m) => {
    const learner = m.role === 'learner';
    return {
      userId: m.userId,
      name: memberName(m, opts.namesShown, opts.locale),
      learner,
      roleKey: `teacher.class.role.${m.role}`,
      statusKey: `teacher.class.status.${m.status}`,
      inactive: m.status !== 'Active',
      lastLaunch: m.lastLaunchAt ? opts.when(m.lastLaunchAt) : null,
      attention: progress.attention.has(m.userId),
      units: units.map((u) => {
        const at = activity.get(`${m.userId}|${u.id}`) ?? null;
        return { learner, mastered: mastered.get(`${m.userId}|${u.id}`) ?? 0, total: u.competencyIds.length, lastActivity: at ? opts.when(at) : null };
      }),
    };
  });
}

/** Page numbers for a pager: the first, the last, and two either side of the current one. */
export function pageWindow(page: number, pages: number): (number | null)[] {
  const out: (number | null)[] = [];
  for (let p = 1; p <= pages; p++) {
    if (p === 1 || p === pages || Math.abs(p - page) <= 2) out.push(p);
    else if (out[out.length - 1] !== null) out.push(null);
  }
  return out;
}
