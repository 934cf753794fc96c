/**
 * The consensus view's core: Raft, naive failover, the toy election's faults and the protocol
 * card, all pure and driven by the same ClusterInput schedule. Adapters import from here only.
 */
export {
  CLUSTER_NODES,
  CLUSTER_NODE_DC,
  CUTS,
  MAJORITY,
  canDeliver,
  cutOfLinkMode,
  type ClusterCtx,
  type ClusterDc,
  type ClusterInput,
  type ClusterNodeId,
  type Cut,
} from './cluster.ts';
export {
  DEFAULT_RAFT_CONFIG,
  committedLog,
  createRaft,
  leaders,
  messagesInFlight,
  nextEventAt,
  raftNodeViews,
  raftStep,
  timeoutProgress,
  type LogEntry,
  type MessageView,
  type RaftConfig,
  type RaftEvent,
  type RaftMessage,
  type RaftNode,
  type RaftNodeView,
  type RaftRole,
  type RaftRpc,
  type RaftState,
  type RaftStepResult,
} from './raft.ts';
export { grantsVote, logUpToDate, type LogPosition, type VoteRequest, type Voter } from './vote.ts';
export {
  DEFAULT_NAIVE_CONFIG,
  createNaive,
  naiveStep,
  nextFailoverAt,
  primaries,
  type NaiveConfig,
  type NaiveEvent,
  type NaiveNode,
  type NaiveRole,
  type NaiveState,
  type NaiveStepResult,
} from './naive.ts';
export {
  DEFAULT_SPEED,
  FRAME_MS,
  KEPT_CHANGES,
  TOLD_LINES,
  advance,
  backSteps,
  createPlayer,
  play,
  positionAt,
  simAt,
  type Cluster,
  type ConsensusAct,
  type PlayInput,
  type Player,
  type Told,
} from './player.ts';
export { TOY_FAULTS, TOY_FAULT_IDS, TOY_RULE, toyDiagnosis, withToyRule, type FutureOutcome, type ToyFault, type ToyFaultId, type ToyFinding } from './toy.ts';
export { PROTOCOLS, otherProtocols, partitionView, type Group, type PartitionView, type Protocol, type ProtocolLine, type Verdict } from './protocols.ts';
