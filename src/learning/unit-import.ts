import { AppError } from '../shared/errors.js';
import { unitSchema, type UnitDocument } from './unit-schema.js';

/** One problem found in an imported unit, with the JSON path where it is ("competencies.2.check.items.4.correctOptionId"). */
export interface UnitProblem {
  path: string;
  message: string;
  /** A catalog key (with its values) that says the same in the reader's language, when there is one. */
  messageKey?: string;
  vars?: Record<string, string>;
}

/** The catalog key a schema check attached to its issue (see item-schema.ts), if any. */
function translatable(params: unknown): Pick<UnitProblem, 'messageKey' | 'vars'> {
  const p = params as { messageKey?: unknown; vars?: Record<string, string> } | undefined;
  return typeof p?.messageKey === 'string' ? { messageKey: p.messageKey, vars: p.vars ?? {} } : {};
}

export type UnitParse = { ok: true; unit: UnitDocument } | { ok: false; problems: UnitProblem[] };

/** Validates a unit document and reports every problem with its path (not just the first). */
export function parseUnit(json: unknown, pathPrefix: (string | number)[] = []): UnitParse {
  const r = unitSchema.safeParse(json);
  if (r.success) return { ok: true, unit: r.data };
  return {
    ok: false,
    problems: r.error.issues.map((i) => ({
      path: [...pathPrefix, ...i.path].map(String).join('.') || '(root)',
      message: i.message,
      ...translatable('params' in i ? i.params : undefined),
    })),
  };
}

/**
 * Reads an import file: one unit, or `{ "units": [...] }`. Either every unit is valid or the
 * whole import is refused with all problems listed (error code `invalid_unit`).
 */
export function parseUnitImport(json: unknown): UnitDocument[] {
  const bundle = typeof json === 'object' && json !== null && Array.isArray((json as { units?: unknown }).units);
  const docs: unknown[] = bundle ? (json as { units: unknown[] }).units : [json];
  if (docs.length === 0) throw invalidUnit([{ path: 'units', message: 'the file holds no unit' }]);
  const units: UnitDocument[] = [];
  const problems: UnitProblem[] = [];
  docs.forEach((d, i) => {
    const r = parseUnit(d, bundle ? ['units', i] : []);
    if (r.ok) units.push(r.unit);
    else problems.push(...r.problems);
  });
  if (problems.length > 0) throw invalidUnit(problems);
  return units;
}

/** Export format: the validated document itself, so export → import round-trips. */
export function exportUnit(unit: UnitDocument): string {
  return `${JSON.stringify(unit, null, 2)}\n`;
}

function invalidUnit(problems: UnitProblem[]): AppError {
  return new AppError('invalid_unit', `The unit has ${problems.length} problem${problems.length === 1 ? '' : 's'}.`, {
    kind: 'invalid',
    help: 'Fix each problem at the path shown, then import the file again. Nothing was imported.',
    details: { problems },
    params: { count: problems.length },
  });
}
