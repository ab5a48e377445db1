import type { Logger } from '../shared/logger.js';

/** One cleanup: deletes what has expired and says how many rows went. */
export interface HousekeepingTask {
  name: string;
  run: () => Promise<number>;
}

/**
 * Runs the cleanups (expired login states and sessions, retired tool keys) once soon after
 * start-up and then every `intervalMinutes`, so tables that anyone can grow (each GET /lti/login
 * adds a login state) stay small. `stop()` clears the timers; a run in progress finishes alone.
 */
export function startHousekeeping(tasks: HousekeepingTask[], intervalMinutes: number, logger: Logger): { stop(): void; runNow(): Promise<void> } {
  const runNow = async () => {
    for (const task of tasks) {
      try {
        const removed = await task.run();
        if (removed > 0) logger.info({ task: task.name, removed }, 'housekeeping');
      } catch (err) {
        logger.warn({ err, task: task.name }, 'housekeeping failed; it will be tried again');
      }
    }
  };
  const first = setTimeout(() => void runNow(), 60_000);
  const every = setInterval(() => void runNow(), intervalMinutes * 60_000);
  first.unref();
  every.unref();
  return {
    runNow,
    stop() {
      clearTimeout(first);
      clearInterval(every);
    },
  };
}
