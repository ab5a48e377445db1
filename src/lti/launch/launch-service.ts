import type { Config } from '../../config/schema.js';
import type { Database } from '../../store/database.js';
import { ContextRepository } from '../../store/context-repository.js';
import { LoginStateRepository } from '../../store/login-state-repository.js';
import { PlatformRepository } from '../../store/platform-repository.js';
import { SessionRepository } from '../../store/session-repository.js';
import { completeLaunch } from './complete-launch.js';
import type { LaunchRecorded } from '../../store/launch-record.js';
import type { LmsHttp } from '../http/lms-http.js';
import { PlatformJwksCache } from './jwks-cache.js';
import { startLogin, type LoginParams, type LoginStarted } from './login.js';
import type { LaunchInput, ValidatedLaunch } from './pipeline.js';
import { validateLaunch } from './validate-launch.js';

/** Login, launch validation and session opening, wired to one database and config. */
export class LaunchService {
  readonly platforms: PlatformRepository;
  readonly loginStates: LoginStateRepository;
  readonly sessions: SessionRepository;
  readonly contexts: ContextRepository;
  readonly jwks: PlatformJwksCache;

  constructor(
    private readonly db: Database,
    private readonly config: Config,
    http: LmsHttp,
    platforms?: PlatformRepository,
  ) {
    this.platforms = platforms ?? new PlatformRepository(db);
    this.loginStates = new LoginStateRepository(db);
    this.sessions = new SessionRepository(db);
    this.contexts = new ContextRepository(db);
    this.jwks = new PlatformJwksCache({
      timeoutMs: config.jwks.timeoutMs,
      defaultMaxAgeSeconds: config.jwks.defaultMaxAgeSeconds,
      maxKeys: config.outbound.maxJwksKeys,
      fetch: (url, init) => http.fetch(url, init),
    });
  }

  /** Step 1 → 2 of the OIDC flow. */
  login(params: LoginParams, options: { newTab?: boolean } = {}): Promise<LoginStarted> {
    return startLogin(
      params,
      {
        platforms: this.platforms,
        loginStates: this.loginStates,
        publicUrl: this.config.publicUrl,
        loginStateTtlSeconds: this.config.launch.loginStateTtlSeconds,
      },
      options,
    );
  }

  /** Step 3: the id_token checks. */
  validate(input: LaunchInput): Promise<ValidatedLaunch> {
    return validateLaunch(input, {
      platforms: this.platforms,
      loginStates: this.loginStates,
      jwks: this.jwks,
      clockSkewSeconds: this.config.launch.clockSkewSeconds,
      publicUrl: this.config.publicUrl,
    });
  }

  /** Records course/user/placement and opens a session; returns the token once. */
  complete(launch: ValidatedLaunch, locale: string): Promise<LaunchRecorded> {
    return completeLaunch(launch, locale, {
      db: this.db,
      sessionTtlMinutes: this.config.session.ttlMinutes,
      privacy: this.config.privacy,
    });
  }
}
