import { Map as IMap } from 'immutable';
import { NO_DIVERGENCE, applyTracked } from './divergence.ts';
import { heal, whoChooses } from './heal.ts';
import { beginIncident, type IncidentStart } from './incident.ts';
import { EMPTY_LINK, deliverDue, send } from './network.ts';
import { MAX_SKEW_MS, isCut, otherDc } from './vocab.ts';
import { quorumStatus } from './quorum.ts';
import { emptyReplica } from './replica.ts';
import { recordWritten, startSplit } from './split.ts';
import { NO_REWIND, afterHeal, noteCommand, rewind } from './rewind.ts';
import {
  PINNED_POST_ID,
  type Command,
  type Ctx,
  type DcId,
  type LinkSettings,
  type Op,
  type OpKind,
  type ParticipantId,
  type Post,
  type PostId,
  type RejectCode,
  type Rejection,
  type SimEvent,
  type SimState,
  type StepResult,
} from './types.ts';
import { ZERO_VV, bumpVV } from './vv.ts';

/** The author id of the instructor's own writes (choices made from the admin page). */
export const INSTRUCTOR = 'instructor';

/** Default link: 400 ms one way, with jitter enough to reorder close messages; a slow link takes 3 s. */
export const DEFAULT_LINK: LinkSettings = { latencyMs: 400, jitterMs: 100, mode: 'up', since: null, slowLatencyMs: 3000 };


/** A new session: both datacenters hold only the pinned class post; `seed` fixes every random draw. */
export function createInitialState(seed: number): SimState {
  return {
    participants: IMap(),
    replicas: { west: emptyReplica('west'), east: emptyReplica('east') },
    link: DEFAULT_LINK,
    consistency: { w: 1, r: 1 },
    settings: { switchLocked: false },
    skew: { west: 0, east: 0 },
    inFlight: EMPTY_LINK,
    split: null,
    nextMessageSeq: 0,
    rng: seed | 0,
    now: 0,
    strategy: 'lww',
    lastHeal: null,
    opKinds: IMap(),
    divergence: NO_DIVERGENCE,
    rewind: NO_REWIND,
  };
}

/** A datacenter's wall clock: server time plus its skew (CLK1). */
export function wallClock(state: SimState, dc: DcId, now: number): number {
  return now + state.skew[dc];
}

/** True when this session has already accepted this op id, before a reset included (REL2, REL5). */
export function isApplied(state: SimState, opId: string): boolean {
  return state.opKinds.has(opId);
}

/**
 * A write whose op id the session has seen: the same kind is a retry, accepted as a no-op (REL2);
 * another kind reuses the id and is refused (SEC9). Null for a new op id.
 */
function seenBefore(state: SimState, opId: string, kind: OpKind): StepResult | null {
  const previous = state.opKinds.get(opId);
  if (previous === undefined) return null;
  if (previous === kind) return { ok: true, state, events: [] };
  return reject('op_id_reused', `That op id was already used for a ${previous}: send this ${kind} with a new one.`);
}

/** Applies a side's own new ops, records their ids for the session, and puts them on the link. */
function commitLocal(state: SimState, dc: DcId, ops: readonly Op[], now: number): StepResult {
  let opKinds = state.opKinds;
  for (const op of ops) opKinds = opKinds.set(op.opId, op.kind);
  let next = applyTracked({ ...state, opKinds }, dc, ops, true);
  for (const op of ops) next = send(next, op, now);
  // During a split the heal must see every write, also one a one-way cut lets through at once.
  if (next.split) next = { ...next, split: recordWritten(next.split, dc, ops) };
  return { ok: true, state: next, events: ops.map((op) => ({ type: 'op.applied', dc, op, local: true, at: now })) };
}

function reject(code: RejectCode, message: string): StepResult {
  return { ok: false, error: { code, message } };
}

/** A person's write to a post: everything with an op id but a choice between versions. */
export type PostCommand = Exclude<Extract<Command, { opId: string }>, { type: 'conflict.resolve' }>;

/** Which post a command writes, and what kind of op it becomes. */
function opTarget(command: PostCommand): { postId: PostId; kind: OpKind } {
  switch (command.type) {
    case 'post.create':
      return { postId: command.opId, kind: 'create' };
    case 'post.edit':
      return { postId: command.postId, kind: 'edit' };
    case 'post.delete':
      return { postId: command.postId, kind: 'delete' };
    case 'post.like':
      return { postId: command.postId, kind: 'like' };
    case 'post.unlike':
      return { postId: command.postId, kind: 'unlike' };
    default: {
      const unknown: never = command;
      throw new Error(`not a post command: ${JSON.stringify(unknown)}`);
    }
  }
}

/** The rules a person's write must pass in their home datacenter, checked against that side's view. */
function checkWrite(command: PostCommand, participant: ParticipantId, post: Post | undefined, parent: Post | undefined): StepResult | null {
  if (command.type === 'post.create') {
    if (command.parentId === null) return null;
    if (!parent?.created) return reject('unknown_post', 'The post you are replying to does not exist here.');
    if (parent.deleted) return reject('post_deleted', 'The post you are replying to was deleted.');
    return null;
  }
  if (!post?.created) return reject('unknown_post', 'That post does not exist in your datacenter.');
  if (post.deleted) return reject('post_deleted', 'That post was deleted.');
  if (post.siblings && (command.type === 'post.edit' || command.type === 'post.delete')) {
    return reject('in_conflict', 'This post has conflicting versions: choose one first.');
  }
  const ownOrPinned = post.author === participant || post.id === PINNED_POST_ID;
  if (command.type === 'post.edit' && !ownOrPinned) return reject('not_author', 'You can only edit your own posts and the pinned class post.');
  if (command.type === 'post.delete') {
    if (post.id === PINNED_POST_ID) return reject('invalid', 'The pinned class post cannot be deleted.');
    if (post.author !== participant) return reject('not_author', 'You can only delete your own posts.');
  }
  return null;
}

/** A person's write: stamped in their home datacenter, applied there, and sent over the link. */
function write(state: SimState, command: PostCommand, now: number): StepResult {
  const participant = state.participants.get(command.participantId);
  if (!participant) return reject('unknown_participant', 'Unknown participant: join the session again.');
  const { postId, kind } = opTarget(command);
  const seen = seenBefore(state, command.opId, kind);
  if (seen) return seen;
  const dc = participant.home;
  const replica = state.replicas[dc];
  const post = replica.posts.get(postId);
  const parent = command.type === 'post.create' && command.parentId !== null ? replica.posts.get(command.parentId) : undefined;
  const refusal = checkWrite(command, participant.id, post, parent);
  if (refusal) return refusal;
  const quorum = quorumStatus(state, dc);
  if (quorum.writeRefusal !== null) return reject('no_quorum', quorum.writeRefusal);
  if (kind === 'create' && post) return reject('invalid', 'That op id is already a post.');

  const op: Op = {
    opId: command.opId,
    kind,
    postId,
    author: participant.id,
    ...(command.type === 'post.create' ? { parentId: command.parentId, text: command.text } : {}),
    ...(command.type === 'post.edit' ? { text: command.text } : {}),
    origin: dc,
    wall: wallClock(state, dc, now),
    lamport: replica.lamport + 1,
    vv: bumpVV(post?.vv ?? ZERO_VV, dc),
    at: now,
  };
  return commitLocal(state, dc, [op], now);
}

/**
 * A person's choice between conflicting versions (HUM2): a new write whose vector dominates every
 * sibling, so it replicates like any write, and can itself conflict if made during a new split.
 * "Both" keeps West's version on the post and makes East's a post of its own.
 */
function resolveConflict(state: SimState, command: Extract<Command, { type: 'conflict.resolve' }>, now: number): StepResult {
  const participant = command.participantId === null ? null : state.participants.get(command.participantId);
  if (command.participantId !== null && !participant) return reject('unknown_participant', 'Unknown participant: join the session again.');
  const seen = seenBefore(state, command.opId, 'resolve');
  if (seen) return seen;
  const dc = participant?.home ?? command.dc ?? 'west';
  const replica = state.replicas[dc];
  const post = replica.posts.get(command.postId);
  if (!post?.created) return reject('unknown_post', 'That post does not exist in your datacenter.');
  if (!post.siblings) return reject('no_conflict', 'That post has no conflict to resolve (someone may have chosen already).');
  if (participant && whoChooses(post.id) === 'author' && post.author !== participant.id) {
    return reject('not_author', 'Only the author (or the instructor) chooses between versions of this post.');
  }
  const quorum = quorumStatus(state, dc);
  if (quorum.writeRefusal !== null) return reject('no_quorum', quorum.writeRefusal);
  const keep = command.keep === 'both' ? 'west' : command.keep;
  const chosen = post.siblings.find((s) => s.dc === keep);
  if (!chosen) return reject('invalid', `There is no ${keep} version to keep.`);
  const author = participant?.id ?? INSTRUCTOR;
  const stamp = { origin: dc, wall: wallClock(state, dc, now), at: now, author };
  const ops: Op[] = [
    {
      ...stamp,
      opId: command.opId,
      kind: 'resolve',
      postId: post.id,
      text: chosen.text,
      deleted: chosen.deleted,
      textBy: chosen.textBy,
      textWall: chosen.textWall,
      lamport: replica.lamport + 1,
      vv: bumpVV(post.vv, dc),
    },
  ];
  const other = post.siblings.find((s) => s.dc !== keep);
  if (command.keep === 'both' && other) {
    const copyId = `${command.opId}-both`;
    ops.push({ ...stamp, author: post.author, opId: copyId, kind: 'create', postId: copyId, parentId: post.parentId, text: other.text, lamport: replica.lamport + 2, vv: bumpVV(ZERO_VV, dc) });
  }
  return commitLocal(state, dc, ops, now);
}

/** Balanced placement: a newcomer goes to the datacenter with fewer people (West on a tie). */
function homeForNewcomer(state: SimState): DcId {
  const counts = { west: 0, east: 0 };
  for (const p of state.participants.values()) counts[p.home] += 1;
  return counts.east < counts.west ? 'east' : 'west';
}

function settingsChanged(state: SimState): StepResult {
  return { ok: true, state, events: [{ type: 'settings.changed' }] };
}

/** Failover or roaming (FO1): the same person, whose next writes originate in `to`. */
function move(state: SimState, participantId: ParticipantId, to: DcId): StepResult {
  const participant = state.participants.get(participantId);
  if (!participant) return reject('unknown_participant', 'Unknown participant.');
  if (participant.home === to) return { ok: true, state, events: [] };
  const moved = { ...participant, home: to };
  return {
    ok: true,
    state: { ...state, participants: state.participants.set(participantId, moved) },
    events: [{ type: 'participant.moved', participant: moved, from: participant.home }],
  };
}

/**
 * Cuts, slows or heals the link (NET2, NET3). Whatever the new mode lets through that was held
 * goes through the heal path now; what the new mode blocks stays on the link.
 */
function changeLinkMode(state: SimState, mode: LinkSettings['mode'], slowLatencyMs: number | undefined, now: number): StepResult {
  if (slowLatencyMs !== undefined && !(slowLatencyMs >= 0)) return reject('invalid', 'The slow link needs a latency of 0 ms or more.');
  // Leaving a working link for any cut starts a split: from now on, what each side writes is indexed.
  const split = state.split ?? (isCut(mode) ? startSplit(state.inFlight, now) : null);
  const link: LinkSettings = {
    ...state.link,
    mode,
    since: mode === state.link.mode ? state.link.since : now,
    slowLatencyMs: slowLatencyMs ?? state.link.slowLatencyMs,
  };
  const next = { ...state, link, split };
  // Fully open again after a cut: the session's strategy puts the two sides back together.
  // A cut that only changes direction lets one side's messages through with the usual merge rule;
  // the split goes on, so the heal still settles them. A heal keeps what came before it (rewind.ts).
  const healed =
    isCut(state.link.mode) && !isCut(mode)
      ? afterHeal(state, heal(next, now), now, step)
      : isCut(state.link.mode)
        ? deliverDue(next, now, now)
        : { state: next, events: [] };
  return { ok: true, state: healed.state, events: [{ type: 'settings.changed' }, ...healed.events] };
}

function apply(state: SimState, command: Command, now: number): StepResult {
  switch (command.type) {
    case 'participant.join': {
      if (state.participants.has(command.participantId)) return { ok: true, state, events: [] };
      const participant = { id: command.participantId, name: command.name, home: homeForNewcomer(state), joinedAt: now };
      return {
        ok: true,
        state: { ...state, participants: state.participants.set(participant.id, participant) },
        events: [{ type: 'participant.joined', participant }],
      };
    }
    case 'post.create':
    case 'post.edit':
    case 'post.delete':
    case 'post.like':
    case 'post.unlike':
      return write(state, command, now);
    case 'link.configure': {
      if (!(command.latencyMs >= 0 && command.jitterMs >= 0)) return reject('invalid', 'Latency and jitter cannot be negative.');
      return settingsChanged({ ...state, link: { ...state.link, latencyMs: command.latencyMs, jitterMs: command.jitterMs } });
    }
    case 'link.mode':
      return changeLinkMode(state, command.mode, command.slowLatencyMs, now);
    case 'clock.skew':
      if (!(Math.abs(command.skewMs) <= MAX_SKEW_MS)) return reject('invalid', `Clock skew is at most ${MAX_SKEW_MS / 1000} s either way.`);
      return settingsChanged({ ...state, skew: { ...state.skew, [command.dc]: command.skewMs } });
    case 'consistency.set': {
      const valid = (q: number) => Number.isInteger(q) && q >= 1 && q <= 5;
      if (!valid(command.w) || !valid(command.r)) return reject('invalid', 'W and R are whole numbers from 1 to 5.');
      return settingsChanged({ ...state, consistency: { w: command.w, r: command.r } });
    }
    case 'participant.move':
      return move(state, command.participantId, command.to);
    case 'participant.switch': {
      const participant = state.participants.get(command.participantId);
      if (!participant) return reject('unknown_participant', 'Unknown participant: join the session again.');
      if (state.settings.switchLocked) return reject('locked', 'The instructor has locked datacenters: you cannot switch now.');
      return move(state, participant.id, otherDc(participant.home));
    }
    case 'settings.lockSwitch':
      return settingsChanged({ ...state, settings: { ...state.settings, switchLocked: command.locked } });
    case 'strategy.set':
      return settingsChanged({ ...state, strategy: command.strategy });
    case 'conflict.resolve':
      return resolveConflict(state, command, now);
    case 'session.reset': {
      const fresh = createInitialState(state.rng);
      const reset: SimState = {
        ...fresh,
        participants: state.participants,
        link: { ...state.link, mode: 'up', since: null },
        consistency: state.consistency,
        settings: state.settings,
        skew: state.skew,
        strategy: state.strategy,
        nextMessageSeq: state.nextMessageSeq,
        // Op ids outlive a reset: a retry sent before it is still a retry after it (REL5).
        opKinds: state.opKinds,
        rewind: { ...NO_REWIND, heals: state.rewind.heals },
        now,
      };
      return { ok: true, state: reset, events: [{ type: 'session.reset' }] };
    }
    case 'heal.rewind':
      return rewind(state, command.healIndex, now, step);
    case 'incident.replay': {
      const started = startIncident(state, command, now);
      if (!started.ok) return started;
      const { state: replayed, events } = started.run.advance(started.state, Infinity);
      return { ok: true, state: replayed, events };
    }
    case 'consensus.act':
      return { ok: true, state, events: [{ type: 'consensus.acted', act: command.act }] };
    case 'tick':
      return { ok: true, state, events: [] };
    default: {
      const unknown: never = command;
      return reject('invalid', `Unknown command ${JSON.stringify(unknown)}`);
    }
  }
}

/**
 * The core's one entry point: `step(state, command, ctx) -> { state, events }`. Pure: it reads
 * the time from `ctx` only and never mutates `state`. First it delivers every message due by
 * now, so a log of commands replays to the same state without logging ticks. A refusal changes
 * nothing, not even the deliveries: the adapter keeps its old state.
 */
export function step(state: SimState, command: Command, ctx: Ctx): StepResult {
  const now = Math.max(state.now, ctx.now);
  const delivered = deliverDue({ ...state, now }, now);
  const result = apply(delivered.state, command, now);
  if (!result.ok) return result;
  const events: SimEvent[] = [...delivered.events, ...result.events];
  return { ok: true, state: noteCommand(result.state, command, result.events), events };
}

/**
 * The same state with the collections that grow with every op (each replica's posts and applied
 * ids, the session's op ids) made mutable, for a replay that owns it: the core's write paths all
 * use the collection they get back, so these are then changed in place instead of copying a path
 * of the persistent map per op. O(1): a collection that is mutable already is kept. A state like
 * this must never reach `step` or anyone else: `releaseCollections` first.
 */
export function ownCollections(state: SimState): SimState {
  const replica = (dc: DcId) => {
    const r = state.replicas[dc];
    const posts = r.posts.asMutable();
    const applied = r.applied.asMutable();
    return posts === r.posts && applied === r.applied ? r : { ...r, posts, applied };
  };
  const west = replica('west');
  const east = replica('east');
  const opKinds = state.opKinds.asMutable();
  if (west === state.replicas.west && east === state.replicas.east && opKinds === state.opKinds) return state;
  return { ...state, replicas: { west, east }, opKinds };
}

/** The owned collections frozen again (O(1)): a plain persistent state, safe to share and to `step`. */
export function releaseCollections(state: SimState): SimState {
  const replica = (dc: DcId) => {
    const r = state.replicas[dc];
    return { ...r, posts: r.posts.asImmutable(), applied: r.applied.asImmutable() };
  };
  return { ...state, replicas: { west: replica('west'), east: replica('east') }, opKinds: state.opKinds.asImmutable() };
}

/** What a replay step did: the new state, its events, and why the command was refused, if it was. */
export interface ReplayStepResult {
  readonly state: SimState;
  readonly events: readonly SimEvent[];
  readonly error: Rejection | null;
}

/**
 * `step` for a replay that owns its state (`ownCollections`): the same rules and events, but the
 * input state is changed in place, so the caller must use the returned state only. A refused
 * command keeps the deliveries that were due before it, with their events: they are made in place
 * already, and stepping live, the next command (or tick) makes the same deliveries in the same
 * order, so the states agree again from the next step on. A link change runs on released
 * collections, since a heal keeps each side's copy from before it.
 */
export function replayStep(state: SimState, command: Command, ctx: Ctx): ReplayStepResult {
  const now = Math.max(state.now, ctx.now);
  const delivered = deliverDue({ ...state, now }, now);
  // A heal keeps each side's copy from before it, and the incident steps its script: both on persistent maps.
  const persistent = command.type === 'link.mode' || command.type === 'incident.replay';
  const result = apply(persistent ? releaseCollections(delivered.state) : delivered.state, command, now);
  if (!result.ok) return { state: ownCollections(delivered.state), events: delivered.events, error: result.error };
  const events = delivered.events.length === 0 ? result.events : [...delivered.events, ...result.events];
  // A reset or a heal brings new persistent maps: owned again, still O(1). Writes after a heal are
  // noted for a rewind, as `step` notes them.
  return { state: ownCollections(noteCommand(result.state, command, result.events)), events, error: null };
}

/**
 * Replays a log of timed commands from a fresh state: restart recovery (REL1) and tests use it.
 * The replay owns its state, so its maps are changed in place (see `replayStep`); the state it
 * returns is a plain persistent one, equal to stepping the log one command at a time (PERF1).
 */
export function replay(seed: number, log: Iterable<{ readonly at: number; readonly command: Command }>): SimState {
  let state = ownCollections(createInitialState(seed));
  for (const entry of log) state = replayStep(state, entry.command, { now: entry.at }).state;
  return releaseCollections(state);
}

/**
 * The incident (INC1) in chunks, for an adapter that shows progress and keeps serving other
 * sessions between them: `advance` until done gives exactly the state `step` gives at once.
 */
export function startIncident(state: SimState, command: Extract<Command, { type: 'incident.replay' }>, now: number): IncidentStart {
  return beginIncident(state, command, now, step);
}
