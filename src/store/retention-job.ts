import type { Logger } from '../shared/logger.js';
import type { PrivacyService } from './privacy-service.js';

/**
 * The scheduled retention run: once an hour after start-up, then every `intervalHours`. Each run
 * is audited (actor "system") and logs counts only.
 */
export function startRetentionJob(privacy: PrivacyService, intervalHours: number, logger: Logger): { stop(): void } {
  const run = () => {
    privacy.runRetention({ kind: 'system' }).then(
      (r) => logger.info({ courses: r.courses.length, people: r.people, retentionDays: r.retentionDays }, 'retention run'),
      (err: unknown) => logger.warn({ err }, 'retention run failed; it will be tried again'),
    );
  };
  const first = setTimeout(run, 3_600_000);
  const every = setInterval(run, intervalHours * 3_600_000);
  first.unref();
  every.unref();
  return {
    stop() {
      clearTimeout(first);
      clearInterval(every);
    },
  };
}
