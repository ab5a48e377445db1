import { randomUUID } from 'node:crypto';
import type { PathwayChoiceStore } from '../learning/ports.js';
import type { Queryable } from './database.js';

/** Which pathway a student chose for a competency, and when (kept as a history). */
export class PathwayChoiceRepository implements PathwayChoiceStore {
  /** `courseId`: the course whose choices `latest` reads (null: outside any course). */
  constructor(
    private readonly db: Queryable,
    private readonly courseId: string | null,
  ) {}

  async latest(userId: string, unitId: string, competencyId: string): Promise<string | null> {
    const { rows } = await this.db.query<{ pathwayId: string }>(
      `select pathway_id as "pathwayId" from pathway_choices where user_id = $1 and unit_id = $2 and competency_id = $3
         and course_id is not distinct from $4::uuid
       order by chosen_at desc, id limit 1`,
      [userId, unitId, competencyId, this.courseId],
    );
    return rows[0]?.pathwayId ?? null;
  }

  async record(c: { userId: string; unitId: string; competencyId: string; pathwayId: string; courseId: string | null; chosenAt: Date }): Promise<void> {
    await this.db.query(
      `insert into pathway_choices (id, user_id, unit_id, competency_id, pathway_id, course_id, chosen_at)
       values ($1, $2, $3, $4, $5, $6, $7)`,
      [randomUUID(), c.userId, c.unitId, c.competencyId, c.pathwayId, c.courseId, c.chosenAt],
    );
  }
}
