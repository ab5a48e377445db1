import type { z } from 'zod';
import { invalid } from '../../../shared/errors.js';

export interface Problem {
  path: string;
  message: string;
}

/** Parses `input` with `schema`, or throws invalid_request listing every problem by path. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const problems: Problem[] = result.error.issues.map((i) => ({
    path: i.path.length ? i.path.map(String).join('.') : '(body)',
    message: i.message,
  }));
  const listed = problems.map((p) => `${p.path}: ${p.message}`).join('; ');
  throw invalid(
    'invalid_request',
    `The request has ${problems.length} ${problems.length === 1 ? 'problem' : 'problems'}: ${listed}.`,
    'Fix the listed fields and send the request again.',
    { problems },
    // The schema's own words are English: other languages name the fields, and `problems` has the rest.
    { variant: 'fields', count: problems.length, problems: listed, fields: [...new Set(problems.map((p) => p.path))].join(', ') },
  );
}
