'use client';

import { useState } from 'react';
import { DC_LABEL, type StudentSnapshot } from '../../../server/protocol/wire';
import { DcBadge } from '../DcBadge';
import { formatClock, formatSkew } from '../../lib/format';
import { otherDc } from '../../lib/dc';
import { useServerNow } from '../../lib/hooks';
import './DcIdentity.css';

/**
 * Who I am and where: my name, my datacenter, its live clock (server time plus my side's skew,
 * CLK1), and the roaming button that moves me to the other side (FO1) unless it is locked.
 */
export function DcIdentity({ snapshot, offsetMs, onSwitch }: { snapshot: StudentSnapshot; offsetMs: number; onSwitch: () => Promise<void> }) {
  const now = useServerNow(offsetMs);
  const [busy, setBusy] = useState(false);
  const { dc } = snapshot;
  const skew = snapshot.settings.skew[dc];
  const other = DC_LABEL[otherDc(dc)];
  const { mode, latencyMs, jitterMs, slowLatencyMs } = snapshot.settings.link;
  const locked = snapshot.settings.switchLocked;
  const linkLine =
    mode === 'up'
      ? `${latencyMs} ms ± ${jitterMs} ms`
      : mode === 'slow'
        ? `slow, ${(slowLatencyMs / 1000).toFixed(1)} s ± ${jitterMs} ms`
        : mode === 'cut'
          ? 'cut'
          : 'cut one way';

  const switchDc = async () => {
    if (busy) return;
    setBusy(true);
    await onSwitch();
    setBusy(false);
  };

  return (
    <section className="identity" data-dc={dc} aria-label="You">
      <p className="identity-line">
        <span className="identity-name" data-testid="my-name">
          {snapshot.me.name}
        </span>
        <span className="identity-in">in</span>
        <DcBadge dc={dc} testId="my-dc" size="large" />
      </p>
      <p className="student-clock" data-testid="dc-clock">
        <time className="student-clock-time" dateTime={new Date(now + skew).toISOString()} aria-live="off">
          {formatClock(now + skew)}
        </time>
        <span className="student-clock-skew" title="Against real (server) time">
          {DC_LABEL[dc]} clock, {formatSkew(skew)}
        </span>
      </p>
      <p className="identity-link muted">
        Link to {other}: {linkLine}
      </p>
      <div className="student-switch">
        <button
          type="button"
          className="btn student-switch-btn"
          disabled={locked || busy}
          aria-describedby="switch-hint"
          onClick={() => void switchDc()}
        >
          Switch datacenter
        </button>
        <span id="switch-hint" className="student-switch-hint">
          {locked ? `Locked by the instructor: you stay in ${DC_LABEL[dc]}.` : `Roam to ${other}, like a phone changing towers.`}
        </span>
      </div>
    </section>
  );
}
