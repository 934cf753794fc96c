/**
 * Issue 13's figures: the time to rewind a 10K-op session (and to heal it again, and to replay
 * its log with the rewind at a restart), a scrub's cost with checkpoints, the size of the
 * exported JSON, and the time to import it over HTTP (parse, validate, replay, store, load).
 *
 * Usage: node --import tsx tests/bench/replay.ts [--ops 10000]
 * Prints one line per figure, then one JSON object with every figure as the last line.
 */
import type { LogEntry, SessionRecord } from '../../server/persistence/store.ts';
import { startServer } from '../../server/app.ts';
import { createMemoryStore } from '../../server/persistence/memory-store.ts';
import { Checkpoints } from '../../server/export/replay.ts';
import { ConsensusJournal } from '../../server/realtime/consensus-journal.ts';
import { exportDocument, validateImport } from '../../server/export/document.ts';
import { sessionCsv, shivizLog } from '../../server/export/formats.ts';
import * as sim from '../../server/sim/index.ts';
import type { SimState } from '../../server/sim/index.ts';
import { Workload } from './core.ts';
import { median } from './stats.ts';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const OPS = arg('ops', 10_000);

function time<T>(run: () => T): { ms: number; value: T } {
  const start = performance.now();
  const value = run();
  return { ms: performance.now() - start, value };
}

// A class writes with the link up, then through a split, heals with LWW, and writes on.
const w = new Workload(sim, 7);
// Counted in logged (accepted) commands: a refused write is not in the log.
while (w.log.length < OPS * 0.4) w.mixed();
w.flush();
w.apply({ type: 'link.mode', mode: 'cut' });
while (w.log.length < OPS * 0.95) w.mixed();
w.now += 10;
w.apply({ type: 'link.mode', mode: 'up' });
while (w.log.length < OPS - 3) w.mixed();
const healed = w.state as SimState;

const rewound = time(() => sim.step(healed, { type: 'heal.rewind', healIndex: healed.rewind.heals }, { now: w.now + 10 }));
if (!rewound.value.ok) throw new Error(rewound.value.error.message);
const rewoundState = rewound.value.state;
const strategy = sim.step(rewoundState, { type: 'strategy.set', strategy: 'merge' }, { now: w.now + 11 });
if (!strategy.ok) throw new Error('strategy refused');
const reheal = time(() => sim.step(strategy.state, { type: 'link.mode', mode: 'up' }, { now: w.now + 12 }));
if (!reheal.value.ok) throw new Error('heal refused');
w.log.push({ at: w.now + 10, command: { type: 'heal.rewind', healIndex: healed.rewind.heals } }, { at: w.now + 11, command: { type: 'strategy.set', strategy: 'merge' } }, { at: w.now + 12, command: { type: 'link.mode', mode: 'up' } });

const log: LogEntry[] = w.log.map((e, seq) => ({ seq, key: 'opId' in e.command ? e.command.opId : `admin-${seq}`, at: e.at, command: e.command }));
const record: SessionRecord = { id: 'bench', code: 'BENCH2', secretHash: '0'.repeat(64), seed: 7, createdAt: 1_000_000 };
const restart = time(() => sim.replay(7, log));

// Scrubbing: the first scrub to the end builds the checkpoints; later ones replay at most K entries.
const checkpoints = new Checkpoints(7);
const firstScrub = time(() => checkpoints.at(log, log.length, log.at(-1)!.at));
const scrubs: number[] = [];
for (let i = 1; i <= 20; i += 1) {
  const count = Math.floor((log.length * i) / 21);
  scrubs.push(time(() => checkpoints.at(log, count, log[count - 1]!.at)).ms);
}

// The Raft view at a moment (SCR1): the consensus journal read from the same log (a second core
// replay, and every class write played into Raft), then the view at the end and at 20 moments.
const journal = new ConsensusJournal(7, record.createdAt);
const readStart = performance.now();
await journal.catchUp(log);
const journalReadMs = performance.now() - readStart;
const raftStart = performance.now();
await journal.at(log.at(-1)!.at);
const firstRaftMs = performance.now() - raftStart;
const raftScrubs: number[] = [];
for (let i = 1; i <= 20; i += 1) {
  const t = log[Math.floor((log.length * i) / 21) - 1]!.at;
  const begin = performance.now();
  await journal.at(t);
  raftScrubs.push(performance.now() - begin);
}

const exported = time(() => JSON.stringify(exportDocument(record, log)));
const csv = time(() => sessionCsv(record, log, w.now + 20));
const shiviz = time(() => shivizLog(7, log));
const validate = time(() => validateImport(JSON.parse(exported.value)));

const server = await startServer({ port: 0, host: '127.0.0.1', store: createMemoryStore(), rateLimit: null, log: () => {} });
const start = performance.now();
const response = await fetch(`${server.url}/api/import`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: exported.value });
const importMs = performance.now() - start;
const imported = (await response.json()) as { code?: string; error?: string };
await server.close();
if (!imported.code) throw new Error(`import failed: ${imported.error}`);

const figures = {
  logEntries: log.length,
  heldAtHeal: healed.lastHeal?.held,
  rewindMs: +rewound.ms.toFixed(2),
  healAgainMs: +reheal.ms.toFixed(1),
  restartReplayMs: Math.round(restart.ms),
  firstScrubMs: Math.round(firstScrub.ms),
  scrubMedianMs: +median(scrubs).toFixed(1),
  checkpoints: checkpoints.size,
  raftJournalMs: Math.round(journalReadMs),
  raftFirstMs: Math.round(firstRaftMs),
  raftScrubMedianMs: +median(raftScrubs).toFixed(1),
  exportMs: Math.round(exported.ms),
  exportBytes: Buffer.byteLength(exported.value),
  csvBytes: Buffer.byteLength(csv.value),
  csvMs: Math.round(csv.ms),
  shivizBytes: Buffer.byteLength(shiviz.value),
  shivizMs: Math.round(shiviz.ms),
  validateMs: Math.round(validate.ms),
  importHttpMs: Math.round(importMs),
};
console.log(`log entries                    ${figures.logEntries} (held at the heal: West ${figures.heldAtHeal?.west}, East ${figures.heldAtHeal?.east})`);
console.log(`rewind (heal.rewind step)      ${figures.rewindMs} ms`);
console.log(`heal again (merge everything)  ${figures.healAgainMs} ms`);
console.log(`restart: replay the whole log  ${figures.restartReplayMs} ms`);
console.log(`scrub: first (builds ${figures.checkpoints} checkpoints) ${figures.firstScrubMs} ms; then median ${figures.scrubMedianMs} ms`);
console.log(`Raft view: read the journal ${figures.raftJournalMs} ms, first look ${figures.raftFirstMs} ms; then median ${figures.raftScrubMedianMs} ms`);
console.log(`export JSON                    ${(figures.exportBytes / 1024 / 1024).toFixed(2)} MB in ${figures.exportMs} ms`);
console.log(`export CSV / ShiViz            ${(figures.csvBytes / 1024).toFixed(0)} KB in ${figures.csvMs} ms / ${(figures.shivizBytes / 1024).toFixed(0)} KB in ${figures.shivizMs} ms`);
console.log(`import: validate + replay      ${figures.validateMs} ms; over HTTP end to end ${figures.importHttpMs} ms`);
console.log(JSON.stringify(figures));
