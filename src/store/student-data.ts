import type { Database, Queryable } from './database.js';
import { ident, userReferences } from './user-references.js';

/** Everything Pathwise holds about one LMS user, as a data request answer. */
export interface StudentExport {
  exportedAt: string;
  platformId: string;
  sub: string;
  profile: Record<string, unknown>;
  learnerProfile: Record<string, unknown> | null;
  enrollments: Record<string, unknown>[];
  goals: Record<string, unknown>[];
  reflections: Record<string, unknown>[];
  attempts: Array<Record<string, unknown> & { responses: Record<string, unknown>[] }>;
  mastery: { current: Record<string, unknown>[]; history: Record<string, unknown>[]; overrides: Record<string, unknown>[]; waivers: Record<string, unknown>[] };
  pathwayChoices: Record<string, unknown>[];
  resourceMarks: Record<string, unknown>[];
  helpRequests: Record<string, unknown>[];
  scores: Record<string, unknown>[];
  /** Rows of every other table that points at this user (found in the catalog), by table.column. */
  other: Record<string, Record<string, unknown>[]>;
}

async function findUserId(db: Queryable, platformId: string, sub: string): Promise<string | null> {
  const { rows } = await db.query<{ id: string }>('select id from users where platform_id = $1 and sub = $2', [platformId, sub]);
  return rows[0]?.id ?? null;
}

const all = async (db: Queryable, sql: string, id: string) => (await db.query<Record<string, unknown>>(sql, [id])).rows;

/** Tables the export presents in their own sections (any other table is listed under `other`). */
const PRESENTED = new Set([
  'users',
  'learner_profiles',
  'enrollments',
  'learner_goals',
  'reflections',
  'attempts',
  'attempt_drafts',
  'mastery_current',
  'mastery_history',
  'mastery_overrides',
  'competency_waivers',
  'pathway_choices',
  'resource_marks',
  'help_requests',
  'grade_outbox',
  // Session rows hold the launch claims already shown above; units are course content, not the person's.
  'sessions',
  'units',
  'admin_sessions',
]);

/**
 * Everything about the user `sub` of a platform: profile, goals, reflections, attempts with their
 * responses (not the answer keys), mastery with history, overrides and waivers, help requests,
 * enrolments, and queued and sent scores. Null when Pathwise holds nothing about them.
 */
export async function exportStudent(db: Queryable, platformId: string, sub: string): Promise<StudentExport | null> {
  const id = await findUserId(db, platformId, sub);
  if (!id) return null;
  const profile = (await all(db, `select sub, name, given_name, family_name, email, locale, updated_at from users where id = $1`, id))[0]!;
  const attempts = await all(
    db,
    `select a.id, a.unit_id, u.title as unit_title, a.competency_id, a.pathway_id, a.status, a.started_at, a.submitted_at,
            a.score, a.passed, a.item_ids, d.answers as draft_answers
       from attempts a join units u on u.id = a.unit_id left join attempt_drafts d on d.attempt_id = a.id
      where a.user_id = $1 order by a.started_at`,
    id,
  );
  const responses = await all(
    db,
    `select r.attempt_id, r.position, r.item_id, r.answer, r.credit, r.correct
       from responses r join attempts a on a.id = r.attempt_id where a.user_id = $1 order by r.attempt_id, r.position`,
    id,
  );
  const other: Record<string, Record<string, unknown>[]> = {};
  for (const ref of await userReferences(db)) {
    if (PRESENTED.has(ref.table)) continue;
    const rows = await all(db, `select * from ${ident(ref.table)} where ${ident(ref.column)} = $1`, id);
    if (rows.length) other[`${ref.table}.${ref.column}`] = rows;
  }
  return {
    exportedAt: new Date().toISOString(),
    platformId,
    sub,
    profile,
    learnerProfile: (await all(db, `select interests, preferred_modalities, updated_at from learner_profiles where user_id = $1`, id))[0] ?? null,
    enrollments: await all(
      db,
      `select c.context_id, c.title as course_title, c.label as course_label, e.roles, e.status, e.last_launch_at
         from enrollments e join courses c on c.id = e.course_id where e.user_id = $1 order by c.title`,
      id,
    ),
    goals: await all(db, `select text, target_date, status, created_at, updated_at from learner_goals where user_id = $1 order by created_at`, id),
    reflections: await all(
      db,
      `select unit_id, competency_id, attempt_id, what_helped, confidence, created_at from reflections where user_id = $1 order by created_at`,
      id,
    ),
    attempts: attempts.map((a) => ({ ...a, responses: responses.filter((r) => r.attempt_id === a.id) })),
    mastery: {
      current: await all(
        db,
        `select unit_id, competency_id, level, calculated_level, estimate, coalesce(explanation_data, to_jsonb(explanation)) as explanation, method, overridden, updated_at from mastery_current where user_id = $1`,
        id,
      ),
      history: await all(
        db,
        `select unit_id, competency_id, level, calculated_level, estimate, coalesce(explanation_data, to_jsonb(explanation)) as explanation, cause, attempt_id, created_at from mastery_history where user_id = $1 order by created_at`,
        id,
      ),
      overrides: await all(
        db,
        `select unit_id, competency_id, level, reason, created_at, level_before, level_after, withdrawn_at from mastery_overrides where user_id = $1 order by created_at`,
        id,
      ),
      waivers: await all(db, `select unit_id, competency_id, reason, created_at from competency_waivers where user_id = $1`, id),
    },
    pathwayChoices: await all(db, `select unit_id, competency_id, pathway_id, chosen_at from pathway_choices where user_id = $1 order by chosen_at`, id),
    resourceMarks: await all(db, `select unit_id, competency_id, pathway_id, resource_index, done_at from resource_marks where user_id = $1`, id),
    helpRequests: await all(
      db,
      `select unit_id, competency_id, message, status, created_at, resolved_at from help_requests where user_id = $1 order by created_at`,
      id,
    ),
    scores: await all(
      db,
      `select p.resource_link_id, p.title as placement_title, g.score_given, g.score_maximum, g.activity_progress, g.grading_progress,
              g.status, g.score_timestamp, g.sent_at
         from grade_outbox g join placements p on p.id = g.placement_id where g.user_id = $1`,
      id,
    ),
    other,
  };
}

export interface DeletionReport {
  userId: string;
  /** Rows removed (or emptied) per table.column, counts only. */
  rows: Record<string, number>;
}

/**
 * Removes the user `sub` of a platform from every table: rows that belong to them go (with any
 * queued score), columns that name them as the actor of something (a teacher's override, a
 * resolved help request) are emptied, along with the copy of their name kept beside an override.
 * Runs in the given transaction; returns counts only. Null when there is no such user.
 */
export async function deleteStudent(tx: Queryable, platformId: string, sub: string): Promise<DeletionReport | null> {
  const id = await findUserId(tx, platformId, sub);
  if (!id) return null;
  const rows: Record<string, number> = {};
  // Counted first, from the catalog, so a table added later appears in the report too.
  for (const ref of await userReferences(tx)) {
    const { rows: c } = await tx.query<{ n: number }>(`select count(*)::int as n from ${ident(ref.table)} where ${ident(ref.column)} = $1`, [id]);
    if (c[0]!.n > 0) rows[`${ref.table}.${ref.column}`] = c[0]!.n;
  }
  // A reference without on delete cascade / set null (none today) would block the deletion: its rows go.
  for (const ref of (await userReferences(tx)).filter((r) => r.onDelete === 'other')) {
    await tx.query(`delete from ${ident(ref.table)} where ${ident(ref.column)} = $1`, [id]);
  }
  // The name copied beside overrides this person made as a teacher (kept for the audit trail of the
  // student's record while the teacher exists) goes with them.
  await tx.query(`update mastery_overrides set created_by_name = null where created_by = $1`, [id]);
  // Queued scores first, explicitly: none may be sent after the deletion.
  await tx.query(`delete from grade_outbox where user_id = $1`, [id]);
  // Every other reference is a foreign key with on delete cascade / set null.
  await tx.query(`delete from users where id = $1`, [id]);
  rows['users.id'] = 1;
  return { userId: id, rows };
}

/** deleteStudent in a transaction of its own. */
export function deleteStudentNow(db: Database, platformId: string, sub: string): Promise<DeletionReport | null> {
  return db.transaction((tx) => deleteStudent(tx, platformId, sub));
}
