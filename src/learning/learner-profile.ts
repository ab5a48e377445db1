import { z } from 'zod';
import { MODALITIES } from './unit-schema.js';

export const profileUpdateSchema = z.object({
  interests: z.array(z.string().min(1).max(60)).max(20),
  /** Most preferred first; used by recommendations, never required. */
  preferredModalities: z
    .array(z.enum(MODALITIES))
    .max(MODALITIES.length)
    .refine((m) => new Set(m).size === m.length, 'list each modality once'),
});
export type ProfileUpdate = z.output<typeof profileUpdateSchema>;

export const GOAL_STATUSES = ['active', 'achieved', 'dropped'] as const;
export const goalSchema = z.object({
  text: z.string().min(1).max(500),
  targetDate: z.iso.date().nullable().default(null),
  status: z.enum(GOAL_STATUSES).default('active'),
});
export type GoalInput = z.output<typeof goalSchema>;

export const reflectionSchema = z.object({
  unitId: z.uuid(),
  competencyId: z.string().min(1).max(64),
  attemptId: z.uuid().nullable().default(null),
  whatHelped: z.string().max(2000).default(''),
  /** "How sure are you that you know this now?" 1 (not at all) to 5 (completely). */
  confidence: z.int().min(1).max(5),
});
export type ReflectionInput = z.output<typeof reflectionSchema>;

export interface LearnerProfile {
  userId: string;
  interests: string[];
  preferredModalities: (typeof MODALITIES)[number][];
  updatedAt: Date | null;
}

export interface Goal extends GoalInput {
  id: string;
  userId: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface Reflection extends ReflectionInput {
  id: string;
  userId: string;
  createdAt: Date;
}

/** An empty profile for a student who has not filled one in. */
export function emptyProfile(userId: string): LearnerProfile {
  return { userId, interests: [], preferredModalities: [], updatedAt: null };
}

/**
 * Who may see a student's profile, goals, reflections and mastery: the student, and teachers of
 * a course the student is in. Nobody else — not other students, not other teachers.
 */
export function canViewLearnerData(viewer: { userId: string; teachesLearner: boolean }, learnerId: string): boolean {
  return viewer.userId === learnerId || viewer.teachesLearner;
}

/** Only the student edits their own profile, goals and reflections. */
export function canEditLearnerData(viewerId: string, learnerId: string): boolean {
  return viewerId === learnerId;
}
