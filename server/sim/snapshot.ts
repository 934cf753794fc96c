/**
 * A state as JSON and back, exactly: a restart can load a snapshot plus the log's tail instead of
 * replaying the whole log (REL1). The persistent maps become arrays of entries in their own
 * iteration order, and are rebuilt in that order, so a restored state iterates, views and steps
 * exactly like the state it was taken from. The split's indexes are rebuilt from its ops.
 */
import { List, Map as IMap, Set as ISet } from 'immutable';
import { laneOf } from './network.ts';
import { NO_REWIND, type HealAttempt, type RewindLedger } from './rewind.ts';
import { writtenOf } from './split.ts';
import type {
  ClassSettings,
  Command,
  Consistency,
  DcId,
  Divergence,
  HealReport,
  LikeMark,
  LinkSettings,
  Message,
  Op,
  OpId,
  OpKind,
  Participant,
  ParticipantId,
  Post,
  Replica,
  SimState,
  Split,
  Strategy,
} from './types.ts';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Bump when the shape changes: an old snapshot is then ignored and the log replayed instead. */
export const SNAPSHOT_VERSION = 3;

type PostJson = Omit<Post, 'likes'> & { likes: [ParticipantId, LikeMark][] };

interface ReplicaJson {
  dc: DcId;
  lamport: number;
  conflicts: number;
  posts: PostJson[];
  applied: OpId[];
}

interface SplitJson {
  since: number;
  written: Record<DcId, Op[]>;
  before: Record<DcId, [string, PostJson | null][]>;
}

interface SnapshotJson {
  version: number;
  participants: Participant[];
  replicas: Record<DcId, ReplicaJson>;
  link: LinkSettings;
  consistency: Consistency;
  settings: ClassSettings;
  skew: Record<DcId, number>;
  inFlight: Record<DcId, Message[]>;
  split: SplitJson | null;
  nextMessageSeq: number;
  rng: number;
  now: number;
  strategy: Strategy;
  lastHeal: HealReport | null;
  opKinds: [OpId, OpKind][];
  divergence: Divergence;
  /** The rewind ledger (rewind.ts); absent in snapshots taken before it existed. */
  rewind?: RewindJson;
}

interface RewindJson {
  heals: number;
  lastHeal: { index: number; at: number; before: JsonValue } | null;
  afterHeal: Command[];
  queued: Command[];
  attempts: HealAttempt[];
  rewound: boolean;
  rewinds: { index: number; at: number; queued: number }[];
}

function rewindJson(ledger: RewindLedger): RewindJson {
  const { lastHeal } = ledger;
  return {
    heals: ledger.heals,
    lastHeal: lastHeal ? { index: lastHeal.index, at: lastHeal.at, before: snapshotOf(lastHeal.before) } : null,
    afterHeal: ledger.afterHeal.toArray(),
    queued: ledger.queued.toArray(),
    attempts: ledger.attempts.toArray(),
    rewound: ledger.rewound,
    rewinds: ledger.rewinds.toArray(),
  };
}

function rewindFrom(json: RewindJson | undefined): RewindLedger {
  if (!json) return NO_REWIND;
  const { lastHeal } = json;
  return {
    heals: json.heals,
    lastHeal: lastHeal ? { index: lastHeal.index, at: lastHeal.at, before: stateFromSnapshot(lastHeal.before) } : null,
    afterHeal: List(json.afterHeal),
    queued: List(json.queued),
    attempts: List(json.attempts),
    rewound: json.rewound,
    rewinds: List(json.rewinds),
  };
}

function postJson(post: Post): PostJson {
  return { ...post, likes: post.likes.entrySeq().toArray() };
}

function postFrom(json: PostJson): Post {
  return { ...json, likes: IMap(json.likes) };
}

function replicaJson(replica: Replica): ReplicaJson {
  return {
    dc: replica.dc,
    lamport: replica.lamport,
    conflicts: replica.conflicts,
    posts: replica.posts.valueSeq().map(postJson).toArray(),
    applied: replica.applied.toArray(),
  };
}

function replicaFrom(json: ReplicaJson): Replica {
  const posts = IMap<string, Post>().withMutations((map) => {
    for (const post of json.posts) map.set(post.id, postFrom(post));
  });
  return { dc: json.dc, lamport: json.lamport, conflicts: json.conflicts, posts, applied: ISet(json.applied) };
}

function splitJson(split: Split | null): SplitJson | null {
  if (!split) return null;
  const before = (dc: DcId) => split.before[dc].entrySeq().map(([id, post]): [string, PostJson | null] => [id, post && postJson(post)]).toArray();
  return { since: split.since, written: { west: split.written.west.ops.toArray(), east: split.written.east.ops.toArray() }, before: { west: before('west'), east: before('east') } };
}

function splitFrom(json: SplitJson | null): Split | null {
  if (!json) return null;
  const before = (dc: DcId) => IMap(json.before[dc].map(([id, post]) => [id, post && postFrom(post)] as const));
  return { since: json.since, written: { west: writtenOf(json.written.west), east: writtenOf(json.written.east) }, before: { west: before('west'), east: before('east') } };
}

/** The whole state as plain JSON data (no Immutable collections): O(session), for periodic snapshots. */
export function snapshotOf(state: SimState): JsonValue {
  const json: SnapshotJson = {
    version: SNAPSHOT_VERSION,
    participants: state.participants.valueSeq().toArray(),
    replicas: { west: replicaJson(state.replicas.west), east: replicaJson(state.replicas.east) },
    link: state.link,
    consistency: state.consistency,
    settings: state.settings,
    skew: state.skew,
    inFlight: { west: state.inFlight.west.messages.toArray(), east: state.inFlight.east.messages.toArray() },
    split: splitJson(state.split),
    nextMessageSeq: state.nextMessageSeq,
    rng: state.rng,
    now: state.now,
    strategy: state.strategy,
    lastHeal: state.lastHeal,
    opKinds: state.opKinds.entrySeq().toArray(),
    divergence: state.divergence,
    rewind: rewindJson(state.rewind),
  };
  // Every field is JSON already (no functions, classes or cycles; records are shared with the
  // state, which nobody mutates): the cast only forgets the names.
  return json as unknown as JsonValue;
}

/** The state a snapshot was taken of. Throws on a snapshot of another version. */
export function stateFromSnapshot(value: JsonValue): SimState {
  const json = value as unknown as SnapshotJson;
  if (typeof json !== 'object' || json === null || json.version !== SNAPSHOT_VERSION) {
    throw new Error(`not a version ${SNAPSHOT_VERSION} snapshot of a session`);
  }
  return {
    participants: IMap(json.participants.map((p) => [p.id, p] as const)),
    replicas: { west: replicaFrom(json.replicas.west), east: replicaFrom(json.replicas.east) },
    link: json.link,
    consistency: json.consistency,
    settings: json.settings,
    skew: json.skew,
    inFlight: { west: laneOf(json.inFlight.west), east: laneOf(json.inFlight.east) },
    split: splitFrom(json.split),
    nextMessageSeq: json.nextMessageSeq,
    rng: json.rng,
    now: json.now,
    strategy: json.strategy,
    lastHeal: json.lastHeal,
    opKinds: IMap(json.opKinds),
    divergence: json.divergence,
    rewind: rewindFrom(json.rewind),
  };
}
