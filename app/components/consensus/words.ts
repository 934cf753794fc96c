/**
 * The consensus view in words: every picture on the board also says what it shows, so the
 * room can read it from the back and colour is never the only signal.
 */
import { DC_LABEL, LINK_MODE_OF_CUT, NODE_HOME, NODE_IDS, holdsFrom, type ConsensusFrame, type Dc, type MessageFrame, type NodeId } from '../../../server/protocol/wire';

export type Cut = ConsensusFrame['cut'];
export type Leader = ConsensusFrame['raft']['leaders'][number];

/** The West and East nodes, in the lecture's order: the two groups every diagram draws. */
export const WEST_NODES: readonly NodeId[] = NODE_IDS.filter((n) => NODE_HOME[n] === 'west');
export const EAST_NODES: readonly NodeId[] = NODE_IDS.filter((n) => NODE_HOME[n] === 'east');

/** Which direction a cut blocks: the diagram crosses out exactly those arrows (the one link-holds rule). */
export function blocks(cut: Cut, from: Dc): boolean {
  return holdsFrom(LINK_MODE_OF_CUT[cut], from);
}

/** The cut in words, with the node groups, as the header says it. */
export function cutWords(cut: Cut): string {
  const west = `${DC_LABEL.west} (${WEST_NODES.join(', ')})`;
  const east = `${DC_LABEL.east} (${EAST_NODES.join(', ')})`;
  switch (cut) {
    case 'none':
      return 'Link up: all five nodes talk';
    case 'full':
      return `Cut: ${west} | ${east}, both ways`;
    case 'west-to-east':
      return `One-way cut: ${DC_LABEL.west} → ${DC_LABEL.east} blocked`;
    case 'east-to-west':
      return `One-way cut: ${DC_LABEL.east} → ${DC_LABEL.west} blocked`;
    default: {
      const unknown: never = cut;
      throw new Error(`unknown cut ${String(unknown)}`);
    }
  }
}

/** Leaders, newest term first: the one that counts leads the sentence. */
export function byTermDesc(leaders: readonly Leader[]): Leader[] {
  return [...leaders].sort((a, b) => b.term - a.term || a.id.localeCompare(b.id));
}

/** A leader of an older term than another leader: it still believes it leads, but cannot commit. */
export function isStale(leader: Leader, leaders: readonly Leader[]): boolean {
  return leaders.some((l) => l.term > leader.term);
}

/** "Raft leader: C, term 4", or the stale one too, or that an election is under way. */
export function leaderSentence(leaders: readonly Leader[]): string {
  if (leaders.length === 0) return 'Raft: no leader (election under way)';
  const sorted = byTermDesc(leaders);
  const parts = sorted.map((l) => `${l.id}, term ${l.term}${isStale(l, leaders) ? ' (stale)' : ''}`);
  return `${leaders.length === 1 ? 'Raft leader' : 'Raft leaders'}: ${parts.join(' · ')}`;
}

/** "2 primaries: split-brain (A, C)" or "1 primary: A". */
export function primariesSentence(primaries: readonly NodeId[]): string {
  if (primaries.length === 0) return 'Naive failover: no primary';
  if (primaries.length === 1) return `Naive failover: 1 primary (${primaries.join('')})`;
  return `Naive failover: ${primaries.length} primaries: split-brain (${primaries.join(', ')})`;
}

/** Simulated time, e.g. "12.3 s". */
export function simTime(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** A speed as the select offers it: "0.25×". */
export function speedWords(speed: number): string {
  return `${Number(speed.toFixed(2))}×`;
}

/** The speeds offered to the instructor: simulated ms per real ms. */
export const SPEEDS = [0.1, 0.25, 0.5, 1, 2] as const;

/** One glyph per RPC, so a dot says what it carries without relying on its colour. */
export const MESSAGE_GLYPH: Readonly<Record<MessageFrame['kind'], string>> = {
  requestVote: '?',
  vote: '↩',
  appendEntries: '♥',
  appended: '✓',
};

/** The legend under the Raft diagram. */
export const MESSAGE_LEGEND: readonly { kind: MessageFrame['kind']; words: string }[] = [
  { kind: 'requestVote', words: 'asks for a vote' },
  { kind: 'vote', words: 'answers the vote' },
  { kind: 'appendEntries', words: 'heartbeat / append' },
  { kind: 'appended', words: 'acknowledges' },
];

/** The verdict badge in words ("majority-only" reads "majority only"). */
export function verdictWords(verdict: string): string {
  return verdict.replace(/-/g, ' ');
}

/** How a verdict looks: good, partial, bad. The badge also carries the words. */
export function verdictTone(verdict: string): 'good' | 'partial' | 'bad' {
  if (verdict === 'proceeds') return 'good';
  if (verdict === 'majority-only') return 'partial';
  return 'bad';
}
