/** The unit facts placement resolution needs. */
export interface UnitRef {
  id: string;
  /** null: a library unit any course may place. */
  courseId: string | null;
  /** The platform of the unit's course (null for library units). */
  platformId: string | null;
}

/** Storage for placement resolution; src/store/placement-repository.ts implements it. */
export interface PlacementStore {
  placementUnitId(placementId: string): Promise<string | null>;
  setPlacementUnit(placementId: string, unitId: string): Promise<void>;
  findUnitRef(unitId: string): Promise<UnitRef | null>;
  /** A unit of `courseId` copied from `sourceUnitId`, if one exists. */
  findCopy(sourceUnitId: string, courseId: string): Promise<string | null>;
  /** Copies a unit into a course and returns the copy's id. */
  copyUnit(sourceUnitId: string, courseId: string, createdBy: string): Promise<string>;
  /** Whether this person teaches that course (so may see, and copy, its units). */
  teaches(userId: string, courseId: string): Promise<boolean>;
}

export interface ResolveInput {
  placementId: string;
  courseId: string;
  platformId: string;
  userId: string;
  teacher: boolean;
  /** `pathwise_unit_id` from the launch's custom claim, when present. */
  customUnitId?: string;
}

export type PlacementOutcome = { status: 'placed'; unitId: string; via: 'custom' | 'placement' | 'copy' } | { status: 'unplaced' };

/**
 * Finds the unit of a resource link launch and records it on the placement (placements.unit_id).
 *
 * 1. The custom parameter the deep linking response set (custom claim,
 *    https://www.imsglobal.org/spec/lti/v1p3/#custom-properties-and-variable-substitution) wins when
 *    it names a unit of this course or the library: it is the LMS's current truth (an edited link).
 * 2. It names a unit of another course of the same LMS: the LMS copied the course. A teacher
 *    expects the copied activity to keep working without re-placing it, with content of its own
 *    they can edit without changing the original course; so the unit is copied into this course
 *    (once: later links to the same unit reuse the copy). The copy is made on the launch of a
 *    teacher who also teaches the unit's course, never on a student's or another teacher's: a
 *    custom parameter must not let anyone read a course they cannot see. Until such a teacher opens
 *    one of the links, students see "not ready" and other teachers pick a unit. A unit the
 *    placement already holds (the teacher picked one) is kept.
 * 3. No usable custom parameter (the LMS dropped it, or it names a deleted unit): the unit this
 *    placement was given before.
 * 4. Otherwise the link is unplaced: a teacher picks a unit, a student sees "not ready yet".
 */
export async function resolvePlacement(store: PlacementStore, input: ResolveInput): Promise<PlacementOutcome> {
  const storedId = await store.placementUnitId(input.placementId);
  const stored = storedId ? await store.findUnitRef(storedId) : null;
  const named = input.customUnitId ? await store.findUnitRef(input.customUnitId) : null;

  if (named && (named.courseId === input.courseId || named.courseId === null)) {
    if (storedId !== named.id) await store.setPlacementUnit(input.placementId, named.id);
    return { status: 'placed', unitId: named.id, via: 'custom' };
  }
  if (named && named.platformId === input.platformId && !stored) {
    const mayCopy = input.teacher && named.courseId !== null && (await store.teaches(input.userId, named.courseId));
    const copy = (await store.findCopy(named.id, input.courseId)) ?? (mayCopy ? await store.copyUnit(named.id, input.courseId, input.userId) : null);
    if (!copy) return { status: 'unplaced' };
    await store.setPlacementUnit(input.placementId, copy);
    return { status: 'placed', unitId: copy, via: 'copy' };
  }
  if (stored) return { status: 'placed', unitId: stored.id, via: 'placement' };
  return { status: 'unplaced' };
}
