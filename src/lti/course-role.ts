import { normaliseRoles } from './nrps/roles.js';

/**
 * What a person may do in the course of one launch (or one roster entry), decided here and
 * nowhere else. Role vocabularies: LTI Core 1.3 §A.2, https://www.imsglobal.org/spec/lti/v1p3/#role-vocabularies
 */
export interface CourseRole {
  /** Rights in this course: teacher pages, student pages, or neither. */
  role: 'teacher' | 'student' | 'none';
  /**
   * An institution or system Administrator of the LMS: may reach the admin console of its own
   * platform. Never gives rights in a course by itself.
   */
  platformAdmin: boolean;
  /** The most specific context role held, for display (null when there is none). */
  title: 'instructor' | 'teachingAssistant' | 'contentDeveloper' | 'administrator' | 'learner' | 'mentor' | null;
}

const INSTITUTION = 'http://purl.imsglobal.org/vocab/lis/v2/institution/person#';
const SYSTEM = 'http://purl.imsglobal.org/vocab/lis/v2/system/person#';

/**
 * The principal context role of a normalised role URI, or null when it is not a context role.
 * Principal roles are `membership#Role`; sub-roles are `membership/Role#Sub` (LTI Core 1.3
 * §A.2.3.1), and some platforms write them `membership#Role#Sub`, which counts the same.
 */
function contextRole(uri: string): { principal: string; sub: string | null } | null {
  const m = /^http:\/\/purl\.imsglobal\.org\/vocab\/lis\/v2\/membership(?:#([A-Za-z]+)(?:#([A-Za-z]+))?|\/([A-Za-z]+)#([A-Za-z]+))$/.exec(uri);
  if (!m) return null;
  return m[1] ? { principal: m[1], sub: m[2] ?? null } : { principal: m[3]!, sub: m[4]! };
}

/**
 * Context roles that give a teacher's rights in the course (LTI Core 1.3 §A.2.3);
 * `TeachingAssistant` is how Canvas's LTI 1.1 URN for a TA reads once normalised.
 */
const TEACHING = new Set(['Instructor', 'ContentDeveloper', 'Administrator', 'TeachingAssistant']);

/** Institution and system roles that make someone an administrator of the LMS (§A.2.1, §A.2.2). */
const PLATFORM_ADMIN = new Set([`${INSTITUTION}Administrator`, `${SYSTEM}Administrator`, `${SYSTEM}SysAdmin`]);

/**
 * Decides course rights from the roles of a launch or a roster entry (full URIs, short context
 * names like "Instructor", or LTI 1.1 URNs).
 *
 * - Only context (membership) roles give rights in a course. Institution and system roles say
 *   what someone is elsewhere in the institution (Canvas sends `institution/person#Instructor` to
 *   anyone who teaches any course), never what they are in this one.
 * - `membership#Learner` (or a Learner sub-role) wins: a learner is a student here whatever else
 *   they hold, so a student can never read classmates' work.
 * - An institution/system Administrator without a context teaching role is `none` in the course
 *   and `platformAdmin`; Mentors (observers) and everyone else are `none`. A learner is never
 *   `platformAdmin` in that launch.
 */
export function courseRole(roles: readonly string[]): CourseRole {
  const key = keyOf(roles);
  if (key === null) return Object.freeze(decide(roles));
  const known = decided.get(key);
  if (known) return known;
  const role = Object.freeze(decide(roles));
  if (decided.size >= DECIDED_LIMIT) decided.delete(decided.keys().next().value!);
  decided.set(key, role);
  return role;
}

/**
 * The roles as one string, unambiguous: their count, then each after a line break; null when a
 * role holds a line break itself (it could pass for two roles: decided without the cache).
 */
function keyOf(roles: readonly string[]): string | null {
  let key = String(roles.length);
  for (const r of roles) {
    if (r.includes('\n')) return null;
    key += `\n${r}`;
  }
  return key;
}

/**
 * Decisions already made, by the exact roles array: a launch's requests and a roster's members
 * repeat a handful of role sets, so each is decided once. Bounded (the oldest decision goes
 * first), so a platform sending ever new role sets cannot grow it; the decisions are frozen, as
 * every caller shares them.
 */
const decided = new Map<string, Readonly<CourseRole>>();
const DECIDED_LIMIT = 512;

/** How many role sets are remembered (for tests: the cache stays bounded). */
export const rememberedRoleSets = (): number => decided.size;

function decide(roles: readonly string[]): CourseRole {
  const held = normaliseRoles(roles);
  const context = held.flatMap((r) => {
    const c = contextRole(r);
    return c ? [c] : [];
  });
  const has = (principal: string, sub?: string) => context.some((c) => c.principal === principal && (sub === undefined || c.sub === sub));
  // Canvas observers may come as Mentor plus Learner#NonCreditLearner: they watch, they do not learn here.
  const observer = has('Mentor') && context.every((c) => c.principal !== 'Learner' || c.sub === 'NonCreditLearner');
  const learner = has('Learner') && !observer;
  const platformAdmin = !learner && held.some((r) => PLATFORM_ADMIN.has(r));
  if (learner) return { role: 'student', platformAdmin, title: 'learner' };
  if (context.some((c) => TEACHING.has(c.principal))) {
    const title =
      has('Instructor', 'TeachingAssistant') || has('TeachingAssistant')
        ? 'teachingAssistant'
        : has('Instructor')
          ? 'instructor'
          : has('ContentDeveloper')
            ? 'contentDeveloper'
            : 'administrator';
    return { role: 'teacher', platformAdmin, title };
  }
  return { role: 'none', platformAdmin, title: has('Mentor') ? 'mentor' : null };
}

/** Shorthand for the common guard: may this person use the course's teacher pages? */
export const teachesCourse = (roles: readonly string[]): boolean => courseRole(roles).role === 'teacher';

/** Shorthand: is this person a student of the course (their own work, counted in class data)? */
export const learnsInCourse = (roles: readonly string[]): boolean => courseRole(roles).role === 'student';
