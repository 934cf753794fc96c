import { DC_LABEL, type Dc } from '../../server/protocol/wire';
import './DcBadge.css';

/** A datacenter's colour with its name in words: colour is never the only signal. */
export function DcBadge({ dc, testId, size = 'normal' }: { dc: Dc; testId?: string; size?: 'normal' | 'large' }) {
  return (
    <span className={`dc-badge dc-badge-${size}`} data-dc={dc} data-testid={testId}>
      {DC_LABEL[dc]}
    </span>
  );
}

/** A datacenter's name inside a sentence, in its side's ink. */
export function DcName({ dc, className }: { dc: Dc; className?: string }) {
  return (
    <span className={className ? `dc-text ${className}` : 'dc-text'} data-dc={dc}>
      {DC_LABEL[dc]}
    </span>
  );
}
