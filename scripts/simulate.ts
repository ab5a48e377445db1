/**
 * `npm run simulate [-- --runs N]`: simulated classes of 30–300 students; prints the first-attempt
 * pass rate when students follow Pathwise's recommendation, pick at random, or follow an oracle
 * that knows their hidden traits, and the share of the random → oracle gap Pathwise closes
 * (over the first 60 students, and over the whole class). See docs/learning.md.
 */
import { parseArgs } from 'node:util';
import { simulate } from '../src/learning/simulation.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '200' } } });
const runs = Math.max(1, Math.min(5000, Number(values.runs) || 200));
const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
console.log(`${runs} simulated classes per size; first-attempt pass rate (first 60 students | whole class)`);
console.log(
  '| students | random | Pathwise | oracle | gap closed, first 60 | gap closed, all | oracle seeing only the band, first 60 | learner told the form, first 60 |',
);
console.log('|---|---|---|---|---|---|---|---|');
for (const r of simulate([30, 60, 120, 300], runs)) {
  console.log(
    `| ${r.students} | ${pct(r.random.first)} / ${pct(r.random.all)} | ${pct(r.pathwise.first)} / ${pct(r.pathwise.all)} | ${pct(r.oracle.first)} / ${pct(r.oracle.all)} | ${pct(r.gapClosedFirst)} | ${pct(r.gapClosedAll)} | ${pct(r.visibleGapClosedFirst)} | ${pct(r.informedGapClosedFirst)} |`,
  );
}
