import { teachesCourse } from '../lti/course-role.js';
import type { UnitChoice } from '../lti/deep-linking/choices.js';
import { resolvePlacement, type PlacementOutcome, type ResolveInput } from '../lti/deep-linking/placement-resolution.js';
import { parseUnit } from '../learning/unit-import.js';
import type { UnitDocument } from '../learning/unit-schema.js';
import { AppError } from '../shared/errors.js';
import type { Database } from './database.js';
import { SAMPLE_UNITS } from './learning-service.js';
import { PlacementRepository, type ElsewhereUnit, type PlacementUnit } from './placement-repository.js';
import { starterUnit } from './starter-unit.js';

/** What the unit picker offers a teacher in one course. */
export interface PickerOptions {
  /** Units of this course and the library: placed as they are. */
  course: PlacementUnit[];
  /** Units the teacher has in their other courses: copied into this one. */
  elsewhere: ElsewhereUnit[];
  /** Sample units shipped with Pathwise and not already in the library: copied. */
  samples: Array<{ key: string; title: string; description: string; competencyCount: number }>;
}

export interface Chooser {
  courseId: string;
  userId: string;
  /** The teacher's language, given to new units. */
  language?: string;
}

/**
 * The sample units, parsed once: validating them is a few ms of Zod per call, and an unplaced
 * link's landing page (the unit picker) asked for them on every teacher's launch, and the units page
 * lists them. Frozen, as
 * every caller shares the same documents.
 */
let parsedSamples: readonly UnitDocument[] | undefined;
export const sampleUnitDocuments = (): readonly UnitDocument[] =>
  (parsedSamples ??= deepFreeze(SAMPLE_UNITS.map((s) => parseUnit(s)).flatMap((r) => (r.ok ? [r.unit] : []))));

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

const unavailable = () =>
  new AppError('unit_not_available', 'This unit cannot be placed in this course.', {
    kind: 'forbidden',
    help: 'Reload the picker and choose one of the units it lists.',
  });

/** Placement use cases: the picker's options, turning choices into units, and resolving a link's unit. */
export function createPlacementService(db: Database) {
  const repo = new PlacementRepository(db);
  return {
    repository: repo,

    async pickerOptions(chooser: Chooser): Promise<PickerOptions> {
      const { course, elsewhere: others } = await repo.pickerUnits(chooser.userId, chooser.courseId);
      const libraryKeys = new Set(course.filter((u) => u.courseId === null).map((u) => u.key));
      return {
        course,
        // Only courses the person teaches: a student elsewhere must not copy that course's content.
        elsewhere: others.filter((u) => teachesCourse(u.roles)),
        samples: sampleUnitDocuments()
          .filter((d) => !libraryKeys.has(d.key))
          .map((d) => ({ key: d.key, title: d.title, description: d.description, competencyCount: d.competencies.length })),
      };
    },

    /**
     * Turns picked choices into units of the course, in one transaction: copies and new units are
     * created together or not at all. Each choice is checked against what the picker may offer.
     */
    materialize(choices: UnitChoice[], chooser: Chooser, request?: { sessionId: string }): Promise<PlacementUnit[]> {
      return db.transaction(async (tx) => {
        const r = new PlacementRepository(tx);
        // One deep linking request answers the same choices with the same units, however often
        // the picker is submitted: a second (or concurrent) submit must not copy the unit again.
        const key = JSON.stringify(choices);
        if (request) {
          await tx.query(`select pg_advisory_xact_lock(hashtext($1))`, [`deep-linking:${request.sessionId}`]);
          const { rows } = await tx.query<{ unitIds: string[] }>(
            `select unit_ids as "unitIds" from deep_linking_results where session_id = $1 and choices = $2`,
            [request.sessionId, key],
          );
          const earlier = rows[0] ? await Promise.all(rows[0].unitIds.map((id) => r.findUnit(id))) : [];
          if (rows[0] && earlier.every(Boolean)) return earlier as PlacementUnit[];
        }
        const out: PlacementUnit[] = [];
        for (const choice of choices) {
          let id: string;
          if (choice.kind === 'unit') {
            const ref = await r.findUnitRef(choice.unitId);
            if (!ref || (ref.courseId !== null && ref.courseId !== chooser.courseId)) throw unavailable();
            id = ref.id;
          } else if (choice.kind === 'copy') {
            const mine = (await r.unitsElsewhere(chooser.userId, chooser.courseId)).find((u) => u.id === choice.unitId && teachesCourse(u.roles));
            if (!mine) throw unavailable();
            id = await r.copyUnit(mine.id, chooser.courseId, chooser.userId);
          } else if (choice.kind === 'sample') {
            const doc = sampleUnitDocuments().find((d) => d.key === choice.key);
            if (!doc) throw unavailable();
            id = await r.createUnit(doc, chooser.courseId, chooser.userId);
          } else {
            id = await r.createUnit(starterUnit(choice.title, chooser.language), chooser.courseId, chooser.userId);
          }
          out.push((await r.findUnit(id))!);
        }
        if (request) {
          await tx.query(
            `insert into deep_linking_results (session_id, choices, unit_ids) values ($1, $2, $3::uuid[])
             on conflict (session_id, choices) do update set unit_ids = excluded.unit_ids`,
            [request.sessionId, key, out.map((u) => u.id)],
          );
        }
        return out;
      });
    },

    /** Resolves (and records) the unit of a resource link launch; see resolvePlacement. */
    resolve(input: ResolveInput): Promise<PlacementOutcome> {
      return db.transaction((tx) => resolvePlacement(new PlacementRepository(tx), input));
    },

    /** Points a placement at a unit (the teacher's pick for an unplaced link). */
    async place(placementId: string, unitId: string): Promise<void> {
      await repo.setPlacementUnit(placementId, unitId);
    },
  };
}

export type PlacementService = ReturnType<typeof createPlacementService>;
