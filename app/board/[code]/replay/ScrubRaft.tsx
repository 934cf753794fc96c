import type { RaftMomentView } from '../../../../server/protocol/wire';
import { cutWords, isStale, leaderSentence, simTime } from '../../../components/consensus/words';
import { formatClock } from '../../../lib/format';
import './ScrubRaft.css';

const ROLE_WORDS: Record<RaftMomentView['nodes'][number]['role'], string> = {
  leader: 'leader',
  candidate: 'candidate',
  follower: 'follower',
  crashed: 'crashed',
};

/**
 * The Raft view at the scrubbed moment (SCR1), beside the feeds: each node's role and term, and who
 * led. It is what a fresh replay of the consensus view's journal gives at that moment.
 */
export function ScrubRaft({ raft, at }: { raft: RaftMomentView; at: number }) {
  return (
    <section className="scrub-raft" data-testid="scrub-raft" aria-labelledby="scrub-raft-title">
      <h2 id="scrub-raft-title" className="scrub-raft-title">
        Raft at {formatClock(at)}
      </h2>
      <ol className="scrub-raft-nodes">
        {raft.nodes.map((n) => {
          const led = raft.leaders.find((l) => l.id === n.id);
          return (
            <li key={n.id} className="scrub-raft-node" data-dc={n.dc} data-role={n.role} data-testid={`scrub-raft-${n.id}`}>
              <span className="scrub-raft-id">{n.id}</span>
              <span className="scrub-raft-role">
                {ROLE_WORDS[n.role]}
                {led && isStale(led, raft.leaders) ? ' (stale)' : ''}
              </span>
              <span className="scrub-raft-term">term {n.term}</span>
            </li>
          );
        })}
      </ol>
      <p className="scrub-raft-words" data-testid="scrub-raft-leaders">
        {leaderSentence(raft.leaders)}
      </p>
      <p className="scrub-raft-sub">
        {cutWords(raft.cut)} · sim {simTime(raft.simNow)}
        {raft.paused ? ' · paused' : ''}
      </p>
    </section>
  );
}
