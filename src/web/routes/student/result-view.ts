import type { LearnerAttempt } from '../../../store/student-work-repository.js';
import { localizeExplanation } from '../../i18n/explanations.js';
import { unitDocument, type StudentDeps } from './deps.js';
import { unitMapView } from './map.js';
import { answerText, pathwayFacts } from './present.js';
import type { StudentScope } from './scope.js';

/**
 * The result page: per-item feedback, the new level with its explanation, and the next step —
 * the next open competency after a pass, another pathway after repeated misses, else a retry.
 * The correct answer is shown only once the check is passed, so a retry still measures something.
 */
export async function resultView(deps: StudentDeps, scope: StudentScope, attempt: LearnerAttempt, locale: string) {
  const result = attempt.result!;
  const unit = await unitDocument(deps, scope);
  const competency = unit.competencies.find((c) => c.id === attempt.competencyId);
  const [answers, reflections] = await Promise.all([deps.work.answers(attempt.id), deps.profiles.reflections(scope.userId, scope.unitId, scope.courseId)]);
  const items = attempt.items.map((item, i) => {
    const scored = result.items.find((s) => s.itemId === item.id);
    return {
      n: i + 1,
      prompt: item.prompt,
      yourAnswer: answerText(item, answers.get(item.id)),
      correct: scored?.correct ?? false,
      partial: !!scored && !scored.correct && scored.credit > 0,
      feedback: scored?.feedback ?? null,
      correctAnswer: result.passed ? (scored?.correctAnswer ?? null) : null,
    };
  });
  let next: { kind: 'competency'; id: string; title: string } | { kind: 'done' } | null = null;
  // A passed check may still leave the level below mastered (earlier misses weigh in): the next step says so.
  if (result.passed && result.mastery.level === 'mastered') {
    const map = await unitMapView(deps, scope, unit, locale);
    const n = map.competencies.find((c) => c.id !== attempt.competencyId && (c.state === 'open' || c.state === 'in_progress'));
    next = n ? { kind: 'competency', id: n.id, title: n.title } : map.competencies.every((c) => c.state === 'mastered') ? { kind: 'done' } : null;
  }
  const chosenId = (await deps.ctx.learning.unitMap({ userId: scope.userId, unitId: scope.unitId, courseId: scope.courseId })).competencies.find(
    (c) => c.competencyId === attempt.competencyId,
  )?.chosenPathwayId;
  const reflection = reflections.find((r) => r.attemptId === attempt.id);
  return {
    title: competency?.title ?? attempt.competencyId,
    contentLanguage: unit.language,
    competency: { id: attempt.competencyId, title: competency?.title ?? attempt.competencyId },
    attemptId: attempt.id,
    passed: result.passed,
    masteredNow: result.mastery.level === 'mastered',
    scoreShare: result.score,
    correctCount: items.filter((i) => i.correct).length,
    count: items.length,
    items,
    levelKey: `student.level.${result.mastery.level}`,
    explanation: localizeExplanation(locale, result.mastery.explanation),
    overridden: result.mastery.overridden,
    unitProgress: result.unitProgress,
    nextCompetency: next?.kind === 'competency' ? next : null,
    unitDone: next?.kind === 'done',
    suggestAnother: !result.passed && result.suggestAnotherPathway,
    otherPathways: (competency?.pathways ?? []).filter((p) => p.id !== chosenId).map((p) => ({ id: p.id, title: p.title, ...pathwayFacts(p) })),
    coolDownMinutes: !result.passed ? (competency?.check.coolDownMinutes ?? 0) : 0,
    reflection: reflection ? { whatHelped: reflection.whatHelped, confidence: reflection.confidence } : null,
    confidenceLevels: [1, 2, 3, 4, 5].map((v) => ({ value: v, key: `student.reflect.confidence${v}`, id: `confidence-${v}` })),
  };
}
