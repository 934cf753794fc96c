/**
 * `npm run bench:heal` (issue 9): the seed's incident at 1K, 10K and 100K posts per side, built
 * by the core's own `incident.replay` command, then previewed and healed under each strategy,
 * stored as its one log row through the SQLite store, and compared with Yjs and Automerge merging
 * the same divergent history. Prints a table per size and, as its last line, one JSON object.
 *
 * - build: one `incident.replay` step on a fresh session (what a restart replays too);
 * - preview: `previewHeal` (all three strategies), median of 5;
 * - heal: `link.mode up` on the same built state (persistent: it is kept and healed 5 times), median of 5 per strategy;
 * - persistence: one `appendMany` of the command through the Prisma/SQLite store;
 * - heap: `heapUsed` after a full gc, with the built state held (and the peak of those samples).
 *
 * Usage: node --import tsx tests/bench/heal.ts [postsPerSide...]   (default: 1000 10000 100000)
 * Env: HEAL_SEED (1); HEAL_LIBS_AM_MODES (text), HEAL_LIBS_AM_BUDGET_S (120): Automerge runs in a capped child.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createPrismaStore } from '../../server/persistence/prisma-store.ts';
import {
  DATACENTERS,
  STRATEGIES,
  createInitialState,
  incidentScript,
  previewHeal,
  step,
  type Command,
  type IncidentSummary,
  type Op,
  type SimState,
  type Strategy,
} from '../../server/sim/index.ts';
import { mergeWithAutomerge, mergeWithYjs, whatEachKeeps, type AutomergeOutcome, type DivergentHistory, type MergedContent, type MergedPost } from './heal-libs.ts';
import { median } from './stats.ts';

const RUNS = 5;
/** Server time of the command: the story's split began 12 minutes before. */
const AT = 100_000_000;

/** A full collection, then the heap in use: what the state really holds. */
const gc: () => void = (globalThis as { gc?: () => void }).gc ?? (setFlagsFromString('--expose-gc'), runInNewContext('gc') as () => void);
function heapMb(): number {
  gc();
  return process.memoryUsage().heapUsed / 1024 / 1024;
}

export interface BuiltIncident {
  readonly command: Extract<Command, { type: 'incident.replay' }>;
  readonly state: SimState;
  readonly summary: IncidentSummary;
  readonly buildMs: number;
}

/** The incident as the server builds it: one `incident.replay` step on a fresh session. */
export function buildIncident(seed: number, size: number): BuiltIncident {
  const command = { type: 'incident.replay', seed, size, runId: 'bench' } as const;
  const t0 = performance.now();
  const result = step(createInitialState(seed), command, { now: AT });
  const buildMs = performance.now() - t0;
  if (!result.ok) throw new Error(result.error.message);
  const event = result.events.find((e) => e.type === 'incident.replayed');
  if (event?.type !== 'incident.replayed') throw new Error('no summary');
  return { command, state: result.state, summary: event.summary, buildMs };
}

/** The same history for the libraries: the posts shared before the split, then each side's ops as the cut link holds them. */
export function historyOf(built: BuiltIncident): DivergentHistory {
  const { seed, size, runId } = built.command;
  const base: Op[] = [];
  for (const { offset, command } of incidentScript(seed, size, runId)) {
    if (offset >= 0) break;
    if (command.type !== 'post.create') continue;
    // The library models read the post's fields only; the clocks do not matter to them.
    base.push({ opId: command.opId, kind: 'create', postId: command.opId, author: command.participantId, parentId: command.parentId, text: command.text, origin: 'west', wall: 0, lamport: 0, vv: { west: 0, east: 0 }, at: 0 });
  }
  const side = (dc: (typeof DATACENTERS)[number]) => built.state.inFlight[dc].messages.map((m) => m.op).toArray();
  return { seed, size, base, west: side('west'), east: side('east'), refused: built.summary.refused, undeliveredAtCut: 0, buildMs: built.buildMs };
}

/** Heals the built state `RUNS` times under `strategy`: the state is persistent, so each heal starts from the same one. */
export function timeHeals(state: SimState, strategy: Strategy, runs = RUNS): { ms: number[]; healed: SimState } {
  const ready = { ...state, strategy };
  const ms: number[] = [];
  let healed = ready;
  for (let run = 0; run < runs; run += 1) {
    const t0 = performance.now();
    const result = step(ready, { type: 'link.mode', mode: 'up' }, { now: AT + 1000 });
    ms.push(performance.now() - t0);
    if (!result.ok) throw new Error('heal refused');
    healed = result.state;
  }
  return { ms, healed };
}

/** A healed state's posts in the libraries' shape, so the keeps table gets our columns too. */
export function ourContent(state: SimState): MergedContent {
  const posts = state.replicas.west.posts;
  const out = new Map<string, MergedPost>();
  for (const post of posts.values()) {
    if (!post.created || post.duplicateOf !== null) continue;
    const likes: Record<string, boolean> = {};
    for (const [liker, mark] of post.likes) likes[liker] = mark.on;
    const versions = post.siblings ? post.siblings.map((s) => s.text) : null;
    out.set(post.id, { author: post.author, parentId: post.parentId, text: post.text, deleted: post.deleted, likes, ...(versions ? { textVersions: versions } : {}) });
  }
  // Merge-all keeps the other side's version as a post of its own: both versions stay visible.
  for (const post of posts.values()) {
    const original = post.duplicateOf === null ? undefined : out.get(post.duplicateOf);
    if (original && post.duplicateOf !== null) out.set(post.duplicateOf, { ...original, textVersions: [original.text, post.text] });
  }
  return out;
}

/** One `appendMany` of the command through the SQLite store: the incident's whole log row. */
export async function timePersistence(command: Command, dir: string): Promise<number> {
  const store = await createPrismaStore(path.join(dir, `heal-${process.pid}-${command.type === 'incident.replay' ? command.size : 0}.db`));
  try {
    await store.createSession({ id: 'bench', code: 'BENCH3', secretHash: 'x', seed: 1, createdAt: 0 });
    const t0 = performance.now();
    const answer = await store.appendMany('bench', [{ entry: { seq: 0, key: 'incident', at: AT, command } }]);
    const ms = performance.now() - t0;
    if (!answer.stored) throw new Error('not stored');
    return ms;
  } finally {
    await store.close();
  }
}

function table(headers: readonly string[], body: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(headers), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n');
}

const f1 = (ms: number) => ms.toFixed(1);
const ratio = (ours: number, theirs: number | null) => (theirs === null || theirs <= 0 ? null : ours / theirs);

async function main(sizes: readonly number[]): Promise<void> {
  const seed = Number(process.env.HEAL_SEED ?? 1);
  const modes = (process.env.HEAL_LIBS_AM_MODES ?? 'text').split(',').filter((m): m is 'text' | 'immutable' => m === 'text' || m === 'immutable');
  const budgetMs = Number(process.env.HEAL_LIBS_AM_BUDGET_S ?? 120) * 1000;
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-heal-'));
  const figures: unknown[] = [];
  let peakHeapMb = heapMb();
  try {
    for (const size of sizes) {
      const built = buildIncident(seed, size);
      const loadedHeapMb = heapMb();
      peakHeapMb = Math.max(peakHeapMb, loadedHeapMb);
      const previewMs: number[] = [];
      for (let run = 0; run < RUNS; run += 1) {
        const t0 = performance.now();
        previewHeal(built.state, AT + 1000);
        previewMs.push(performance.now() - t0);
      }
      const heals = {} as Record<Strategy, { medianMs: number; runsMs: number[] }>;
      const ours: Record<string, MergedContent> = {};
      for (const strategy of STRATEGIES) {
        const { ms, healed } = timeHeals(built.state, strategy);
        heals[strategy] = { medianMs: median(ms), runsMs: ms };
        ours[`ours: ${strategy}`] = ourContent(healed);
        peakHeapMb = Math.max(peakHeapMb, heapMb());
      }
      const persistMs = await timePersistence(built.command, dir);
      const history = historyOf(built);
      const yjs = mergeWithYjs(history);
      const automerge: Partial<Record<'text' | 'immutable', AutomergeOutcome>> = {};
      for (const strings of modes) automerge[strings] = await mergeWithAutomerge(history, { strings, budgetMs });
      const am = automerge.text ?? automerge.immutable;
      const amMs = am?.ok ? am.mergeMs : null;

      const held = history.west.length + history.east.length;
      console.log(`\n## ${size.toLocaleString('en')} posts per side (seed ${seed}): ${held.toLocaleString('en')} ops held by the cut, ${built.summary.refused} script steps refused`);
      console.log(
        table(
          ['measure', 'ms', 'vs Yjs', 'vs Automerge'],
          [
            ['build (incident.replay, one step)', f1(built.buildMs), '', ''],
            [`preview, all three (median of ${RUNS})`, f1(median(previewMs)), '', ''],
            ...STRATEGIES.map((s) => [`heal ${s} (median of ${RUNS})`, f1(heals[s].medianMs), `${ratio(heals[s].medianMs, yjs.mergeMs)?.toFixed(2) ?? '-'}×`, amMs === null ? '-' : `${ratio(heals[s].medianMs, amMs)?.toFixed(3) ?? '-'}×`]),
            ['persistence (one appendMany, SQLite)', f1(persistMs), '', ''],
            [`Yjs: merge both ways (median of ${RUNS})`, f1(yjs.mergeMs), '', ''],
            ...Object.values(automerge).map((lib) => (lib.ok ? [`${lib.library}: merge (median of ${RUNS})`, f1(lib.mergeMs), '', ''] : ['automerge 3.5.0', lib.reason, '', ''])),
            ['heap after gc, incident loaded (MB)', loadedHeapMb.toFixed(0), '', ''],
          ],
        ),
      );
      const keeps = whatEachKeeps(history, yjs.merged, am?.ok ? am.merged : null, ours);
      const names = Object.keys(keeps[0]?.keeps ?? {});
      console.log('\nWhat each keeps from the same history');
      console.log(table(['situation', 'count', ...names], keeps.map((r) => [r.situation, String(r.count), ...names.map((n) => r.keeps[n] ?? '')])));
      figures.push({
        size,
        held,
        refused: built.summary.refused,
        buildMs: built.buildMs,
        previewMs: median(previewMs),
        heal: Object.fromEntries(STRATEGIES.map((s) => [s, heals[s].medianMs])),
        persistMs,
        loadedHeapMb,
        yjs: { mergeMs: yjs.mergeMs, converged: yjs.converged },
        automerge: Object.fromEntries(Object.entries(automerge).map(([k, lib]) => [k, lib.ok ? { mergeMs: lib.mergeMs, converged: lib.converged } : { error: lib.reason }])),
        ratio: Object.fromEntries(STRATEGIES.map((s) => [s, { yjs: ratio(heals[s].medianMs, yjs.mergeMs), automerge: ratio(heals[s].medianMs, amMs) }])),
        keeps: keeps.map((r) => ({ situation: r.situation, count: r.count, ...r.figures })),
      });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(JSON.stringify({ bench: 'heal', seed, runs: RUNS, peakHeapMb, sizes: figures }));
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const sizes = process.argv.length > 2 ? process.argv.slice(2).map(Number) : [1000, 10_000, 100_000];
  await main(sizes);
}
