import { randomUUID } from 'node:crypto';
import type { StoredUnit, UnitReader } from '../learning/ports.js';
import type { UnitDocument } from '../learning/unit-schema.js';
import type { Queryable } from './database.js';

export interface UnitSummary {
  id: string;
  key: string;
  title: string;
  version: number;
  courseId: string | null;
  competencyCount: number;
  updatedAt: Date;
  /** The language its content is written in (BCP 47), when the unit names one. */
  language: string | null;
}

/** Units, each stored as its validated JSON document (validate with parseUnit before saving). */
export class UnitRepository implements UnitReader {
  constructor(private readonly db: Queryable) {}

  /** Stores a new unit; `courseId` null makes it a library unit any course may place. */
  async create(document: UnitDocument, owner: { courseId?: string | null; createdBy?: string | null } = {}): Promise<StoredUnit> {
    const id = randomUUID();
    await this.db.query(`insert into units (id, key, title, document, course_id, created_by) values ($1, $2, $3, $4, $5, $6)`, [
      id,
      document.key,
      document.title,
      JSON.stringify(document),
      owner.courseId ?? null,
      owner.createdBy ?? null,
    ]);
    return { id, courseId: owner.courseId ?? null, document };
  }

  async findById(id: string): Promise<StoredUnit | null> {
    const { rows } = await this.db.query<StoredUnit>(`select id, course_id as "courseId", document from units where id = $1`, [id]);
    return rows[0] ?? null;
  }

  /**
   * Reads a unit through a cache of parsed documents keyed by version: a unit's document only
   * changes with a new version, and parsing a large document on every submission is the
   * slowest part of it.
   */
  async findByIdCached(id: string, cache: Map<string, { version: number; unit: StoredUnit }>): Promise<StoredUnit | null> {
    const { rows } = await this.db.query<{ version: number }>(`select version from units where id = $1`, [id]);
    const version = rows[0]?.version;
    if (version === undefined) return null;
    const hit = cache.get(id);
    if (hit && hit.version === version) return hit.unit;
    const unit = await this.findById(id);
    if (unit) cache.set(id, { version, unit });
    return unit;
  }

  /** Replaces a unit's document (a new version); attempts keep the items they were drawn with. */
  async update(id: string, document: UnitDocument): Promise<boolean> {
    const r = await this.db.query(`update units set document = $2, key = $3, title = $4, version = version + 1, updated_at = now() where id = $1`, [
      id,
      JSON.stringify(document),
      document.key,
      document.title,
    ]);
    return r.rowCount > 0;
  }

  /** Units a course may use: its own and the library's. */
  async list(courseId: string | null = null): Promise<UnitSummary[]> {
    const { rows } = await this.db.query<UnitSummary>(
      `select id, key, title, version, course_id as "courseId", updated_at as "updatedAt",
         jsonb_array_length(document->'competencies') as "competencyCount", document->>'language' as language
       from units where course_id is null or course_id = $1 order by title, id`,
      [courseId],
    );
    return rows;
  }

  async countAll(): Promise<number> {
    const { rows } = await this.db.query<{ n: number }>(`select count(*)::int as n from units`);
    return rows[0]!.n;
  }
}
