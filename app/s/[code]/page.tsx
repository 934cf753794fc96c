import { StudentView } from './StudentView';

/** Live data only: nothing on this page can be prerendered. */
export const dynamic = 'force-dynamic';

/** `/s/<code>`: a student's view of their own datacenter. */
export default async function StudentPage({ params }: { params: Promise<{ code: string }> }) {
  const { code } = await params;
  return <StudentView code={decodeURIComponent(code).trim().toUpperCase()} />;
}
