import { DC_LABEL, type Dc } from '../../server/protocol';

/** A datacenter's colour with its name in words: colour is never the only signal. */
export function DcBadge({ dc, testId, size = 'normal' }: { dc: Dc; testId?: string; size?: 'normal' | 'large' }) {
  return (
    <span className={`dc-badge dc-${dc} dc-badge-${size}`} data-testid={testId}>
      {DC_LABEL[dc]}
    </span>
  );
}
