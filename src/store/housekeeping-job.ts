import type { Logger } from '../shared/logger.js';

/** One housekeeping task: a cleanup that says how many rows went, or a bounded refit that says how many it wrote. */
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
        const rows = await task.run();
        if (rows > 0) logger.info({ task: task.name, rows }, 'housekeeping');
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
