import type { SessionEndView } from '../../server/protocol/wire';

/** SEC6: said on every page of an ended session, which stays readable but takes no more changes. */
export function SessionEnded({ ended }: { ended: SessionEndView | undefined }) {
  if (!ended) return null;
  const why = ended.reason === 'idle' ? ' (nobody wrote for a long while)' : '';
  return (
    <p role="status" className="connection connection-down" data-testid="session-ended">
      This session has ended{why}. You can still read it, but nothing can be changed.
    </p>
  );
}
