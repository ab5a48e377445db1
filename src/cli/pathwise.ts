#!/usr/bin/env node
import { runCli } from './run.js';

// The `pathwise` command (package.json "bin"): see `pathwise --help`.
runCli(process.argv.slice(2), {
  env: process.env,
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`pathwise: ${(err as Error).message}\n`);
    process.exitCode = 1;
  },
);
