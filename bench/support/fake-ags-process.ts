/**
 * The fake LMS's token endpoint and AGS as a process of their own, for the outbox benchmark: the
 * LMS's HTTP work must not share an event loop (or a CPU) with Pathwise.
 *
 * Run: node --import tsx bench/support/fake-ags-process.ts
 * Reads one JSON line on stdin (the tool's public JWKS), prints one JSON line on stdout (its
 * registration values and a line item), then serves GET /stats until stdin closes or SIGTERM.
 */
import { createInterface } from 'node:readline';
import type { JSONWebKeySet } from 'jose';
import { FakePlatform } from '../../test/support/fake-platform.js';
import { addTokenEndpoint } from '../../test/support/fake-services.js';
import { addAgs } from '../../test/support/fake-ags.js';

async function main(): Promise<void> {
  const lines = createInterface({ input: process.stdin });
  const jwks = JSON.parse(await new Promise<string>((resolve) => lines.once('line', resolve))) as JSONWebKeySet;
  const fake = new FakePlatform({ clientId: `bench-ags-${process.pid}`, deploymentId: 'bench-deployment' });
  // The request log is for tests; a benchmark's thousands of entries only cost memory.
  fake.received.push = () => 0;
  const tokens = addTokenEndpoint(fake, { toolJwks: async () => jwks });
  const ags = addAgs(fake, { tokens });
  fake.app.get('/stats', (_req, res) => {
    res.json({ tokensIssued: tokens.issued, scores: ags.scores.length, scorePosts: ags.scorePosts, outOfOrder: ags.outOfOrder });
  });
  await fake.start();
  const lineItem = ags.addLineItem({ label: 'Bench unit', scoreMaximum: 100, resourceLinkId: 'bench-link' });
  process.stdout.write(`${JSON.stringify({ ...fake.registration(), lineitemsUrl: ags.lineitemsUrl, lineItemId: lineItem.id })}\n`);

  const stop = () => {
    void fake.stop().finally(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  lines.on('close', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`fake AGS failed: ${(err as Error).message}\n`);
  process.exit(1);
});
