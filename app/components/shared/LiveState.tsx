'use client';

import { DC_LABEL, LINK_MODE_LABEL, type Dc, type LinkView } from '../../../server/protocol/wire';
import { formatClock, formatDuration, formatSkew } from '../../lib/format';
import { linkLook } from '../../lib/dc';
import { useTicker } from '../../lib/hooks';
import './LiveState.css';

/**
 * The link's state in words, and since when: "Link cut: split-brain · since 14:03:07 (1 min 20 s)".
 * `size` picks the board's projector type or the admin's compact line.
 */
export function LinkStateWords({ link, clockOffset, size, withTestIds = true }: { link: LinkView; clockOffset: number; size: 'board' | 'compact'; withTestIds?: boolean }) {
  const now = useTicker(1000);
  const since = link.since;
  return (
    <div className={`board-state board-state-${size} board-state-${linkLook(link.mode)}`}>
      <p className="board-state-words" data-testid={withTestIds ? 'link-mode' : undefined}>
        {LINK_MODE_LABEL[link.mode]}
        {link.mode === 'slow' && <span className="board-state-extra"> ({link.slowLatencyMs} ms)</span>}
      </p>
      <p className="board-state-since" data-testid={withTestIds ? 'link-since' : undefined}>
        {since === null ? (
          'since the session started'
        ) : (
          <>
            since {formatClock(since)}
            {now !== null && <span className="board-state-elapsed"> ({formatDuration(now + clockOffset - since)})</span>}
          </>
        )}
      </p>
    </div>
  );
}

/**
 * One datacenter's wall clock: server time plus its skew (CLK1), ticking live, with the skew
 * written next to it so the room sees why its timestamps disagree.
 */
export function DcClock({
  dc,
  skewMs,
  clockOffset,
  size,
  withTestIds = true,
}: {
  dc: Dc;
  skewMs: number;
  clockOffset: number;
  size: 'board' | 'compact';
  withTestIds?: boolean;
}) {
  const now = useTicker(250);
  return (
    <div className={`board-clock board-clock-${size}`} data-dc={dc} data-testid={withTestIds ? `clock-${dc}` : undefined} aria-label={`${DC_LABEL[dc]} clock`}>
      <span className="board-clock-name">{DC_LABEL[dc]}</span>
      <time className="board-clock-time">{now === null ? '--:--:--' : formatClock(now + clockOffset + skewMs)}</time>
      <span className={skewMs === 0 ? 'board-clock-skew' : 'board-clock-skew board-clock-skewed'} data-testid={withTestIds ? `skew-${dc}` : undefined}>
        {formatSkew(skewMs)}
      </span>
    </div>
  );
}
