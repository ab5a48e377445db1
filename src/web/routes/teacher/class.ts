import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { CLASS_FILTERS, CLASS_SORTS, ClassListRepository, type ClassListQuery, type ClassMember } from '../../../store/class-list-repository.js';
import { isRosterStale } from '../../../store/roster-repository.js';
import { UnitRepository } from '../../../store/unit-repository.js';
import type { AppContext } from '../../context.js';
import { translate } from '../../i18n/index.js';
import { classRows, pageWindow, type ClassProgress, type ClassUnit } from '../../view-models/class-list.js';
import { toCsv } from '../../view-models/teacher-csv.js';
import { formatWhen, renderTeacher } from './page.js';
import type { TeacherQueries } from './queries.js';
import { scopeOf, teacherGuard, type TeacherScope } from './scope.js';

export const CLASS_PAGE_SIZE = 50;
const CSV_CHUNK = 1000;

const classQuery = z.object({
  q: z.string().max(100).optional().catch(undefined),
  filter: z.enum(CLASS_FILTERS).default('all').catch('all'),
  days: z.coerce.number().int().min(1).max(365).default(14).catch(14),
  sort: z.enum(CLASS_SORTS).default('name').catch('name'),
  page: z.coerce.number().int().min(1).max(1_000_000).default(1).catch(1),
});
type ClassParams = z.infer<typeof classQuery>;

/** The units placed in the course's links, with the competencies each has now. */
async function placedUnits(ctx: AppContext, queries: TeacherQueries, courseId: string): Promise<ClassUnit[]> {
  const ids = [...new Set((await queries.placements(courseId)).flatMap((p) => (p.unitId ? [p.unitId] : [])))];
  const repo = new UnitRepository(ctx.db);
  const units = await Promise.all(ids.map((id) => repo.findById(id)));
  return units
    .flatMap((u) => (u ? [{ id: u.id, title: u.document.title, competencyIds: u.document.competencies.map((c) => c.id) }] : []))
    .sort((a, b) => a.title.localeCompare(b.title) || a.id.localeCompare(b.id));
}

/** Per-unit progress and "needs attention" for one page of members only. */
async function progressOf(list: ClassListRepository, scope: TeacherScope, units: ClassUnit[], members: ClassMember[]): Promise<ClassProgress> {
  const learners = members.filter((m) => m.role === 'learner').map((m) => m.userId);
  const unitIds = units.map((u) => u.id);
  const [mastered, activity, attention] = await Promise.all([
    list.mastered(scope.courseId, unitIds, learners),
    list.lastActivity(scope.courseId, unitIds, learners),
    list.needingAttention(scope.courseId, learners),
  ]);
  return { mastered, activity, attention };
}

function listQuery(ctx: AppContext, scope: TeacherScope, f: ClassParams, page: { limit: number; offset: number }): ClassListQuery {
  return {
    courseId: scope.courseId,
    search: f.q,
    filter: f.filter,
    inactiveDays: f.days,
    sort: f.sort,
    namesShown: ctx.config.privacy.storeNames,
    now: new Date(),
    ...page,
  };
}

/** The query string of the page with some parameters changed (the session token first). */
function linkTo(res: Response, f: ClassParams, change: Partial<ClassParams>): string {
  const q = new URLSearchParams(String(res.locals.sessionQuery));
  for (const [k, v] of Object.entries({ ...f, ...change })) if (v !== undefined && v !== '') q.set(k, String(v));
  return `/teacher/class?${q.toString()}`;
}

/**
 * GET /teacher/class: everyone in the course from NRPS and launches — role, status in the LMS,
 * last launch, and per placed unit mastered/total and last activity — searched, filtered, sorted
 * and paged in the database; GET /teacher/class.csv: every matching member.
 */
export function classRoutes(ctx: AppContext, queries: TeacherQueries): Router {
  const router = Router();
  const list = new ClassListRepository(ctx.db);

  router.get('/teacher/class', ...teacherGuard(ctx), async (req: Request, res: Response) => {
    const scope = scopeOf(req);
    const f = classQuery.parse(req.query);
    const locale = String(res.locals.locale ?? 'en');
    const [units, course, first] = await Promise.all([
      placedUnits(ctx, queries, scope.courseId),
      ctx.roster.findCourse(scope.courseId),
      list.list(listQuery(ctx, scope, f, { limit: CLASS_PAGE_SIZE, offset: (f.page - 1) * CLASS_PAGE_SIZE })),
    ]);
    const pages = Math.max(1, Math.ceil(first.total / CLASS_PAGE_SIZE));
    // A page past the end (the class shrank, or a hand-made URL) shows the last page instead.
    const page = Math.min(f.page, pages);
    const { total, members } =
      page === f.page ? first : await list.list(listQuery(ctx, scope, f, { limit: CLASS_PAGE_SIZE, offset: (page - 1) * CLASS_PAGE_SIZE }));
    const progress = await progressOf(list, scope, units, members);
    const from = total === 0 ? 0 : (page - 1) * CLASS_PAGE_SIZE + 1;
    const syncedAt = course?.rosterSyncedAt ?? null;
    renderTeacher(req, res, 'teacher-class', 'teacher.class.title', {
      nav: { class: true },
      filters: { q: f.q ?? '', days: f.days },
      filterOptions: CLASS_FILTERS.map((v) => ({ value: v, key: `teacher.class.filter.${v}`, selected: v === f.filter })),
      sortOptions: CLASS_SORTS.map((v) => ({ value: v, key: `teacher.class.sort.${v}`, selected: v === f.sort })),
      namesShown: ctx.config.privacy.storeNames,
      units,
      rows: classRows(members, units, progress, { namesShown: ctx.config.privacy.storeNames, locale, when: (d) => formatWhen(res, d) }),
      total,
      from,
      to: from === 0 ? 0 : from + members.length - 1,
      filtered: Boolean(f.q?.trim()) || f.filter !== 'all',
      pager:
        pages > 1
          ? {
              page,
              pages,
              prev: page > 1 ? linkTo(res, f, { page: page - 1 }) : null,
              next: page < pages ? linkTo(res, f, { page: page + 1 }) : null,
              numbers: pageWindow(page, pages).map((p) => (p === null ? { gap: true } : { number: p, href: linkTo(res, f, { page: p }), current: p === page })),
            }
          : null,
      csvHref: linkTo(res, f, { page: undefined }).replace('/teacher/class?', '/teacher/class.csv?'),
      roster: {
        syncedAt: formatWhen(res, syncedAt),
        stale: isRosterStale({ rosterSyncedAt: syncedAt }, ctx.config.roster.maxAgeMinutes),
        canRefresh: Boolean(course?.nrpsUrl ?? req.launchSession!.launch.nrpsService),
      },
    });
  });

  router.get('/teacher/class.csv', ...teacherGuard(ctx), async (req: Request, res: Response) => {
    const scope = scopeOf(req);
    const f = classQuery.parse(req.query);
    const locale = String(res.locals.locale ?? 'en');
    const t = (key: string, vars?: Record<string, unknown>) => translate(locale, key, vars);
    const units = await placedUnits(ctx, queries, scope.courseId);
    const iso = (d: Date | null) => (d ? d.toISOString() : '');
    const out: unknown[][] = [
      [
        t('teacher.class.col.name'),
        t('teacher.class.col.role'),
        t('teacher.class.col.status'),
        t('teacher.class.col.lastLaunch'),
        ...units.flatMap((u) => [t('teacher.class.csv.mastered', { unit: u.title }), t('teacher.class.csv.activity', { unit: u.title })]),
        t('teacher.class.col.attention'),
      ],
    ];
    // In chunks, so the progress queries stay small however large the class is.
    for (let offset = 0; ; offset += CSV_CHUNK) {
      const { members } = await list.list(listQuery(ctx, scope, f, { limit: CSV_CHUNK, offset }));
      const progress = await progressOf(list, scope, units, members);
      const rows = classRows(members, units, progress, { namesShown: ctx.config.privacy.storeNames, locale, when: iso });
      for (const [i, r] of rows.entries()) {
        out.push([
          r.name,
          t(r.roleKey),
          t(r.statusKey),
          iso(members[i]!.lastLaunchAt) || t('teacher.class.never'),
          ...r.units.flatMap((u) => (r.learner ? [`${u.mastered}/${u.total}`, u.lastActivity ?? ''] : ['', ''])),
          r.attention ? t('teacher.class.attention') : '',
        ]);
      }
      if (members.length < CSV_CHUNK) break;
    }
    res.type('text/csv; charset=utf-8');
    res.attachment('class.csv');
    res.send(toCsv(out));
  });
  return router;
}
