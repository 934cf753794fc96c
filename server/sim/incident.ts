/**
 * The seed's incident, replayed (INC1): a 12-minute split compressed into the lesson. From a seed
 * and a size it yields the same history every time: people arrive, write a few posts that reach
 * both sides, then the link is cut and each side takes `size` new posts and replies, edits, likes,
 * unlikes and deletes. Two people per side roam to the other side halfway through (a phone that
 * changed networks) and edit their shared posts there too, so both sides edit the same objects;
 * posts deleted on one side get replies and likes on the other (broken threads, phantom likes).
 *
 * The script is commands only: the core applies each like any other command, so every rule holds
 * for the incident too. It is logged as one command (seed and size) and regenerated on replay.
 */
import { nextRandom } from './rng.ts';
import {
  DATACENTERS,
  INCIDENT_WRITE_KINDS,
  PINNED_POST_ID,
  type Command,
  type Ctx,
  type DcId,
  type IncidentSummary,
  type IncidentWriteKind,
  type ParticipantId,
  type PostId,
  type Rejection,
  type SimEvent,
  type SimState,
  type StepResult,
} from './types.ts';

export { INCIDENT_SIZES, INCIDENT_WRITE_KINDS, type IncidentSize, type IncidentWriteKind } from './vocab.ts';

/** How long the story's split lasted; the script's times run from 14 minutes before its end. */
export const INCIDENT_SPLIT_MS = 12 * 60_000;
const BEFORE_SPLIT_MS = 2 * 60_000;
/** The last shared post is written this long before the split, so the link delivers it to both sides first. */
const QUIET_BEFORE_SPLIT_MS = 15_000;
const PEOPLE_PER_SIDE = 12;
const ROAMERS_PER_SIDE = 2;

/** One step of the script: a command and its time, relative to the start of the split (negative before it). */
export interface IncidentStep {
  readonly offset: number;
  readonly command: Command;
}

/** What the script asks for: per side, how many of each write; the core's counts must match on a fresh session. */
export interface IncidentPlan {
  readonly people: number;
  /** Posts written before the split, so both sides hold them. */
  readonly shared: number;
  /** Writes during the split, per side. */
  readonly perSide: Readonly<Record<DcId, Readonly<Record<IncidentWriteKind, number>>>>;
}

const NAMES = ['Ana', 'Ben', 'Cleo', 'Dev', 'Eli', 'Fay', 'Gus', 'Hana', 'Ivo', 'Jun', 'Kai', 'Lea', 'Max', 'Nia', 'Oto', 'Pia', 'Quin', 'Rae', 'Sam', 'Tia', 'Uma', 'Vic', 'Wes', 'Xia'];

/** Writes per side during the split, for `size` new posts and replies per side. */
export function incidentPlan(size: number): IncidentPlan {
  const side = {
    post: Math.round(size * 0.8),
    reply: size - Math.round(size * 0.8),
    edit: Math.max(4, Math.round(size / 10)),
    like: Math.max(8, Math.round(size / 4)),
    unlike: Math.max(1, Math.round(size / 50)),
    delete: Math.max(2, Math.round(size / 200)),
  };
  return { people: PEOPLE_PER_SIDE * 2, shared: Math.max(20, Math.round(size / 50)), perSide: { west: side, east: side } };
}

/** A seeded stream of numbers in [0, 1), the core's own PRNG. */
class Draw {
  constructor(private state: number) {}
  next(): number {
    const r = nextRandom(this.state);
    this.state = r.state;
    return r.value;
  }
  below(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(items: readonly T[]): T | undefined {
    return items.length === 0 ? undefined : items[this.below(items.length)];
  }
}

interface Person {
  readonly id: ParticipantId;
  home: DcId;
  readonly roams: boolean;
}

/** What one side can see, as far as the script needs to write valid commands. */
class SideView {
  /** Posts visible here that anyone may reply to or like; deleted ones are skipped on pick. */
  readonly visible: PostId[] = [];
  readonly deleted = new Set<PostId>();
  readonly likes: { post: PostId; by: ParticipantId }[] = [];
  /** Each person's newest post written on this side: what they edit. */
  readonly lastPost = new Map<ParticipantId, PostId>();
  /** Three picks in ten go to the posts both sides hold, where the story's conflicts are. */
  pickVisible(draw: Draw, shared: number): PostId | undefined {
    for (let tries = 0; tries < 8; tries += 1) {
      const id = draw.next() < 0.3 ? this.visible[draw.below(Math.min(shared + 1, this.visible.length))] : draw.pick(this.visible);
      if (id !== undefined && !this.deleted.has(id)) return id;
    }
    return undefined;
  }
}

/**
 * The script. `runId` makes its op ids unique for the life of the session (REL5), so the same
 * incident can be replayed again after a reset; `seed` alone decides the history.
 */
export function* incidentScript(seed: number, size: number, runId: string): Generator<IncidentStep> {
  const plan = incidentPlan(size);
  const draw = new Draw(seed);
  let n = 0;
  const opId = () => `${runId}-${(n++).toString(36)}`;
  const people: Person[] = [];
  const authorOf = new Map<PostId, ParticipantId>();
  const view: Record<DcId, SideView> = { west: new SideView(), east: new SideView() };
  for (const dc of DATACENTERS) view[dc].visible.push(PINNED_POST_ID);

  // People arrive and are seated: half West, half East; the first two of each side will roam.
  for (let i = 0; i < plan.people; i += 1) {
    const home: DcId = i % 2 === 0 ? 'west' : 'east';
    const person: Person = { id: `${runId}-p${i}`, home, roams: Math.floor(i / 2) < ROAMERS_PER_SIDE };
    people.push(person);
    const offset = -BEFORE_SPLIT_MS - 60_000 + i;
    yield { offset, command: { type: 'participant.join', participantId: person.id, name: `${NAMES[i % NAMES.length] ?? 'Guest'} (bot)` } };
    yield { offset, command: { type: 'participant.move', participantId: person.id, to: home } };
  }

  // Before the split: shared posts, one in four by a roamer, that replicate to both sides.
  const sharedOfRoamer = new Map<ParticipantId, PostId[]>();
  for (let i = 0; i < plan.shared; i += 1) {
    const roamers = people.filter((p) => p.roams);
    const author = i % 4 === 0 ? roamers[(i / 4) % roamers.length] : people[i % people.length];
    if (!author) continue;
    const id = opId();
    authorOf.set(id, author.id);
    if (author.roams) sharedOfRoamer.set(author.id, [...(sharedOfRoamer.get(author.id) ?? []), id]);
    for (const dc of DATACENTERS) view[dc].visible.push(id);
    yield { offset: -BEFORE_SPLIT_MS + Math.floor((i * (BEFORE_SPLIT_MS - QUIET_BEFORE_SPLIT_MS)) / plan.shared), command: { type: 'post.create', opId: id, participantId: author.id, parentId: null, text: `Shared post ${i + 1}: written before the split` } };
  }

  // The split: writes of both sides interleaved over 12 minutes, roamers crossing at half time.
  const kinds = (dc: DcId) => INCIDENT_WRITE_KINDS.flatMap((kind) => Array.from({ length: plan.perSide[dc][kind] }, () => kind));
  const queue: Record<DcId, IncidentWriteKind[]> = { west: shuffle(kinds('west'), draw), east: shuffle(kinds('east'), draw) };
  const total = queue.west.length + queue.east.length;
  // Read with a cursor, not `shift()`: shifting a 150K-element array costs O(n) per write.
  const next: Record<DcId, number> = { west: 0, east: 0 };
  const left = (dc: DcId) => queue[dc].length - next[dc];
  let crossed = false;
  // Who is seated where changes only when the roamers cross: kept, not filtered per write.
  const seatedIn = (dc: DcId) => people.filter((p) => p.home === dc);
  let seated: Record<DcId, Person[]> = { west: seatedIn('west'), east: seatedIn('east') };
  for (let k = 0; k < total; k += 1) {
    const offset = Math.floor((k * INCIDENT_SPLIT_MS) / total);
    if (!crossed && k >= total / 2) {
      crossed = true;
      for (const person of people.filter((p) => p.roams)) {
        person.home = person.home === 'west' ? 'east' : 'west';
        yield { offset, command: { type: 'participant.move', participantId: person.id, to: person.home } };
      }
      seated = { west: seatedIn('west'), east: seatedIn('east') };
    }
    const dc: DcId = k % 2 === 0 ? (left('west') > 0 ? 'west' : 'east') : left('east') > 0 ? 'east' : 'west';
    const kind = queue[dc][next[dc]];
    next[dc] += 1;
    if (!kind) continue;
    const command = write(kind, dc);
    if (command) yield { offset, command };
  }

  function write(kind: IncidentWriteKind, dc: DcId): Command | null {
    const side = view[dc];
    const here = seated[dc];
    const person = draw.pick(here);
    if (!person) return null;
    switch (kind) {
      case 'post':
      case 'reply': {
        const parentId = kind === 'reply' ? (side.pickVisible(draw, plan.shared) ?? null) : null;
        const id = opId();
        authorOf.set(id, person.id);
        side.lastPost.set(person.id, id);
        side.visible.push(id);
        return { type: 'post.create', opId: id, participantId: person.id, parentId, text: `${dc === 'west' ? 'West' : 'East'} ${kind} ${n}` };
      }
      case 'edit': {
        // A roamer edits their shared posts wherever they are: the same object edited on both sides.
        const roamer = here.find((p) => p.roams && (sharedOfRoamer.get(p.id)?.length ?? 0) > 0 && draw.next() < 0.5);
        const own = roamer ? draw.pick(sharedOfRoamer.get(roamer.id) ?? []) : undefined;
        const mine = side.lastPost.get(person.id);
        const target =
          own !== undefined && !side.deleted.has(own)
            ? { post: own, by: roamer?.id ?? person.id }
            : mine !== undefined && !side.deleted.has(mine) && draw.next() < 0.6
              ? { post: mine, by: person.id }
              : { post: PINNED_POST_ID, by: person.id };
        return { type: 'post.edit', opId: opId(), participantId: target.by, postId: target.post, text: `Edited in ${dc === 'west' ? 'West' : 'East'} (${n})` };
      }
      case 'like': {
        const postId = side.pickVisible(draw, plan.shared);
        if (postId === undefined) return null;
        side.likes.push({ post: postId, by: person.id });
        return { type: 'post.like', opId: opId(), participantId: person.id, postId };
      }
      case 'unlike': {
        const like = side.likes.pop();
        if (!like || side.deleted.has(like.post) || !here.some((p) => p.id === like.by)) return null;
        return { type: 'post.unlike', opId: opId(), participantId: like.by, postId: like.post };
      }
      case 'delete': {
        // A post of someone seated here, shared ones first: the other side keeps replying to it.
        const candidates: PostId[] = [];
        for (const id of side.visible) {
          if (candidates.length >= 64) break;
          if (id !== PINNED_POST_ID && !side.deleted.has(id) && here.some((p) => p.id === authorOf.get(id))) candidates.push(id);
        }
        const postId = draw.pick(candidates);
        const by = postId === undefined ? undefined : authorOf.get(postId);
        if (postId === undefined || by === undefined) return null;
        side.deleted.add(postId);
        return { type: 'post.delete', opId: opId(), participantId: by, postId };
      }
      default: {
        const unknown: never = kind;
        throw new Error(`unknown write kind ${String(unknown)}`);
      }
    }
  }
}

function shuffle<T>(items: T[], draw: Draw): T[] {
  for (let i = items.length - 1; i > 0; i -= 1) {
    const j = draw.below(i + 1);
    const a = items[i] as T;
    items[i] = items[j] as T;
    items[j] = a;
  }
  return items;
}

// ---- the incident as one command -----------------------------------------------------------------

/** The largest incident the core builds: the lecture's 100K posts per side. */
export const MAX_INCIDENT_SIZE = 100_000;

/** The core's `step`, passed in by step.ts so this module does not import it back. */
export type Stepper = (state: SimState, command: Command, ctx: Ctx) => StepResult;

/** Where a replay stands after a chunk: `applied` script steps of `total` are done (applied or refused). */
export interface IncidentProgress {
  readonly state: SimState;
  readonly done: boolean;
  readonly applied: number;
  readonly total: number;
  /** Empty until `done`: then the settings change, the people who joined and the one summary event. */
  readonly events: readonly SimEvent[];
}

/** A replay in progress: each `advance` takes the state the previous one returned. */
export interface IncidentRun {
  readonly total: number;
  advance(state: SimState, maxSteps: number): IncidentProgress;
}

export type IncidentStart = { readonly ok: false; readonly error: Rejection } | { readonly ok: true; readonly state: SimState; readonly run: IncidentRun };

/** How many steps the script has at most (a write it cannot make is skipped by the script itself). */
export function incidentSteps(size: number): number {
  const plan = incidentPlan(size);
  let writes = 0;
  for (const dc of DATACENTERS) for (const kind of INCIDENT_WRITE_KINDS) writes += plan.perSide[dc][kind];
  return plan.people * 2 + plan.shared + ROAMERS_PER_SIDE * 2 + writes;
}

const noWrites = (): Record<IncidentWriteKind, number> => ({ post: 0, reply: 0, edit: 0, like: 0, unlike: 0, delete: 0 });

function writeKind(command: Command): IncidentWriteKind | null {
  switch (command.type) {
    case 'post.create':
      return command.parentId === null ? 'post' : 'reply';
    case 'post.edit':
      return 'edit';
    case 'post.like':
      return 'like';
    case 'post.unlike':
      return 'unlike';
    case 'post.delete':
      return 'delete';
    default:
      return null;
  }
}

function must(result: StepResult): { state: SimState; events: readonly SimEvent[] } {
  if (!result.ok) throw new Error(`the incident's own step was refused: ${result.error.message}`);
  return result;
}

/**
 * Starts replaying the incident on `state` at server time `now` (INC1). The story is placed in
 * the past: its split began 12 minutes before `now`; the people arrive and the shared posts are
 * written before that, what was due by the split is delivered, the link is cut at the split's
 * start, and each side's writes are applied at their own times. Every script step goes through
 * `step`, so a write passes the same checks as a person's; a refused one is skipped and counted.
 * Applying it in chunks of any size gives the same state as applying it at once.
 */
export function beginIncident(state: SimState, command: Extract<Command, { type: 'incident.replay' }>, now: number, stepper: Stepper): IncidentStart {
  const { seed, size, runId } = command;
  if (!Number.isSafeInteger(seed) || !Number.isInteger(size) || size < 1 || size > MAX_INCIDENT_SIZE || !/^[A-Za-z0-9_-]{1,40}$/.test(runId)) {
    return { ok: false, error: { code: 'invalid', message: `An incident needs a whole seed, a size from 1 to ${MAX_INCIDENT_SIZE} and a run id.` } };
  }
  if (state.link.mode !== 'up') return { ok: false, error: { code: 'invalid', message: 'Heal the link first: the incident cuts it itself.' } };
  const t = Math.max(state.now, now);
  // What was due is delivered first, as `step` does before any command; then both sides accept (AP).
  const due = must(stepper(state, { type: 'tick' }, { now: t }));
  const start = must(stepper(due.state, { type: 'consistency.set', w: 1, r: 1 }, { now: t })).state;
  const splitAt = t - INCIDENT_SPLIT_MS;
  const script = incidentScript(seed, size, runId);
  const total = incidentSteps(size);
  const perSide = { west: noWrites(), east: noWrites() };
  const joined: SimEvent[] = [...due.events];
  let applied = 0;
  let refused = 0;
  let shared = 0;
  let consumed = 0;
  let cut = false;

  const cutAt = (s: SimState): SimState => {
    // Deliver what was due before the split (the shared posts reach both sides), then cut there.
    const delivered = must(stepper({ ...s, now: splitAt }, { type: 'tick' }, { now: splitAt })).state;
    cut = true;
    return must(stepper(delivered, { type: 'link.mode', mode: 'cut' }, { now: splitAt })).state;
  };

  const run: IncidentRun = {
    total,
    advance(current: SimState, maxSteps: number): IncidentProgress {
      let s = current;
      for (let n = 0; n < maxSteps; n += 1) {
        const next = script.next();
        if (next.done === true) {
          if (!cut) s = cutAt(s);
          const summary: IncidentSummary = { seed, size, runId, splitAt, applied, refused, people: incidentPlan(size).people, shared, perSide };
          return {
            state: { ...s, now: t },
            done: true,
            applied: total,
            total,
            events: [{ type: 'settings.changed' }, ...joined, { type: 'incident.replayed', summary }],
          };
        }
        consumed += 1;
        const { offset, command: scripted } = next.value;
        if (!cut && offset >= 0) s = cutAt(s);
        const at = splitAt + offset;
        const kind = writeKind(scripted);
        const writer = kind !== null && 'participantId' in scripted && scripted.participantId !== null ? s.participants.get(scripted.participantId) : undefined;
        const home: DcId | undefined = writer?.home;
        // The story's own time: earlier than the session's `now`, which is restored when it ends.
        const result = stepper({ ...s, now: at }, scripted, { now: at });
        if (!result.ok) {
          refused += 1;
          continue;
        }
        applied += 1;
        s = result.state;
        if (scripted.type === 'participant.join') for (const e of result.events) if (e.type === 'participant.joined') joined.push(e);
        if (kind !== null && home !== undefined) {
          if (offset < 0) shared += 1;
          else perSide[home][kind] += 1;
        }
      }
      return { state: s, done: false, applied: Math.min(consumed, total), total, events: [] };
    },
  };
  return { ok: true, state: start, run };
}
