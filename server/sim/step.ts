import { deliverDue, send } from './network.ts';
import { applyOp, emptyReplica } from './replica.ts';
import {
  DATACENTERS,
  PINNED_POST_ID,
  type Command,
  type Ctx,
  type DcId,
  type Op,
  type OpKind,
  type ParticipantId,
  type Post,
  type PostId,
  type RejectCode,
  type SimEvent,
  type SimState,
  type StepResult,
} from './types.ts';
import { ZERO_VV, bumpVV } from './vv.ts';

/** Default link: 400 ms one way, with jitter enough to reorder close messages. */
export const DEFAULT_LINK = { latencyMs: 400, jitterMs: 100 } as const;

/** A new session: both datacenters hold only the pinned class post; `seed` fixes every random draw. */
export function createInitialState(seed: number): SimState {
  return {
    participants: {},
    replicas: { west: emptyReplica('west'), east: emptyReplica('east') },
    link: DEFAULT_LINK,
    skew: { west: 0, east: 0 },
    inFlight: [],
    nextMessageSeq: 0,
    rng: seed | 0,
    now: 0,
  };
}

/** A datacenter's wall clock: server time plus its skew (CLK1). */
export function wallClock(state: SimState, dc: DcId, now: number): number {
  return now + state.skew[dc];
}

/** True when some datacenter has already applied this op id (REL2: a retry is applied once). */
export function isApplied(state: SimState, opId: string): boolean {
  return DATACENTERS.some((dc) => state.replicas[dc].applied[opId] === true);
}

function reject(code: RejectCode, message: string): StepResult {
  return { ok: false, error: { code, message } };
}

type PostCommand = Extract<Command, { opId: string }>;

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
  const participant = state.participants[command.participantId];
  if (!participant) return reject('unknown_participant', 'Unknown participant: join the session again.');
  if (isApplied(state, command.opId)) return { ok: true, state, events: [] };
  const dc = participant.home;
  const replica = state.replicas[dc];
  const { postId, kind } = opTarget(command);
  const post = replica.posts[postId];
  const parent = command.type === 'post.create' && command.parentId !== null ? replica.posts[command.parentId] : undefined;
  const refusal = checkWrite(command, participant.id, post, parent);
  if (refusal) return refusal;
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
  };
  const applied: SimState = { ...state, replicas: { ...state.replicas, [dc]: applyOp(replica, op, true) } };
  return { ok: true, state: send(applied, op, now), events: [{ type: 'op.applied', dc, op, local: true }] };
}

/** Balanced placement: a newcomer goes to the datacenter with fewer people (West on a tie). */
function homeForNewcomer(state: SimState): DcId {
  const counts = { west: 0, east: 0 };
  for (const p of Object.values(state.participants)) counts[p.home] += 1;
  return counts.east < counts.west ? 'east' : 'west';
}

function apply(state: SimState, command: Command, now: number): StepResult {
  switch (command.type) {
    case 'participant.join': {
      if (state.participants[command.participantId]) return { ok: true, state, events: [] };
      const participant = { id: command.participantId, name: command.name, home: homeForNewcomer(state), joinedAt: now };
      return {
        ok: true,
        state: { ...state, participants: { ...state.participants, [participant.id]: participant } },
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
      const link = { latencyMs: command.latencyMs, jitterMs: command.jitterMs };
      return { ok: true, state: { ...state, link }, events: [{ type: 'link.configured', link }] };
    }
    case 'session.reset': {
      const fresh = createInitialState(state.rng);
      const reset: SimState = { ...fresh, participants: state.participants, link: state.link, skew: state.skew, nextMessageSeq: state.nextMessageSeq, now };
      return { ok: true, state: reset, events: [{ type: 'session.reset' }] };
    }
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
  return { ok: true, state: result.state, events };
}

/** Replays a log of timed commands from a fresh state: restart recovery (REL1) and tests use it. */
export function replay(seed: number, log: Iterable<{ readonly at: number; readonly command: Command }>): SimState {
  let state = createInitialState(seed);
  for (const entry of log) {
    const result = step(state, entry.command, { now: entry.at });
    if (result.ok) state = result.state;
  }
  return state;
}
