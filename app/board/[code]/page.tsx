import { BoardView } from './BoardView';

/** Live data only: nothing on this page can be prerendered. */
export const dynamic = 'force-dynamic';

/** `/board/<code>`: the projector view, both datacenters side by side. */
export default async function BoardPage({ params }: { params: Promise<{ code: string }> }) {
  const { code } = await params;
  return <BoardView code={decodeURIComponent(code).trim().toUpperCase()} />;
}
