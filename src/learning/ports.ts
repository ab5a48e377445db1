import type { AttemptSummary } from './attempt-rules.js';
import type { Item } from './items/item-schema.js';
import type { LearnerProfile } from './learner-profile.js';
import type { AttemptEvidence } from './mastery/evidence.js';
import type { StoredExplanation } from './mastery/explanation.js';
import type { MasteryLevel } from './mastery/level.js';
import type { BktParams } from './mastery/method-config.js';
import type { MasteryOverride } from './mastery/override.js';
import type { FirstAttempt } from './first-attempts.js';
import type { PfaModel } from './mastery/pfa.js';
import type { ModalityOutcome } from './recommendation.js';
import type { Modality, UnitDocument } from './unit-schema.js';
import type { SubmissionResult } from './use-cases/submission-result.js';

/** The storage the learning use cases need; src/store implements it over one transaction. */
export interface StoredUnit {
  id: string;
  courseId: string | null;
  document: UnitDocument;
}

export interface AttemptRecord extends AttemptSummary {
  userId: string;
  unitId: string;
  competencyId: string;
  courseId: string | null;
  pathwayModalities: Modality[];
  /** The drawn items with their keys: server side only. */
  items: Item[];
  score: number | null;
  result: SubmissionResult | null;
}

export type NewAttempt = Omit<AttemptRecord, 'status' | 'submittedAt' | 'passed' | 'score' | 'result'>;

export interface StoredResponse {
  position: number;
  itemId: string;
  answer: unknown;
  credit: number;
  correct: boolean;
}

export interface MasteryRecord {
  userId: string;
  unitId: string;
  competencyId: string;
  level: MasteryLevel;
  calculatedLevel: MasteryLevel;
  estimate: number | null;
  explanation: StoredExplanation;
  evidenceCount: number;
  method: string;
  overridden: boolean;
  updatedAt: Date;
}

export type MasteryCause = 'attempt' | 'override' | 'override_withdrawn' | 'recompute';

export interface OverrideRecord extends MasteryOverride {
  id: string;
  userId: string;
  unitId: string;
  competencyId: string;
  levelBefore: MasteryLevel;
  levelAfter: MasteryLevel;
  withdrawnBy: string | null;
  withdrawnAt: Date | null;
  levelAfterWithdrawal: MasteryLevel | null;
}

export interface UnitReader {
  findById(unitId: string): Promise<StoredUnit | null>;
}

export interface AttemptStore {
  history(userId: string, unitId: string, competencyId: string): Promise<AttemptSummary[]>;
  /** Locks the attempt row until the transaction ends (serialises double submits). */
  findForUpdate(attemptId: string): Promise<AttemptRecord | null>;
  create(attempt: NewAttempt): Promise<void>;
  expire(attemptIds: string[]): Promise<void>;
  saveSubmission(attemptId: string, s: { submittedAt: Date; score: number; passed: boolean; responses: StoredResponse[] }): Promise<void>;
  /** Stores the result returned to the student, for idempotent replays. */
  saveResult(attemptId: string, result: SubmissionResult): Promise<void>;
  evidence(userId: string, unitId: string, competencyId: string): Promise<AttemptEvidence[]>;
  /** The student's submitted attempts in the unit, per competency, in submission order. */
  unitEvidence(userId: string, unitId: string): Promise<Map<string, AttemptEvidence[]>>;
  /** Each student's first attempt per competency of the unit (in the course, or in any when null), with their band then. */
  firstAttempts(unitId: string, courseId: string | null): Promise<FirstAttempt[]>;
  modalityHistory(userId: string): Promise<ModalityOutcome[]>;
}

export interface MasteryStore {
  levels(userId: string, unitId: string): Promise<Map<string, MasteryLevel>>;
  current(userId: string, unitId: string, competencyId: string): Promise<MasteryRecord | null>;
  /** Upserts the current mastery and appends a history row. */
  save(record: MasteryRecord, change: { cause: MasteryCause; attemptId: string | null; actorId: string | null }): Promise<void>;
  activeOverride(userId: string, unitId: string, competencyId: string): Promise<OverrideRecord | null>;
  addOverride(o: Omit<OverrideRecord, 'id' | 'withdrawnBy' | 'withdrawnAt' | 'levelAfterWithdrawal'>): Promise<OverrideRecord>;
  withdrawOverride(id: string, by: string, at: Date, levelAfter: MasteryLevel): Promise<void>;
  waivers(userId: string, unitId: string): Promise<Set<string>>;
  bktParams(unitId: string, competencyId: string): Promise<BktParams | null>;
  /** The unit's fitted performance-factors weights (from every course's answers), null: the shared ones. */
  pfaModel(unitId: string): Promise<PfaModel | null>;
}

export interface GradeTarget {
  placementId: string;
  /** The placement's own line item maximum when known; else the unit's scoreMaximum. */
  scoreMaximum: number | null;
}

export interface GradeSink {
  targets(userId: string, unitId: string): Promise<GradeTarget[]>;
  enqueue(score: {
    placementId: string;
    userId: string;
    scoreGiven: number;
    scoreMaximum: number;
    activityProgress: 'Initialized' | 'InProgress' | 'Completed';
    comment: string;
  }): Promise<void>;
}

export interface PathwayChoiceStore {
  latest(userId: string, unitId: string, competencyId: string): Promise<string | null>;
  record(choice: { userId: string; unitId: string; competencyId: string; pathwayId: string; courseId: string | null; chosenAt: Date }): Promise<void>;
}

export interface ProfileReader {
  get(userId: string): Promise<LearnerProfile>;
}

export interface LearningPorts {
  units: UnitReader;
  attempts: AttemptStore;
  mastery: MasteryStore;
  grades: GradeSink;
  choices: PathwayChoiceStore;
  profiles: ProfileReader;
}
