/**
 * `npm run simulate [-- --runs N --seeds 1000,5000,9000]`: simulated classes of 30–300 students in
 * three worlds — one competency per student, the product's flow through a unit (`unit`), and the
 * same with the suited modality drawn per competency (`unit_mixed`). For each it prints the
 * first-attempt pass rate when students follow Pathwise's recommendation, pick at random, or follow
 * an oracle that knows their hidden traits, two references (an oracle that sees only what Pathwise
 * sees, a learner told the world's form), the share of the random → oracle gap Pathwise closes
 * (first 60 students, whole class), for each set of seeds, and how many classes did worse than
 * random. See docs/learning.md.
 */
import { parseArgs } from 'node:util';
import { simulate, type World } from '../src/learning/simulation.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '200' }, seeds: { type: 'string', default: '1000,5000,9000' } } });
const runs = Math.max(1, Math.min(5000, Number(values.runs) || 200));
const seeds = values.seeds
  .split(',')
  .map(Number)
  .filter((x) => Number.isInteger(x) && x >= 0);
const sizes = [30, 60, 120, 300];
const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
const pair = (x: { first: number; all: number }) => `${pct(x.first)} / ${pct(x.all)}`;
const worlds: [World, string][] = [
  ['competency', 'one competency per student'],
  ['unit', 'the unit world: each student works through the unit (the suited modality the same on every competency)'],
  ['unit_mixed', 'the unit world, the suited modality drawn per competency'],
];
console.log(`${runs} simulated classes per size and seed set (${seeds.join(', ')}); first-try pass chance, first 60 students / whole class`);
for (const [world, title] of worlds) {
  const bySeed = seeds.map((seed) => simulate(sizes, runs, 60, world, seed));
  console.log(`\n## ${title}\n`);
  console.log(
    '| students | random | Pathwise | oracle | oracle seeing only what Pathwise sees | learner told the form | gap closed, first 60 (by seed set) | gap closed, all | classes worse than random, first 60 |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|');
  sizes.forEach((students, i) => {
    const rows = bySeed.map((s) => s[i]!);
    const avg = (f: (r: (typeof rows)[number]) => number) => rows.reduce((a, r) => a + f(r), 0) / rows.length;
    const both = (f: (r: (typeof rows)[number]) => { first: number; all: number }) => ({ first: avg((r) => f(r).first), all: avg((r) => f(r).all) });
    const random = both((r) => r.random);
    const oracle = both((r) => r.oracle);
    const closed = (x: { first: number; all: number }, key: 'first' | 'all') => (x[key] - random[key]) / (oracle[key] - random[key]);
    const pathwise = both((r) => r.pathwise);
    const worse = rows.reduce((a, r) => a + r.worseFirst, 0);
    console.log(
      `| ${students} | ${pair(random)} | ${pair(pathwise)} | ${pair(oracle)} | ${pct(
        closed(
          both((r) => r.visibleOracle),
          'first',
        ),
      )} of the gap | ${pct(
        closed(
          both((r) => r.informed),
          'first',
        ),
      )} of the gap | ${pct(closed(pathwise, 'first'))} (${rows.map((r) => pct(r.gapClosedFirst)).join(', ')}) | ${pct(closed(pathwise, 'all'))} | ${worse} of ${runs * rows.length} |`,
    );
  });
}
