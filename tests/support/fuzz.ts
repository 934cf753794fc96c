/**
 * The runner every property test uses: FUZZ_RUNS sets how many runs (`npm run fuzz` sets 1,000),
 * the suite's pinned regression examples run first, FUZZ_SEED and FUZZ_PATH replay a run, and a
 * failure prints the command line that replays it.
 */
import fc from 'fast-check';
import { expect } from 'vitest';

// fast-check's default size ('small') caps every array at 10 elements whatever its maxLength: a
// history of "up to 60 actions" was never longer than 10. 'medium' reaches the maxLength.
fc.configureGlobal({ ...fc.readConfigureGlobal(), baseSize: 'medium' });

/** Runs per property: FUZZ_RUNS (`npm run fuzz` sets 1,000) or the suite's quick default. */
export function fuzzRuns(quick: number): number {
  return Number(process.env.FUZZ_RUNS ?? quick);
}

/**
 * Checks that the generator reached the cases that matter (counted over a whole run). Skipped when
 * FUZZ_PATH replays one case: one case cannot show what a generator reaches.
 */
export function expectGenerated(check: () => void): void {
  if (!process.env.FUZZ_PATH) check();
}

/** A property's test timeout: room for `npm run fuzz` on a loaded machine (it catches a hang, it asserts no speed). */
export function fuzzTimeout(runs: number): number {
  return Math.max(30_000, runs * 300);
}

/**
 * Checks `property` on `runs` random values, after the suite's pinned regression `examples`.
 * FUZZ_SEED (and FUZZ_PATH) replay a run; a failure prints the command line that replays it.
 */
export function fuzz<T>(values: fc.Arbitrary<T>, property: (value: T) => void, options: { runs: number; examples?: readonly T[] }): void {
  const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;
  const path = process.env.FUZZ_PATH;
  const details = fc.check(
    fc.property(values, (value) => {
      property(value);
    }),
    {
      numRuns: options.runs,
      examples: (options.examples ?? []).map((e) => [e] as [T]),
      ...(seed === undefined ? {} : { seed }),
      ...(path ? { path } : {}),
    },
  );
  if (!details.failed) return;
  const { testPath, currentTestName } = expect.getState();
  const file = testPath ? testPath.slice(testPath.indexOf('tests/')) : '<file>';
  const name = (currentTestName ?? '').split(' > ').at(-1) ?? '';
  // -t takes a regular expression: the rule ids' brackets are escaped, and quotes for the shell.
  const pattern = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/'/g, "'\\''");
  const replayLine = `FUZZ_SEED=${details.seed} FUZZ_PATH=${details.counterexamplePath ?? ''} npx vitest run ${file} -t '${pattern}'`;
  const cause = details.errorInstance instanceof Error ? details.errorInstance : new Error(String(details.errorInstance));
  throw new Error(`${fc.defaultReportMessage(details) ?? 'property failed'}\n${cause.message}\n\nReplay it with:\n  ${replayLine}\n`, { cause });
}
