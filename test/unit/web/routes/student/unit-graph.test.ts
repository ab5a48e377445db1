import { describe, expect, it } from 'vitest';
import { layoutUnitGraph } from '../../../../../src/web/routes/student/unit-graph.js';
import { readAnswers } from '../../../../../src/web/routes/student/check.js';
import type { Item } from '../../../../../src/learning/items/item-schema.js';

describe('layoutUnitGraph', () => {
  const nodes = [
    { id: 'a', title: 'A', state: 'mastered', prerequisites: [] },
    { id: 'b', title: 'B', state: 'open', prerequisites: [] },
    { id: 'c', title: 'A very long competency title indeed', state: 'locked', prerequisites: ['a'] },
    { id: 'd', title: 'D', state: 'locked', prerequisites: ['c', 'b'] },
  ];

  it('puts each competency one row below its deepest prerequisite, with one edge per prerequisite', () => {
    const g = layoutUnitGraph(nodes);
    const y = Object.fromEntries(g.nodes.map((n) => [n.id, n.y]));
    expect(y.a).toBe(y.b);
    expect(y.c).toBeGreaterThan(y.a!);
    expect(y.d).toBeGreaterThan(y.c!);
    expect(g.edges).toHaveLength(3);
    for (const e of g.edges) expect(e.y2).toBeGreaterThan(e.y1);
  });

  it('fits 360 px for two per row and shortens long titles', () => {
    const g = layoutUnitGraph(nodes);
    expect(g.width).toBeLessThanOrEqual(340);
    expect(g.nodes.find((n) => n.id === 'c')!.label).toMatch(/…$/);
    for (const n of g.nodes) expect(n.x + n.w).toBeLessThanOrEqual(g.width);
  });
});

describe('readAnswers', () => {
  const items = [
    {
      id: 'q1',
      type: 'single_choice',
      prompt: 'p',
      tags: [],
      points: 1,
      options: [
        { id: 'x', text: 'x' },
        { id: 'y', text: 'y' },
      ],
      correctOptionId: 'x',
    },
    {
      id: 'q2',
      type: 'multiple_select',
      prompt: 'p',
      tags: [],
      points: 1,
      options: [
        { id: 'x', text: 'x' },
        { id: 'y', text: 'y' },
      ],
      correctOptionIds: ['x'],
    },
    { id: 'q3', type: 'numeric', prompt: 'p', tags: [], points: 1, answer: 3, tolerance: 0 },
  ] as Item[];

  it('reads only the drawn items, arrays for multiple select, and bounds text', () => {
    const a = readAnswers(items, { 'answer-q1': 'y', 'answer-q2': 'x', 'answer-q3': '9'.repeat(900), 'answer-other': 'z', _csrf: 't' });
    expect(a).toEqual({ q1: 'y', q2: ['x'], q3: '9'.repeat(500) });
    expect(readAnswers(items, { 'answer-q2': ['x', 'y'] }).q2).toEqual(['x', 'y']);
    expect(readAnswers(items, undefined)).toEqual({ q2: [] });
  });
});
