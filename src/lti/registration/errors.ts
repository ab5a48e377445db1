import { AppError } from '../../shared/errors.js';

/** Same issuer and client id registered twice (unique in the platforms table). */
export function platformExists(): AppError {
  return new AppError('platform_exists', 'Pathwise is already registered with this LMS under this client id.', {
    kind: 'conflict',
    help: 'Nothing to do: the existing registration is kept. To change it, remove it first.',
  });
}

/** PostgreSQL unique_violation, from either driver. */
export function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === '23505';
}
