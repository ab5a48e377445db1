import { describe, expect, it } from 'vitest';
import { findCycle, topologicalOrder } from '../../../src/learning/competency-graph.js';

describe('competency graph', () => {
  it('finds no cycle in a DAG and orders prerequisites first', () => {
    const nodes = [
      { id: 'c', prerequisites: ['a', 'b'] },
      { id: 'a', prerequisites: [] },
      { id: 'b', prerequisites: ['a'] },
    ];
    expect(findCycle(nodes)).toBeNull();
    expect(topologicalOrder(nodes)).toEqual(['a', 'b', 'c']);
  });

  it('names the cycle, ending where it started', () => {
    const nodes = [
      { id: 'a', prerequisites: ['c'] },
      { id: 'b', prerequisites: ['a'] },
      { id: 'c', prerequisites: ['b'] },
      { id: 'd', prerequisites: [] },
    ];
    const cycle = findCycle(nodes)!;
    expect(cycle[0]).toBe(cycle[cycle.length - 1]);
    expect(new Set(cycle)).toEqual(new Set(['a', 'b', 'c']));
    expect(() => topologicalOrder(nodes)).toThrow(/cycle/);
  });

  it('finds a self-loop and ignores unknown ids', () => {
    expect(findCycle([{ id: 'a', prerequisites: ['a'] }])).toEqual(['a', 'a']);
    expect(findCycle([{ id: 'a', prerequisites: ['zzz'] }])).toBeNull();
  });
});
