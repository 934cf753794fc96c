/**
 * The incident's divergent history merged by Yjs and by Automerge, for `bench:heal` (issue 9):
 * the same ops the core applied on each side of the split, replayed as library edits, then
 * merged the library's way. It gives the figures our heal is compared with (merge time) and
 * what each library's default conflict rule keeps from the history.
 *
 * The history comes from the core's public entry point only (`step` and its `op.applied`
 * events), so it stays valid whatever the core's data structures are.
 *
 * Model, in both libraries: `posts`: post id -> { author, parentId, text, deleted, likes: liker -> bool }.
 * Usage: node --import tsx tests/bench/heal-libs.ts [postsPerSide...]   (default: 1000 10000)
 * Env: HEAL_LIBS_SEED (1); Automerge's child process: HEAL_LIBS_AM_BUDGET_S (600, per string mode),
 * HEAL_LIBS_AM_MAX_RSS_MB (4096), HEAL_LIBS_AM_MODES (text,immutable).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as Automerge from '@automerge/automerge';
import * as Y from 'yjs';
import { incidentScript } from '../../server/sim/incident.ts';
import { CLASS_AUTHOR, PINNED_POST_ID, PINNED_TEXT, createInitialState, step, type Command, type DcId, type Op, type SimState } from '../../server/sim/index.ts';
import { median } from './stats.ts';

/** Server time of the split's start: the script's offsets are relative to it. */
const SPLIT_AT = 10_000_000;
const RUNS = 5;

/** The incident as the core applied it: what both sides hold, then each side's writes during the split. */
export interface DivergentHistory {
  readonly seed: number;
  readonly size: number;
  /** Every op applied before the split, in order; both sides hold all of them when the link is cut. */
  readonly base: readonly Op[];
  readonly west: readonly Op[];
  readonly east: readonly Op[];
  /** Script commands the core refused; they are in no side's history. */
  readonly refused: number;
  /** Base ops still on the link when it was cut (0 for the incident: its last shared post is seconds before). */
  readonly undeliveredAtCut: number;
  readonly buildMs: number;
}

function mustStep(state: SimState, command: Command, now: number) {
  const result = step(state, command, { now });
  if (!result.ok) throw new Error(`refused ${command.type}: ${result.error.message}`);
  return result;
}

/** Runs the incident script through the core and collects the ops each side accepted, from its events. */
export function divergentHistory(seed: number, size: number): DivergentHistory {
  const t0 = performance.now();
  let state = createInitialState(seed);
  const base: Op[] = [];
  const sides: Record<DcId, Op[]> = { west: [], east: [] };
  const delivered = new Set<string>();
  let cut = false;
  let refused = 0;
  for (const { offset, command } of incidentScript(seed, size, 'inc')) {
    const now = SPLIT_AT + offset;
    if (!cut && offset >= 0) {
      const result = mustStep(state, { type: 'link.mode', mode: 'cut' }, now);
      for (const event of result.events) if (event.type === 'op.applied' && !event.local) delivered.add(event.op.opId);
      state = result.state;
      cut = true;
    }
    const result = step(state, command, { now });
    if (!result.ok) {
      refused += 1;
      continue;
    }
    state = result.state;
    for (const event of result.events) {
      if (event.type !== 'op.applied') continue;
      if (!event.local) {
        if (!cut) delivered.add(event.op.opId);
      } else (cut ? sides[event.dc] : base).push(event.op);
    }
  }
  const undeliveredAtCut = base.filter((op) => !delivered.has(op.opId)).length;
  return { seed, size, base, west: sides.west, east: sides.east, refused, undeliveredAtCut, buildMs: performance.now() - t0 };
}

// ---- merged content, the same shape for every library (and for our strategies) ------------------

/** One post after a merge. `textVersions` lists the text versions still visible (a library's conflicts, our siblings). */
export interface MergedPost {
  readonly author: string;
  readonly parentId: string | null;
  readonly text: string;
  readonly deleted: boolean;
  readonly likes: Readonly<Record<string, boolean>>;
  readonly textVersions?: readonly string[];
}
export type MergedContent = ReadonlyMap<string, MergedPost>;

/** Timings of one library's merge: medians of RUNS fresh runs; building the docs is not timed. */
export interface LibraryMerge {
  readonly library: string;
  /** Building both sides' docs from the history, once. */
  readonly buildMs: number;
  /** The merge both ways, median. */
  readonly mergeMs: number;
  readonly runsMs: readonly number[];
  /** Both sides hold the same state after the merge. */
  readonly converged: boolean;
  readonly merged: MergedContent;
  readonly details: Readonly<Record<string, number>>;
}

// ---- Yjs ---------------------------------------------------------------------------------------

/** Fixed client ids, so Yjs's tie-break (by client id) is the same on every run. */
const YJS_CLIENT: Readonly<Record<'base' | DcId, number>> = { base: 1, west: 2, east: 3 };
type YPostValue = string | boolean | null | Y.Map<boolean>;
type YPost = Y.Map<YPostValue>;

function yjsPost(fields: { author: string; parentId: string | null; text: string }): YPost {
  return new Y.Map<YPostValue>([
    ['author', fields.author],
    ['parentId', fields.parentId],
    ['text', fields.text],
    ['deleted', false],
    ['likes', new Y.Map<boolean>()],
  ]);
}

function yjsApply(posts: Y.Map<YPost>, op: Op): void {
  if (op.kind === 'create') {
    posts.set(op.postId, yjsPost({ author: op.author, parentId: op.parentId ?? null, text: op.text ?? '' }));
    return;
  }
  const post = posts.get(op.postId);
  if (!post) throw new Error(`${op.kind} on a post this side does not hold: ${op.postId}`);
  const likes = post.get('likes') as Y.Map<boolean>;
  switch (op.kind) {
    case 'edit':
      post.set('text', op.text ?? '');
      return;
    case 'delete':
      post.set('deleted', true);
      return;
    case 'like':
      likes.set(op.author, true);
      return;
    case 'unlike':
      likes.set(op.author, false);
      return;
    case 'resolve':
      post.set('text', op.text ?? '');
      post.set('deleted', op.deleted ?? false);
      return;
    default: {
      const unknown: never = op.kind;
      throw new Error(`unknown op kind ${String(unknown)}`);
    }
  }
}

function yjsDoc(client: number, update?: Uint8Array): Y.Doc {
  const doc = new Y.Doc();
  // Loading a doc's own earlier writes under its id would make Yjs pick a new id: set it after.
  if (update) Y.applyUpdate(doc, update);
  doc.clientID = client;
  return doc;
}

/** Each side's full Yjs state as an update: the same base update under both, then its own ops, one transaction each. */
function yjsSides(history: DivergentHistory): Record<DcId, Uint8Array> {
  const base = yjsDoc(YJS_CLIENT.base);
  const basePosts = base.getMap<YPost>('posts');
  base.transact(() => basePosts.set(PINNED_POST_ID, yjsPost({ author: CLASS_AUTHOR, parentId: null, text: PINNED_TEXT })));
  for (const op of history.base) base.transact(() => yjsApply(basePosts, op));
  const baseUpdate = Y.encodeStateAsUpdate(base);
  const side = (dc: DcId) => {
    const doc = yjsDoc(YJS_CLIENT[dc], baseUpdate);
    const posts = doc.getMap<YPost>('posts');
    for (const op of history[dc]) doc.transact(() => yjsApply(posts, op));
    return Y.encodeStateAsUpdate(doc);
  };
  return { west: side('west'), east: side('east') };
}

/** A Yjs doc's posts as plain merged content. */
export function yjsContent(doc: Y.Doc): Map<string, MergedPost> {
  const out = new Map<string, MergedPost>();
  doc.getMap<YPost>('posts').forEach((post, id) => {
    const likes = post.get('likes') as Y.Map<boolean>;
    out.set(id, {
      author: post.get('author') as string,
      parentId: post.get('parentId') as string | null,
      text: post.get('text') as string,
      deleted: post.get('deleted') as boolean,
      likes: likes.toJSON(),
    });
  });
  return out;
}

/** Canonical JSON of merged content, to compare two replicas whatever their key order. */
export function canonical(content: MergedContent): string {
  const ids = [...content.keys()].sort();
  return JSON.stringify(
    ids.map((id) => {
      const p = content.get(id) as MergedPost;
      const likes = Object.keys(p.likes).sort().map((k) => [k, p.likes[k]]);
      return [id, p.author, p.parentId, p.text, p.deleted, likes];
    }),
  );
}

/**
 * Yjs: both sides' docs from the history, then the merge timed: each side's update encoded
 * against the other's state vector, and both applied. Median of RUNS runs on fresh docs.
 */
export function mergeWithYjs(history: DivergentHistory, runs = RUNS): LibraryMerge & { readonly westDoc: Y.Doc; readonly eastDoc: Y.Doc } {
  const t0 = performance.now();
  const sides = yjsSides(history);
  const buildMs = performance.now() - t0;
  const runsMs: number[] = [];
  const encodeMs: number[] = [];
  let last: { west: Y.Doc; east: Y.Doc; bytes: number } | null = null;
  for (let run = 0; run < runs; run += 1) {
    const west = yjsDoc(YJS_CLIENT.west, sides.west);
    const east = yjsDoc(YJS_CLIENT.east, sides.east);
    const start = performance.now();
    const toEast = Y.encodeStateAsUpdate(west, Y.encodeStateVector(east));
    const toWest = Y.encodeStateAsUpdate(east, Y.encodeStateVector(west));
    const encoded = performance.now();
    Y.applyUpdate(east, toEast);
    Y.applyUpdate(west, toWest);
    runsMs.push(performance.now() - start);
    encodeMs.push(encoded - start);
    last = { west, east, bytes: toEast.byteLength + toWest.byteLength };
  }
  if (!last) throw new Error('no run');
  const merged = yjsContent(last.west);
  return {
    library: 'yjs 13.6.33',
    buildMs,
    mergeMs: median(runsMs),
    runsMs,
    converged: canonical(merged) === canonical(yjsContent(last.east)),
    merged,
    details: { encodeMs: median(encodeMs), applyMs: median(runsMs) - median(encodeMs), updateBytes: last.bytes },
    westDoc: last.west,
    eastDoc: last.east,
  };
}

// ---- Automerge ---------------------------------------------------------------------------------

/**
 * How post texts are stored. Automerge's default for a JS string is collaborative text (one op
 * per character); an ImmutableString is a plain register, the same model as Yjs's map values.
 */
export type AutomergeStrings = 'text' | 'immutable';

interface AmPost {
  author: string;
  parentId: string | null;
  text: string | Automerge.ImmutableString;
  deleted: boolean;
  likes: Record<string, boolean>;
}
interface AmDoc {
  posts: Record<string, AmPost>;
}

/** Fixed actor ids (hex), so Automerge's tie-break is the same on every run. */
const AM_ACTOR: Readonly<Record<'base' | DcId, string>> = { base: '0000', west: 'aaaa', east: 'bbbb' };

function amText(text: string, strings: AutomergeStrings): string | Automerge.ImmutableString {
  return strings === 'text' ? text : new Automerge.ImmutableString(text);
}

function amApply(doc: AmDoc, op: Op, strings: AutomergeStrings): void {
  if (op.kind === 'create') {
    doc.posts[op.postId] = { author: op.author, parentId: op.parentId ?? null, text: amText(op.text ?? '', strings), deleted: false, likes: {} };
    return;
  }
  const post = doc.posts[op.postId];
  if (!post) throw new Error(`${op.kind} on a post this side does not hold: ${op.postId}`);
  switch (op.kind) {
    case 'edit':
      post.text = amText(op.text ?? '', strings);
      return;
    case 'delete':
      post.deleted = true;
      return;
    case 'like':
      post.likes[op.author] = true;
      return;
    case 'unlike':
      post.likes[op.author] = false;
      return;
    case 'resolve':
      post.text = amText(op.text ?? '', strings);
      post.deleted = op.deleted ?? false;
      return;
    default: {
      const unknown: never = op.kind;
      throw new Error(`unknown op kind ${String(unknown)}`);
    }
  }
}

/** Each side's Automerge doc: the base, cloned under the side's actor, then one change per op. */
function automergeSides(history: DivergentHistory, strings: AutomergeStrings): Record<DcId, Automerge.Doc<AmDoc>> {
  let base = Automerge.change(Automerge.init<AmDoc>({ actor: AM_ACTOR.base }), (d) => {
    d.posts = {};
    d.posts[PINNED_POST_ID] = { author: CLASS_AUTHOR, parentId: null, text: amText(PINNED_TEXT, strings), deleted: false, likes: {} };
  });
  for (const op of history.base) base = Automerge.change(base, (d) => amApply(d, op, strings));
  const side = (dc: DcId) => {
    let doc = Automerge.clone(base, { actor: AM_ACTOR[dc] });
    for (const op of history[dc]) doc = Automerge.change(doc, (d) => amApply(d, op, strings));
    return doc;
  };
  return { west: side('west'), east: side('east') };
}

/** Posts edited (or resolved) on both sides during the split: where a text register conflicts. */
function editedOnBothSides(history: DivergentHistory): Set<string> {
  const edited = (ops: readonly Op[]) => new Set(ops.filter((op) => op.kind === 'edit' || op.kind === 'resolve').map((op) => op.postId));
  const west = edited(history.west);
  return new Set([...edited(history.east)].filter((id) => west.has(id)));
}

function automergeContent(doc: Automerge.Doc<AmDoc>, conflicted: ReadonlySet<string>): Map<string, MergedPost> {
  const out = new Map<string, MergedPost>();
  for (const [id, post] of Object.entries(doc.posts)) {
    const conflicts = conflicted.has(id) ? Automerge.getConflicts(post, 'text') : undefined;
    const versions = conflicts ? Object.values(conflicts).map(String) : [];
    out.set(id, {
      author: post.author,
      parentId: post.parentId,
      text: String(post.text),
      deleted: post.deleted,
      likes: { ...post.likes },
      ...(versions.length > 1 ? { textVersions: versions } : {}),
    });
  }
  return out;
}

/**
 * Automerge in this process: both sides' docs built once (one change per op), then
 * `Automerge.merge` both ways on fresh clones, median of RUNS runs. May run out of memory at
 * large sizes: the benchmark calls `mergeWithAutomerge`, which runs this in a capped child.
 */
export function mergeWithAutomergeHere(history: DivergentHistory, strings: AutomergeStrings = 'text', runs = RUNS, onPhase: (phase: string) => void = () => {}): LibraryMerge {
  const t0 = performance.now();
  onPhase('building the docs');
  const sides = automergeSides(history, strings);
  const buildMs = performance.now() - t0;
  onPhase(`merging (docs built in ${(buildMs / 1000).toFixed(0)} s)`);
  const runsMs: number[] = [];
  let last: { west: Automerge.Doc<AmDoc>; east: Automerge.Doc<AmDoc> } | null = null;
  for (let run = 0; run < runs; run += 1) {
    const west = Automerge.clone(sides.west);
    const east = Automerge.clone(sides.east);
    const start = performance.now();
    const w = Automerge.merge(west, sides.east);
    const e = Automerge.merge(east, sides.west);
    runsMs.push(performance.now() - start);
    last = { west: w, east: e };
  }
  if (!last) throw new Error('no run');
  const heads = (doc: Automerge.Doc<AmDoc>) => [...Automerge.getHeads(doc)].sort().join();
  const changes = (doc: Automerge.Doc<AmDoc>) => Automerge.getAllChanges(doc).length;
  return {
    library: `automerge 3.5.0 (${strings === 'text' ? 'strings as text, the default' : 'ImmutableString'})`,
    buildMs,
    mergeMs: median(runsMs),
    runsMs,
    converged: heads(last.west) === heads(last.east),
    merged: automergeContent(last.west, editedOnBothSides(history)),
    details: { changes: changes(last.west), savedBytes: Automerge.save(last.west).byteLength },
  };
}

/** What the child process sends back: the merge, or why there is none. */
export type AutomergeOutcome = ({ readonly ok: true } & LibraryMerge) | { readonly ok: false; readonly reason: string; readonly peakRssMb: number };

interface WireMerge extends Omit<LibraryMerge, 'merged'> {
  readonly merged: [string, MergedPost][];
}

const THIS_FILE = fileURLToPath(import.meta.url);
const WORKER_FLAG = '--automerge-worker';

function rssMb(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/**
 * Automerge in a child process under a memory cap (RSS, wasm included) and a time budget: at
 * 100K posts per side it can exhaust memory, and a crash must not take the benchmark with it.
 */
export async function mergeWithAutomerge(
  history: DivergentHistory,
  options: { strings?: AutomergeStrings; budgetMs?: number; maxRssMb?: number } = {},
): Promise<AutomergeOutcome> {
  const strings = options.strings ?? 'text';
  const budgetMs = options.budgetMs ?? Number(process.env.HEAL_LIBS_AM_BUDGET_S ?? 600) * 1000;
  const maxRssMb = options.maxRssMb ?? Number(process.env.HEAL_LIBS_AM_MAX_RSS_MB ?? 4096);
  const dir = mkdtempSync(join(tmpdir(), 'heal-libs-'));
  const input = join(dir, 'history.json');
  const output = join(dir, 'merge.json');
  writeFileSync(input, JSON.stringify(history));
  try {
    const child = spawn(process.execPath, ['--import', 'tsx', THIS_FILE, WORKER_FLAG, input, output, strings], { stdio: ['ignore', 'pipe', 'pipe'] });
    let phase = 'starting';
    child.stdout.on('data', (chunk: Buffer) => {
      phase = lastLine(chunk.toString()) || phase;
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    let peakRssMb = 0;
    let killedFor = null as string | null; // set by the watch timer: no narrowing to null
    const started = performance.now();
    const watch = setInterval(() => {
      if (child.pid === undefined) return;
      peakRssMb = Math.max(peakRssMb, rssMb(child.pid));
      if (peakRssMb > maxRssMb) killedFor = `out of memory (RSS passed the ${maxRssMb} MB cap)`;
      else if (performance.now() - started > budgetMs) killedFor = `time budget exceeded (${Math.round(budgetMs / 1000)} s)`;
      if (killedFor) child.kill('SIGKILL');
    }, 100);
    const code = await new Promise<number | null>((done) => child.on('exit', (exitCode) => done(exitCode)));
    clearInterval(watch);
    if (killedFor) return { ok: false, reason: `${killedFor} while ${phase}`, peakRssMb };
    if (code !== 0 || !existsSync(output)) {
      const oom = /memory|allocation|unreachable/i.test(stderr);
      return { ok: false, reason: oom ? `out of memory (${lastLine(stderr)})` : `failed (exit ${String(code)}): ${lastLine(stderr)}`, peakRssMb };
    }
    const wire = JSON.parse(readFileSync(output, 'utf8')) as WireMerge;
    return { ok: true, ...wire, merged: new Map(wire.merged), details: { ...wire.details, peakRssMb } };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function lastLine(text: string): string {
  return (
    text
      .trim()
      .split('\n')
      .filter((l) => l.trim() !== '')
      .at(-1) ?? ''
  ).slice(0, 200);
}

function automergeWorker(input: string, output: string, strings: AutomergeStrings): void {
  const history = JSON.parse(readFileSync(input, 'utf8')) as DivergentHistory;
  const result = mergeWithAutomergeHere(history, strings, RUNS, (phase) => console.log(phase));
  const wire: WireMerge = { ...result, merged: [...result.merged] };
  writeFileSync(output, JSON.stringify(wire));
}

// ---- what each library keeps -------------------------------------------------------------------

/** One row of the table: a situation in the history, how often it occurs, and what each merge kept. */
export interface KeepsRow {
  readonly situation: string;
  /** How many objects of the history are in this situation (posts, replies or liker pairs). */
  readonly count: number;
  /** Per merge (column): its figures for this row; each row's figures add up to `count`. */
  readonly figures: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** Per merge: the figures as a phrase for the printed table. */
  readonly keeps: Readonly<Record<string, string>>;
}

/** Each post's state after a side's own ops, as far as the table needs it. */
interface SideFacts {
  readonly created: ReadonlySet<string>;
  readonly lastEdit: ReadonlyMap<string, string>;
  readonly deleted: ReadonlySet<string>;
  /** Liker pairs (post \0 liker) touched during the split, with the side's final value. */
  readonly likes: ReadonlyMap<string, boolean>;
  readonly liked: ReadonlySet<string>;
  readonly replies: readonly Op[];
}

function sideFacts(ops: readonly Op[]): SideFacts {
  const created = new Set<string>();
  const lastEdit = new Map<string, string>();
  const deleted = new Set<string>();
  const likes = new Map<string, boolean>();
  const liked = new Set<string>();
  const replies: Op[] = [];
  for (const op of ops) {
    if (op.kind === 'create') {
      created.add(op.postId);
      if (op.parentId != null) replies.push(op);
    }
    if (op.kind === 'edit' || op.kind === 'resolve') lastEdit.set(op.postId, op.text ?? '');
    if (op.kind === 'delete') deleted.add(op.postId);
    if (op.kind === 'like' || op.kind === 'unlike') likes.set(`${op.postId}\0${op.author}`, op.kind === 'like');
    if (op.kind === 'like') liked.add(op.postId);
  }
  return { created, lastEdit, deleted, likes, liked, replies };
}

const pairOf = (key: string): [string, string] => key.split('\0') as [string, string];

/**
 * The table of what each merge keeps from the history: posts edited on both sides, likes on
 * posts liked on both sides, and posts deleted on one side and replied to, liked or edited on
 * the other. `others` adds columns in the same shape (our strategies' converged content).
 */
export function whatEachKeeps(history: DivergentHistory, yjsMerged: MergedContent, automergeMerged: MergedContent | null, others: Readonly<Record<string, MergedContent>> = {}): KeepsRow[] {
  const columns: Record<string, MergedContent> = { yjs: yjsMerged, ...(automergeMerged ? { automerge: automergeMerged } : {}), ...others };
  const side: Record<DcId, SideFacts> = { west: sideFacts(history.west), east: sideFacts(history.east) };
  const rows: KeepsRow[] = [];
  const row = <F extends Record<string, number>>(situation: string, count: number, measure: (content: MergedContent) => F, phrase: (f: F) => string) => {
    const figures: Record<string, F> = {};
    const keeps: Record<string, string> = {};
    for (const [name, content] of Object.entries(columns)) {
      const f = measure(content);
      figures[name] = f;
      keeps[name] = phrase(f);
    }
    rows.push({ situation, count, figures, keeps });
  };

  const created = [...side.west.created, ...side.east.created];
  row(
    'posts and replies created during the split',
    created.length,
    (c) => ({ kept: created.filter((id) => c.has(id)).length, missing: created.filter((id) => !c.has(id)).length }),
    (f) => `${f.kept} kept, ${f.missing} missing`,
  );

  const both = [...editedOnBothSides(history)];
  row(
    'posts edited on both sides',
    both.length,
    (c) => {
      const f = { west: 0, east: 0, other: 0, versionsVisible: 0 };
      for (const id of both) {
        const post = c.get(id);
        const winner = post?.text === side.west.lastEdit.get(id) ? 'west' : post?.text === side.east.lastEdit.get(id) ? 'east' : 'other';
        f[winner] += 1;
        if ((post?.textVersions?.length ?? 0) > 1) f.versionsVisible += 1;
      }
      return f;
    },
    (f) => `one version each: West's ${f.west}, East's ${f.east}${f.other ? `, neither ${f.other}` : ''}; ${f.versionsVisible} with both still visible`,
  );

  // Likes on posts liked on both sides: a pair both sides touched may disagree (a like against an unlike).
  const likedBoth = new Set([...side.west.liked].filter((id) => side.east.liked.has(id)));
  const pairs = new Set([...side.west.likes.keys(), ...side.east.likes.keys()].filter((k) => likedBoth.has(pairOf(k)[0])));
  const agreeLiked: string[] = [];
  const agreeUnliked: string[] = [];
  const disagree: string[] = [];
  for (const key of pairs) {
    const values = [side.west.likes.get(key), side.east.likes.get(key)].filter((v) => v !== undefined);
    if (values.every((v) => v)) agreeLiked.push(key);
    else if (values.every((v) => !v)) agreeUnliked.push(key);
    else disagree.push(key);
  }
  const likedIn = (c: MergedContent, key: string) => {
    const [post, liker] = pairOf(key);
    return c.get(post)?.likes[liker] === true;
  };
  row(
    'liker pairs on posts liked on both sides',
    pairs.size,
    (c) => {
      const kept = agreeLiked.filter((k) => likedIn(c, k)).length;
      const revived = agreeUnliked.filter((k) => likedIn(c, k)).length;
      const likeWon = disagree.filter((k) => likedIn(c, k)).length;
      return { liked: agreeLiked.length, kept, dropped: agreeLiked.length - kept, unliked: agreeUnliked.length, revived, stayUnliked: agreeUnliked.length - revived, conflicts: disagree.length, likeWon, unlikeWon: disagree.length - likeWon };
    },
    (f) => `${f.kept} of ${f.liked} likes kept (${f.kept === f.liked && f.revived === 0 ? 'union' : 'not a union'}); like vs unlike: like ${f.likeWon}, unlike ${f.unlikeWon}`,
  );

  // Deleted on one side, answered on the other.
  const deletedElsewhere = (dc: DcId) => side[dc === 'west' ? 'east' : 'west'].deleted;
  const replies = (['west', 'east'] as const).flatMap((dc) => side[dc].replies.filter((op) => deletedElsewhere(dc).has(op.parentId ?? '')));
  row(
    'replies to a post deleted on the other side',
    replies.length,
    (c) => {
      const kept = replies.filter((op) => c.has(op.postId));
      return { kept: kept.length, underDeletedParent: kept.filter((op) => c.get(op.parentId ?? '')?.deleted === true).length, lost: replies.length - kept.length };
    },
    (f) => `${f.kept} kept (${f.underDeletedParent} under a deleted parent: broken threads), ${f.lost} lost`,
  );

  const phantom = (['west', 'east'] as const).flatMap((dc) => [...side[dc].likes].filter(([key, on]) => on && deletedElsewhere(dc).has(pairOf(key)[0])).map(([key]) => key));
  row(
    'likes on a post deleted on the other side',
    phantom.length,
    (c) => {
      const kept = phantom.filter((k) => likedIn(c, k)).length;
      return { kept, onDeletedPost: phantom.filter((k) => likedIn(c, k) && c.get(pairOf(k)[0])?.deleted === true).length, lost: phantom.length - kept };
    },
    (f) => `${f.kept} kept (${f.onDeletedPost} on a deleted post: phantom likes), ${f.lost} lost`,
  );

  const editedDeleted = (['west', 'east'] as const).flatMap((dc) => [...side[dc].lastEdit].filter(([id]) => deletedElsewhere(dc).has(id)).map(([id, text]) => ({ id, text })));
  row(
    'posts edited on one side and deleted on the other',
    editedDeleted.length,
    (c) => {
      const f = { deletedWithEdit: 0, deletedWithoutEdit: 0, restored: 0 };
      for (const { id, text } of editedDeleted) {
        const post = c.get(id);
        if (post?.deleted !== true) f.restored += 1;
        else if (post.text === text) f.deletedWithEdit += 1;
        else f.deletedWithoutEdit += 1;
      }
      return f;
    },
    (f) => `${f.deletedWithEdit + f.deletedWithoutEdit} stay deleted (${f.deletedWithEdit} holding the edit), ${f.restored} restored`,
  );
  return rows;
}

// ---- the script --------------------------------------------------------------------------------

function table(headers: readonly string[], body: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(headers), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n');
}

const ms = (value: number) => `${value.toFixed(1)} ms`;

async function main(sizes: readonly number[]): Promise<void> {
  const seed = Number(process.env.HEAL_LIBS_SEED ?? 1);
  const modes = (process.env.HEAL_LIBS_AM_MODES ?? 'text,immutable').split(',').filter((m): m is AutomergeStrings => m === 'text' || m === 'immutable');
  const figures: unknown[] = [];
  for (const size of sizes) {
    const history = divergentHistory(seed, size);
    console.log(
      `\n## ${size} posts per side (seed ${seed}): ${history.base.length} base ops, West ${history.west.length}, East ${history.east.length}; ` +
        `${history.refused} refused; history built by the core in ${(history.buildMs / 1000).toFixed(1)} s`,
    );
    const yjs = mergeWithYjs(history);
    const automerge: Partial<Record<AutomergeStrings, AutomergeOutcome>> = {};
    for (const strings of modes) automerge[strings] = await mergeWithAutomerge(history, { strings });
    const libs = [{ ok: true as const, ...yjs }, ...Object.values(automerge)];
    console.log(
      table(
        ['library', 'build (once)', 'merge both ways, median of 5', 'converged', 'notes'],
        libs.map((lib) =>
          lib.ok
            ? [lib.library, ms(lib.buildMs), ms(lib.mergeMs), String(lib.converged), Object.entries(lib.details).map(([k, v]) => `${k} ${Math.round(v)}`).join(', ')]
            : ['automerge 3.5.0', '-', lib.reason, '-', `peak RSS ${Math.round(lib.peakRssMb)} MB`],
        ),
      ),
    );
    const keptBy = Object.values(automerge).find((lib) => lib.ok);
    const keeps = whatEachKeeps(history, yjs.merged, keptBy?.ok ? keptBy.merged : null);
    const names = Object.keys(keeps[0]?.keeps ?? {});
    console.log(`\nWhat each default conflict rule keeps (Yjs: clientID West ${YJS_CLIENT.west} < East ${YJS_CLIENT.east}; Automerge: actor West ${AM_ACTOR.west} < East ${AM_ACTOR.east})`);
    console.log(table(['situation', 'count', ...names], keeps.map((r) => [r.situation, String(r.count), ...names.map((n) => r.keeps[n] ?? '')])));
    const summary = (lib: AutomergeOutcome) => (lib.ok ? { mergeMs: lib.mergeMs, buildMs: lib.buildMs, converged: lib.converged, ...lib.details } : { error: lib.reason, peakRssMb: lib.peakRssMb });
    figures.push({
      size,
      ops: { base: history.base.length, west: history.west.length, east: history.east.length, refused: history.refused },
      historyBuildMs: history.buildMs,
      yjs: { mergeMs: yjs.mergeMs, buildMs: yjs.buildMs, converged: yjs.converged, ...yjs.details },
      automerge: automerge.text ? summary(automerge.text) : null,
      automergeImmutable: automerge.immutable ? summary(automerge.immutable) : null,
      keeps: keeps.map((r) => ({ situation: r.situation, count: r.count, ...r.figures })),
    });
  }
  console.log(JSON.stringify({ bench: 'heal-libs', seed, runs: RUNS, sizes: figures }));
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === THIS_FILE) {
  if (process.argv[2] === WORKER_FLAG) {
    const [, , , input, output, strings] = process.argv;
    if (!input || !output || (strings !== 'text' && strings !== 'immutable')) throw new Error('usage: --automerge-worker IN OUT text|immutable');
    automergeWorker(input, output, strings);
  } else {
    const sizes = process.argv.length > 2 ? process.argv.slice(2).map(Number) : [1000, 10_000];
    await main(sizes);
  }
}
