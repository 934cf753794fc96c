import type { ReactNode } from 'react';
import { DC_IDS, DC_LABEL, LIMITS, NODE_HOME, NODE_IDS, type Dc, type QuorumView, type SettingsView } from '../../../server/protocol/wire';
import './QuorumTable.css';

function YesNo({ value, testId }: { value: boolean; testId: string }) {
  return (
    <span className={value ? 'board-yes' : 'board-no'} data-testid={testId}>
      <span aria-hidden="true">{value ? '✓ ' : '✗ '}</span>
      {value ? 'yes' : 'no'}
    </span>
  );
}

const ROWS: readonly { key: string; label: string; cell: (q: QuorumView, dc: Dc) => ReactNode }[] = [
  {
    key: 'reachable',
    label: 'Nodes reachable',
    cell: (q, dc) => (
      <>
        <strong data-testid={`quorum-reachable-${dc}`}>
          {q.reachable.length} of {LIMITS.nodes}
        </strong>{' '}
        <span className="board-quorum-nodes">({q.reachable.join(', ')})</span>
      </>
    ),
  },
  { key: 'w', label: 'W (write quorum)', cell: (q) => q.w },
  { key: 'r', label: 'R (read quorum)', cell: (q) => q.r },
  { key: 'overlap', label: `W + R > N (${LIMITS.nodes})`, cell: (q, dc) => <YesNo value={q.overlapping} testId={`quorum-overlap-${dc}`} /> },
  { key: 'write', label: 'Can write', cell: (q, dc) => <YesNo value={q.canWrite} testId={`quorum-write-${dc}`} /> },
  { key: 'read', label: 'Can read', cell: (q, dc) => <YesNo value={q.canRead} testId={`quorum-read-${dc}`} /> },
];

/**
 * What each side can do under the current W and R (CAP1–CAP3): one column per datacenter, so
 * on the board West's column sits next to West and East's next to East. Refusals are said in
 * the server's own sentence under the table.
 */
export function QuorumTable({ settings, layout }: { settings: SettingsView; layout: 'board' | 'compact' }) {
  const refusals = DC_IDS.flatMap((dc) => [settings.quorum[dc].writeRefusal, settings.quorum[dc].readRefusal]).filter((s): s is string => s !== null);
  return (
    <div className={`board-quorum board-quorum-${layout}`}>
      <table className="board-quorum-table" data-testid="quorum-table">
        <caption className="board-quorum-caption">
          N = {LIMITS.nodes}: West holds {NODE_IDS.filter((n) => NODE_HOME[n] === 'west').join(', ')}; East holds {NODE_IDS.filter((n) => NODE_HOME[n] === 'east').join(', ')}
        </caption>
        <thead>
          <tr>
            <td />
            {DC_IDS.map((dc) => (
              <th key={dc} scope="col" className="board-quorum-head" data-dc={dc}>
                {DC_LABEL[dc]}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {ROWS.map((row) => (
            <tr key={row.key}>
              <th scope="row">{row.label}</th>
              {DC_IDS.map((dc) => (
                <td key={dc} className="board-quorum-cell" data-dc={dc}>
                  {row.cell(settings.quorum[dc], dc)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {refusals.length > 0 && (
        <ul className="plain-list board-quorum-refusals" data-testid="quorum-refusals">
          {refusals.map((text) => (
            <li key={text}>{text}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
