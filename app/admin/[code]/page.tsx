import { AdminView } from './AdminView';

/** Live data only: nothing on this page can be prerendered. */
export const dynamic = 'force-dynamic';

/** `/admin/<code>#<secret>`: the instructor's panel. */
export default async function AdminPage({ params }: { params: Promise<{ code: string }> }) {
  const { code } = await params;
  return <AdminView code={decodeURIComponent(code).trim().toUpperCase()} />;
}
