/** What the board is told of the consensus view: a frame while it plays, the Raft view at a scrubbed moment, the analysis beside it. */
import type { ConsensusAnalysis, ConsensusFrame, RaftMomentView } from '../protocol/index.ts';
import {
  CLUSTER_NODE_DC,
  backSteps,
  leaders,
  messagesInFlight,
  otherProtocols,
  partitionView,
  primaries,
  raftNodeViews,
  toyDiagnosis,
  type Cluster,
  type Player,
  type RaftState,
} from '../sim/raft/index.ts';
import { toldLines } from './consensus-log.ts';

/** Nodes, roles, terms and leaders: what a scrubbed moment shows (and what a frame shows too). */
export function momentView(player: Player, { raft }: Cluster): RaftMomentView {
  return {
    simNow: Math.round(raft.now),
    paused: player.paused,
    cut: raft.cut,
    nodes: raftNodeViews(raft).map((n) => ({
      id: n.id,
      dc: n.dc,
      role: n.role,
      term: n.term,
      votedFor: n.votedFor,
      timeoutProgress: n.timeoutProgress,
      logLength: n.logLength,
      commitIndex: n.commitIndex,
    })),
    leaders: leaders(raft).map((id) => ({ id, term: raft.nodes[id].term })),
  };
}

export function frameView(player: Player, here: Cluster): ConsensusFrame {
  const { raft, naive } = here;
  const moment = momentView(player, here);
  return {
    simNow: moment.simNow,
    paused: player.paused,
    speed: player.speed,
    cut: raft.cut,
    history: backSteps(player, here),
    raft: {
      nodes: moment.nodes,
      messages: messagesInFlight(raft).map((m) => ({ seq: m.message.seq, from: m.message.from, to: m.message.to, kind: m.message.rpc.kind, progress: m.progress, blocked: m.blocked })),
      leaders: moment.leaders,
    },
    naive: {
      nodes: Object.values(naive.nodes).map((n) => ({ id: n.id, dc: CLUSTER_NODE_DC[n.id], role: n.crashed ? 'crashed' : n.role, primary: n.primary, writes: n.writes.size })),
      primaries: primaries(naive),
    },
    log: toldLines(here.told),
  };
}

/** What the analysis depends on: the cut and the crashed nodes. */
export function analysisKey(raft: RaftState): string {
  return `${raft.cut}:${Object.values(raft.nodes).filter((n) => n.crashed).map((n) => n.id).join('')}`;
}

/** The protocol card and the toy-rule diagnosis (tens of ms): on a cut or crash, not per frame. */
export function analysisView(raft: RaftState): ConsensusAnalysis {
  const crashed = Object.values(raft.nodes).filter((n) => n.crashed).map((n) => n.id);
  return {
    protocols: otherProtocols(partitionView(raft.cut, crashed)).map((l) => ({ protocol: l.protocol, verdict: l.verdict, line: l.line })),
    toy: toyDiagnosis(raft).map((f) => ({ id: f.fault.id, title: f.fault.title, description: f.fault.description, summary: f.summary, differs: f.differs })),
  };
}
