import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUnitInput } from '../unit/learning/fixtures.js';
import type { Database } from '../../src/store/database.js';
import { createLearningService, type LearningService } from '../../src/store/learning-service.js';
import { ProfileRepository } from '../../src/store/profile-repository.js';
import { AttemptRepository } from '../../src/store/attempt-repository.js';
import { UnitRepository } from '../../src/store/unit-repository.js';
import { seededRng } from '../../src/learning/random.js';
import { createTestDatabase } from '../support/database.js';
import { count, createCourse, createLearner } from './learning-fixtures.js';

describe('units, profiles and recommendations on the embedded database', () => {
  let db: Database;
  let svc: LearningService;
  let course: { platformId: string; courseId: string };
  beforeAll(async () => {
    db = await createTestDatabase();
    svc = createLearningService(db, { rng: seededRng(3) });
    course = await createCourse(db);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('installs the two sample units once, and exports them so they import again unchanged', async () => {
    expect(await svc.installSampleUnits()).toBe(2);
    expect(await svc.installSampleUnits()).toBe(0);
    const list = await new UnitRepository(db).list(course.courseId);
    expect(list.map((u) => u.key).sort()).toEqual(['evaluating-sources', 'linear-equations']);
    const exported = await svc.exportUnit(list[0]!.id);
    const [copy] = await svc.importUnits(JSON.parse(exported), { courseId: course.courseId });
    expect(copy!.document).toEqual((await new UnitRepository(db).findById(list[0]!.id))!.document);
  });

  it('imports all or nothing, reporting every problem with its path', async () => {
    const before = await count(db, 'units');
    const bad = buildUnitInput({ key: 'bad key' });
    await expect(svc.importUnits({ units: [buildUnitInput(), bad] })).rejects.toMatchObject({
      code: 'invalid_unit',
      details: { problems: [{ path: 'units.1.key' }] },
    });
    expect(await count(db, 'units')).toBe(before);
    // A failure inside the transaction (here: an unknown owner course) also leaves nothing.
    await expect(svc.importUnits({ units: [buildUnitInput(), buildUnitInput()] }, { courseId: crypto.randomUUID() })).rejects.toThrow();
    expect(await count(db, 'units')).toBe(before);
  });

  it('keeps a profile with goals and reflections', async () => {
    const student = await createLearner(db, course);
    const repo = new ProfileRepository(db);
    expect(await repo.get(student)).toMatchObject({ interests: [], preferredModalities: [] });
    await repo.update(student, { interests: ['football'], preferredModalities: ['build', 'watch'] });
    expect(await repo.get(student)).toMatchObject({ interests: ['football'], preferredModalities: ['build', 'watch'] });
    const goal = await repo.addGoal(student, { text: 'Master two-step equations', targetDate: '2025-06-30', status: 'active' });
    expect(goal.targetDate).toBe('2025-06-30');
    expect(await repo.updateGoal(student, goal.id, { ...goal, status: 'achieved' })).toMatchObject({ status: 'achieved' });
    expect(await repo.updateGoal(crypto.randomUUID(), goal.id, { ...goal, status: 'dropped' })).toBeNull();
    const [unit] = await svc.importUnits(buildUnitInput());
    await repo.addReflection(student, { unitId: unit!.id, competencyId: 'a', attemptId: null, whatHelped: 'the worked examples', confidence: 4 });
    expect(await repo.reflections(student, unit!.id)).toMatchObject([{ confidence: 4, whatHelped: 'the worked examples' }]);
  });

  it('recommends pathways from preferences and class results, with reasons', async () => {
    const [unit] = await svc.importUnits(buildUnitInput());
    const unitId = unit!.id;
    // Three classmates chose a-read first and passed; one chose a-watch and failed.
    for (const [pathwayId, pass] of [
      ['a-read', true],
      ['a-read', true],
      ['a-read', true],
      ['a-watch', false],
    ] as const) {
      const s = await createLearner(db, course);
      await svc.choosePathway({ userId: s, unitId, competencyId: 'a', pathwayId, courseId: course.courseId });
      const v = await svc.startAttempt({ userId: s, unitId, competencyId: 'a', courseId: course.courseId });
      await svc.submitAttempt({ attemptId: v.attemptId, userId: s, answers: pass ? { 'a-1': 4, 'a-2': 'Paris', 'a-3': 'b' } : {} });
    }
    const me = await createLearner(db, course);
    const recs = await svc.recommendPathways({ userId: me, unitId, competencyId: 'a', courseId: course.courseId });
    expect(recs[0]).toMatchObject({ pathwayId: 'a-read', rank: 1 });
    expect(recs[0]!.reasons[0]).toEqual({ code: 'course_band', band: 'new', passed: 3, chose: 3 });
    await expect(svc.choosePathway({ userId: me, unitId, competencyId: 'a', pathwayId: 'nope', courseId: null })).rejects.toMatchObject({
      code: 'pathway_not_found',
    });
    const map = await svc.unitMap({ userId: me, unitId, courseId: null });
    expect(map.competencies.map((c) => c.state)).toEqual(['open', 'locked', 'locked']);
  });

  it('reads every student’s first attempt per competency of the unit, with their band then, for the recommender', async () => {
    const input = buildUnitInput({ key: 'kinds-unit' });
    const pathway = input.competencies[0]!.pathways[0]!;
    input.competencies[1]!.pathways = [
      { ...pathway, id: 'b-watch', modalities: ['watch'] },
      { ...pathway, id: 'b-read', modalities: ['read'] },
    ];
    const [unit] = await svc.importUnits(input);
    const unitId = unit!.id;
    const right = (c: string) => ({ [`${c}-1`]: 4, [`${c}-2`]: 'Paris', [`${c}-3`]: 'b' });
    const take = async (userId: string, competencyId: string, pathwayId: string, pass: boolean) => {
      await svc.choosePathway({ userId, unitId, competencyId, pathwayId, courseId: course.courseId });
      const v = await svc.startAttempt({ userId, unitId, competencyId, courseId: course.courseId });
      await svc.submitAttempt({ attemptId: v.attemptId, userId, answers: pass ? right(competencyId) : {} });
    };
    const s = await createLearner(db, course);
    await take(s, 'a', 'a-read', true);
    await take(s, 'b', 'b-watch', false);
    const rows = await new AttemptRepository(db, course.courseId).firstAttempts(unitId, course.courseId);
    expect(rows.map(({ userId: _userId, ...r }) => r).sort((x, y) => x.competencyId.localeCompare(y.competencyId))).toEqual([
      { competencyId: 'a', pathwayId: 'a-read', modalities: ['read'], passed: true, band: 'new' },
      { competencyId: 'b', pathwayId: 'b-watch', modalities: ['watch'], passed: false, band: 'high' },
    ]);
    expect(rows.every((r) => r.userId === s)).toBe(true);
    // Another course's attempts are not this course's evidence.
    expect(await new AttemptRepository(db, course.courseId).firstAttempts(unitId, (await createCourse(db)).courseId)).toEqual([]);
    // The recommender reads them: this competency's first attempts per pathway and band, and the unit's by kind.
    const me = await createLearner(db, course);
    await take(me, 'a', 'a-watch', true);
    const recs = await svc.recommendPathways({ userId: me, unitId, competencyId: 'b', courseId: course.courseId });
    expect(recs.find((r) => r.pathwayId === 'b-watch')!.evidence).toEqual({ passed: 0, chose: 1, band: 'high' });
    expect(recs.find((r) => r.pathwayId === 'b-read')!.own).toEqual({ passed: 0, tried: 0, expected: 0 });
    expect(recs.find((r) => r.pathwayId === 'b-watch')!.own).toMatchObject({ passed: 1, tried: 1 });
  });
});
