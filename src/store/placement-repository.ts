import { randomUUID } from 'node:crypto';
import type { PlacementStore, UnitRef } from '../lti/deep-linking/placement-resolution.js';
import { teachesCourse } from '../lti/course-role.js';
import type { UnitDocument } from '../learning/unit-schema.js';
import type { Queryable } from './database.js';

/** A unit as the picker and the content item builder see it. */
export interface PlacementUnit {
  id: string;
  key: string;
  title: string;
  description: string;
  scoreMaximum: number;
  courseId: string | null;
  competencyCount: number;
}

/** A unit the teacher has in another course (offered as a copy). */
export interface ElsewhereUnit extends PlacementUnit {
  courseTitle: string | null;
  /** The teacher's roles in that course (the caller keeps teacher courses only). */
  roles: string[];
}

/** The columns of a PlacementUnit, from `units u`. */
export const UNIT_COLUMNS = `u.id, u.key, u.title, coalesce(u.document->>'description', '') as description,
  coalesce((u.document->>'scoreMaximum')::float8, 100) as "scoreMaximum", u.course_id as "courseId",
  jsonb_array_length(u.document->'competencies') as "competencyCount"`;

/** Placements' units: what a link points at, the units a picker offers, and unit copies. */
export class PlacementRepository implements PlacementStore {
  constructor(private readonly db: Queryable) {}

  async placementUnitId(placementId: string): Promise<string | null> {
    const { rows } = await this.db.query<{ unitId: string | null }>(`select unit_id as "unitId" from placements where id = $1`, [placementId]);
    return rows[0]?.unitId ?? null;
  }

  async setPlacementUnit(placementId: string, unitId: string): Promise<void> {
    await this.db.query(`update placements set unit_id = $2, updated_at = now() where id = $1`, [placementId, unitId]);
  }

  /** The placement of a resource link in a course, when a launch has recorded it. */
  async findPlacementByLink(courseId: string, resourceLinkId: string): Promise<{ id: string; unitId: string | null } | null> {
    const { rows } = await this.db.query<{ id: string; unitId: string | null }>(
      `select id, unit_id as "unitId" from placements where course_id = $1 and resource_link_id = $2`,
      [courseId, resourceLinkId],
    );
    return rows[0] ?? null;
  }

  async findUnitRef(unitId: string): Promise<UnitRef | null> {
    const { rows } = await this.db.query<UnitRef>(
      `select u.id, u.course_id as "courseId", d.platform_id as "platformId"
       from units u left join courses c on c.id = u.course_id left join deployments d on d.id = c.deployment_id
       where u.id = $1`,
      [unitId],
    );
    return rows[0] ?? null;
  }

  async findUnit(unitId: string): Promise<PlacementUnit | null> {
    const { rows } = await this.db.query<PlacementUnit>(`select ${UNIT_COLUMNS} from units u where u.id = $1`, [unitId]);
    return rows[0] ?? null;
  }

  async teaches(userId: string, courseId: string): Promise<boolean> {
    const { rows } = await this.db.query<{ roles: string[] }>(`select roles from enrollments where course_id = $1 and user_id = $2`, [courseId, userId]);
    return rows.some((r) => teachesCourse(r.roles));
  }

  async findCopy(sourceUnitId: string, courseId: string): Promise<string | null> {
    const { rows } = await this.db.query<{ id: string }>(`select id from units where copied_from = $1 and course_id = $2 order by created_at, id limit 1`, [
      sourceUnitId,
      courseId,
    ]);
    return rows[0]?.id ?? null;
  }

  async copyUnit(sourceUnitId: string, courseId: string, createdBy: string): Promise<string> {
    const id = randomUUID();
    const r = await this.db.query(
      `insert into units (id, key, title, document, course_id, created_by, copied_from)
       select $1, key, title, document, $2, $3, id from units where id = $4`,
      [id, courseId, createdBy, sourceUnitId],
    );
    if (r.rowCount === 0) throw new Error(`unit ${sourceUnitId} vanished while being copied`);
    return id;
  }

  /** Stores a new unit document owned by a course and its author. */
  async createUnit(document: UnitDocument, courseId: string, createdBy: string): Promise<string> {
    const id = randomUUID();
    await this.db.query(`insert into units (id, key, title, document, course_id, created_by) values ($1, $2, $3, $4, $5, $6)`, [
      id,
      document.key,
      document.title,
      JSON.stringify(document),
      courseId,
      createdBy,
    ]);
    return id;
  }

  /** Units a course may place as they are: its own and the library's (course_id null). */
  async courseUnits(courseId: string): Promise<PlacementUnit[]> {
    const { rows } = await this.db.query<PlacementUnit>(
      `select ${UNIT_COLUMNS} from units u where u.course_id = $1 or u.course_id is null
       order by u.course_id nulls last, u.title, u.id`,
      [courseId],
    );
    return rows;
  }

  /**
   * The picker's two lists in one statement (an unplaced link's landing page runs it on every teacher's
   * launch): `courseUnits` and `unitsElsewhere`, each in its own order.
   */
  async pickerUnits(userId: string, courseId: string): Promise<{ course: PlacementUnit[]; elsewhere: ElsewhereUnit[] }> {
    const { rows } = await this.db.query<ElsewhereUnit & { list: number }>(
      `(select 0 as list, row_number() over (order by u.course_id nulls last, u.title, u.id) as n, ${UNIT_COLUMNS},
         null::text as "courseTitle", null::text[] as roles
       from units u where u.course_id = $2 or u.course_id is null)
      union all
      (select 1, row_number() over (order by c.title, u.title, u.id), ${UNIT_COLUMNS}, c.title, e.roles
       from units u join courses c on c.id = u.course_id
       join enrollments e on e.course_id = u.course_id and e.user_id = $1
       where u.course_id <> $2 and e.status = 'Active'
       order by c.title, u.title, u.id limit 500)
      order by list, n`,
      [userId, courseId],
      { prepare: true },
    );
    const course: PlacementUnit[] = [];
    const elsewhere: ElsewhereUnit[] = [];
    for (const { list, n: _n, courseTitle, roles, ...unit } of rows as Array<ElsewhereUnit & { list: number; n: unknown }>) {
      if (list === 0) course.push(unit);
      else elsewhere.push({ ...unit, courseTitle, roles });
    }
    return { course, elsewhere };
  }

  /** Units of the user's other courses on the same platform, with the user's roles there. */
  async unitsElsewhere(userId: string, courseId: string): Promise<ElsewhereUnit[]> {
    const { rows } = await this.db.query<ElsewhereUnit>(
      `select ${UNIT_COLUMNS}, c.title as "courseTitle", e.roles
       from units u join courses c on c.id = u.course_id
       join enrollments e on e.course_id = u.course_id and e.user_id = $1
       where u.course_id <> $2 and e.status = 'Active'
       order by c.title, u.title, u.id limit 500`,
      [userId, courseId],
    );
    return rows;
  }
}
