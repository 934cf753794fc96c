'use client';

import { CONSISTENCY_PRESETS, DC_IDS, STRATEGY_LABEL, type ClassSnapshot } from '../../../server/protocol/wire';
import { openConflicts } from '../shared/HealReports';
import { DcClock, LinkStateWords } from '../shared/LiveState';
import { linkLook } from '../../lib/dc';
import './StateBar.css';

/**
 * The current state, always in view at the top of the panel: the link and since when, both
 * clocks, the quorum setting, the strategy, how far the sides have drifted and what is left to choose.
 */
export function StateBar({ snapshot, clockOffset }: { snapshot: ClassSnapshot; clockOffset: number }) {
  const { settings, divergence } = snapshot;
  const preset = CONSISTENCY_PRESETS.find((p) => p.id === settings.preset);
  const conflicts = openConflicts(snapshot.posts).length;
  return (
    <section className={`admin-state admin-state-${linkLook(snapshot.link.mode)}`} data-testid="admin-state" aria-label="Current state">
      <div className="admin-state-item admin-state-link">
        <LinkStateWords link={snapshot.link} clockOffset={clockOffset} size="compact" withTestIds={false} />
      </div>
      <div className="admin-state-item admin-state-clocks">
        {DC_IDS.map((dc) => (
          <DcClock key={dc} dc={dc} skewMs={settings.skew[dc]} clockOffset={clockOffset} size="compact" withTestIds={false} />
        ))}
      </div>
      <dl className="admin-state-item admin-state-facts">
        <div>
          <dt>Quorum</dt>
          <dd data-testid="state-quorum">{preset ? preset.label : `Custom (W=${settings.w}, R=${settings.r})`}</dd>
        </div>
        <div>
          <dt>Strategy</dt>
          <dd data-testid="state-strategy">{STRATEGY_LABEL[settings.strategy]}</dd>
        </div>
        <div>
          <dt>Divergence</dt>
          <dd data-testid="state-divergence">
            {divergence.onlyWest} only West · {divergence.onlyEast} only East · {divergence.changedOnBoth} on both · {divergence.likesDiffer} likes differ
          </dd>
        </div>
        <div>
          <dt>Conflicts</dt>
          <dd data-testid="state-conflicts">{conflicts}</dd>
        </div>
      </dl>
    </section>
  );
}
