import { z } from 'zod';
import { unitSchema } from './unit-schema.js';

/**
 * The published JSON Schema of a unit file (docs/unit.schema.json), generated from the Zod
 * schema so the two cannot drift; a test compares them. Cross-references (unique ids, known
 * prerequisites, no cycles, answer keys among the options) are checked on import only.
 */
export function unitJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(unitSchema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return {
    $schema: schema.$schema,
    $id: 'https://pathwise.example/schemas/unit.schema.json',
    title: 'Pathwise unit',
    description: 'A unit: competencies with a prerequisite graph, pathways of resources, and mastery checks with item banks.',
    ...schema,
  };
}
