import { AppError, notFound } from '../../shared/errors.js';
import type { Logger } from '../../shared/logger.js';
import type { PlatformRecord } from '../../store/platform-repository.js';
import { isRosterStale, type CourseRosterInfo, type PrivacySettings, type RosterRepository } from '../../store/roster-repository.js';
import { teachesCourse } from '../course-role.js';
import type { ServiceTokens } from '../services/access-token.js';
import { fetchMemberships } from './fetch-memberships.js';

export interface RosterSyncOptions {
  /** roster.maxAgeMinutes: a teacher launch re-reads an older roster. */
  maxAgeMinutes: number;
  /** roster.maxPages: bound on the pages one sync follows. */
  maxPages: number;
  privacy: PrivacySettings;
}

export interface RosterSyncResult {
  courseId: string;
  members: number;
  pages: number;
  complete: boolean;
  markedDeleted: number;
  /** Total time, and the parts spent reading the LMS and writing the database. */
  ms: number;
  fetchMs: number;
  storeMs: number;
}

export interface RosterSyncDeps {
  roster: RosterRepository;
  platforms: { findById(id: string): Promise<PlatformRecord | null> };
  tokens: ServiceTokens;
  logger: Logger;
}

/**
 * Reads a course's roster from the LMS (NRPS 2.0, https://www.imsglobal.org/spec/lti-nrps/v2p0/)
 * and stores it. One sync per course runs at a time in this process; a second caller shares it.
 */
export class RosterSync {
  private readonly running = new Map<string, Promise<RosterSyncResult>>();

  constructor(
    private readonly deps: RosterSyncDeps,
    private readonly options: RosterSyncOptions,
  ) {}

  /** Reads the roster now. Throws roster_unavailable when the LMS never offered NRPS for the course. */
  sync(courseId: string): Promise<RosterSyncResult> {
    let run = this.running.get(courseId);
    if (!run) {
      run = this.run(courseId).finally(() => this.running.delete(courseId));
      this.running.set(courseId, run);
    }
    return run;
  }

  /**
   * Syncs when the course offers NRPS and its roster is older than roster.maxAgeMinutes. Never
   * throws (a launch must not fail because the roster could not be read): failures are logged.
   */
  async syncIfStale(courseId: string, known?: Pick<CourseRosterInfo, 'nrpsUrl' | 'rosterSyncedAt'>): Promise<RosterSyncResult | null> {
    try {
      const course = known ?? (await this.deps.roster.findCourse(courseId));
      if (!course?.nrpsUrl || !isRosterStale(course, this.options.maxAgeMinutes)) return null;
      return await this.sync(courseId);
    } catch (err) {
      this.deps.logger.warn({ courseId, code: (err as AppError).code, err: (err as Error).message }, 'roster sync failed');
      return null;
    }
  }

  private async run(courseId: string): Promise<RosterSyncResult> {
    const started = Date.now();
    const course = await this.deps.roster.findCourse(courseId);
    if (!course) throw notFound('course_not_found', 'This course is not known to Pathwise.');
    if (!course.nrpsUrl) {
      throw new AppError('roster_unavailable', 'The LMS has not offered this course’s roster to Pathwise.', {
        kind: 'conflict',
        help: 'Enable “Names and Role Provisioning” for Pathwise in the LMS, then open Pathwise from the course again.',
      });
    }
    const platform = await this.deps.platforms.findById(course.platformId);
    if (!platform) throw notFound('platform_not_found', 'The LMS registration of this course is gone.', undefined, { variant: 'course' });
    const fetched = await fetchMemberships(this.deps.tokens, platform, course.nrpsUrl, {
      maxPages: this.options.maxPages,
      logger: this.deps.logger,
    });
    const fetchedAt = Date.now();
    const { markedDeleted } = await this.deps.roster.applySync(course, fetched.members, {
      complete: fetched.complete,
      startedAt: new Date(started),
      privacy: this.options.privacy,
    });
    const result = {
      courseId,
      members: fetched.members.length,
      pages: fetched.pages,
      complete: fetched.complete,
      markedDeleted,
      ms: Date.now() - started,
      fetchMs: fetchedAt - started,
      storeMs: Date.now() - fetchedAt,
    };
    this.deps.logger.info(result, 'roster synced');
    return result;
  }
}

/**
 * The context_memberships_url of a launch's NRPS claim, or null when absent or not an http(s) URL.
 * https://www.imsglobal.org/spec/lti-nrps/v2p0/#lti-1-3-integration
 */
export function membershipsUrlFromClaim(claim: unknown): string | null {
  const url = (claim as { context_memberships_url?: unknown } | null)?.context_memberships_url;
  if (typeof url !== 'string') return null;
  try {
    return ['https:', 'http:'].includes(new URL(url).protocol) ? url : null;
  } catch {
    return null;
  }
}

/**
 * What a launch (or its landing page) calls: remembers the course's NRPS URL from the session's
 * launch data (`launch.nrpsService`) and, for a teacher, syncs a stale roster. Never throws.
 * `known`: the course's NRPS URL and roster freshness as the launch's own statement recorded and
 * returned them (recordLaunch), so nothing is read or written again.
 */
export async function rosterAfterLaunch(
  ctx: { rosterSync: RosterSync; roster: RosterRepository },
  session: { courseId: string | null; roles: readonly string[]; launch: Record<string, unknown> },
  known?: Pick<CourseRosterInfo, 'nrpsUrl' | 'rosterSyncedAt'> | null,
): Promise<RosterSyncResult | null> {
  if (!session.courseId) return null;
  if (known) return teachesCourse(session.roles) ? ctx.rosterSync.syncIfStale(session.courseId, known) : null;
  const url = membershipsUrlFromClaim(session.launch.nrpsService);
  try {
    if (url) await ctx.roster.rememberService(session.courseId, url);
  } catch {
    return null; // the next launch tries again; syncIfStale logs real sync failures
  }
  return teachesCourse(session.roles) ? ctx.rosterSync.syncIfStale(session.courseId) : null;
}

/**
 * For the launch landing: on a teacher launch, `void syncRosterIfStale(ctx, courseId)` (or await
 * it). Never throws. `ctx` is anything with a `rosterSync` (AppContext has one).
 */
export function syncRosterIfStale(ctx: { rosterSync: RosterSync }, courseId: string): Promise<RosterSyncResult | null> {
  return ctx.rosterSync.syncIfStale(courseId);
}
