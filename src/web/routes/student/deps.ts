import type { Response } from 'express';
import { notFound } from '../../../shared/errors.js';
import type { Competency, UnitDocument } from '../../../learning/unit-schema.js';
import { ProfileRepository } from '../../../store/profile-repository.js';
import { StudentWorkRepository } from '../../../store/student-work-repository.js';
import { UnitRepository } from '../../../store/unit-repository.js';
import type { AppContext } from '../../context.js';
import type { StudentScope } from './scope.js';

/** What the student routers share: the context and the repositories they read with. */
export interface StudentDeps {
  ctx: AppContext;
  work: StudentWorkRepository;
  units: UnitRepository;
  profiles: ProfileRepository;
}

export function studentDeps(ctx: AppContext): StudentDeps {
  return { ctx, work: new StudentWorkRepository(ctx.db), units: new UnitRepository(ctx.db), profiles: new ProfileRepository(ctx.db) };
}

/** The placed unit's document. */
export async function unitDocument(deps: StudentDeps, scope: StudentScope): Promise<UnitDocument> {
  const unit = await deps.units.findById(scope.unitId);
  if (!unit) throw notFound('unit_not_found', 'This unit does not exist.', 'Ask your teacher to check the placement.');
  return unit.document;
}

/** A competency of the placed unit; any other id is not found (an id from another unit included). */
export function competencyOf(unit: UnitDocument, competencyId: string): Competency {
  const c = unit.competencies.find((x) => x.id === competencyId);
  if (!c) throw notFound('competency_not_found', 'This competency is not part of the unit.', 'Go back to the unit map.');
  return c;
}

/** Notices a redirect may name (?notice=…); anything else is ignored. */
const NOTICES = new Set([
  'pathway_chosen',
  'resource_marked',
  'help_requested',
  'answers_saved',
  'reflection_saved',
  'profile_saved',
  'goal_added',
  'goal_updated',
]);

/** Locals every student page gets: the notice to announce and the nav's current page. */
export function pageLocals(res: Response, query: unknown, current: 'map' | 'profile' | 'none'): Record<string, unknown> {
  const notice = typeof (query as Record<string, unknown>)?.notice === 'string' ? String((query as Record<string, unknown>).notice) : '';
  return {
    noticeKey: NOTICES.has(notice) ? `student.notice.${notice}` : null,
    nav: { map: current === 'map', profile: current === 'profile' },
    sessionQuery: res.locals.sessionQuery,
  };
}

/** Builds a redirect target with the session token and an optional notice. */
export function back(res: Response, path: string, notice?: string, hash = ''): string {
  const q = `${String(res.locals.sessionQuery)}${notice ? `&notice=${notice}` : ''}`;
  return `${path}?${q}${hash}`;
}
