import type { DivergenceView } from '../../../server/protocol/wire';
import './DivergenceMeter.css';

function Count({ value, label, testId, tone }: { value: number; label: string; testId: string; tone: 'west' | 'east' | 'both' }) {
  return (
    <div className={value === 0 ? `board-div-count board-div-count-${tone} board-div-count-zero` : `board-div-count board-div-count-${tone}`}>
      <span className="board-div-count-value" data-testid={testId}>
        {value}
      </span>
      <span className="board-div-count-label">{label}</span>
    </div>
  );
}

/**
 * How far apart West and East are: posts only one side has, posts both sides changed
 * (concurrent version vectors), and like counts that differ. Laid out under the two halves on
 * the board: West's count over West, East's over East, what both changed in the middle.
 */
export function DivergenceMeter({ divergence, layout }: { divergence: DivergenceView; layout: 'board' | 'compact' }) {
  const total = divergence.onlyWest + divergence.onlyEast + divergence.changedOnBoth + divergence.likesDiffer;
  return (
    <section className={`board-div-meter board-div-meter-${layout}`} data-testid="divergence" aria-label="Divergence between West and East">
      <div className="board-div-side" data-dc="west">
        <Count value={divergence.onlyWest} label="only in West" testId="divergence-only-west" tone="west" />
      </div>
      <div className="board-div-side board-div-side-both">
        <p className="board-div-verdict" data-testid="divergence-verdict">
          {total === 0 ? 'West and East agree' : 'West and East differ'}
        </p>
        <div className="board-div-both">
          <Count value={divergence.changedOnBoth} label="changed on both sides" testId="divergence-both" tone="both" />
          <Count value={divergence.likesDiffer} label="like counts differ" testId="divergence-likes" tone="both" />
        </div>
      </div>
      <div className="board-div-side" data-dc="east">
        <Count value={divergence.onlyEast} label="only in East" testId="divergence-only-east" tone="east" />
      </div>
    </section>
  );
}
