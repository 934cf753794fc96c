import { ConsensusBoard } from '../../../components/consensus/ConsensusBoard';

/** Live data only: nothing on this page can be prerendered. */
export const dynamic = 'force-dynamic';

/** `/board/<code>/consensus`: Raft and naive failover on the session's split, for the projector. */
export default async function ConsensusBoardPage({ params }: { params: Promise<{ code: string }> }) {
  const { code } = await params;
  return <ConsensusBoard code={decodeURIComponent(code).trim().toUpperCase()} />;
}
