'use client';

import { DC_LABEL, holdsFrom, LINK_MODE_LABEL, type Dc, type LinkMode, type PostView, type StudentSnapshot } from '../../../server/protocol/wire';
import { formatDuration, quote } from '../../lib/format';
import { otherDc } from '../../lib/dc';
import { useServerNow } from '../../lib/hooks';
import { postAnchor } from '../../lib/feed';
import './StatusBanners.css';


/** What the link's state means for me, in one line. */
export function partitionMeaning(mode: LinkMode, me: Dc, slowLatencyMs: number): string {
  const mine = DC_LABEL[me];
  const other = DC_LABEL[otherDc(me)];
  switch (mode) {
    case 'up':
      return '';
    case 'slow':
      return `Your posts take about ${(slowLatencyMs / 1000).toFixed(1)} s to reach ${other}, and ${other}'s take as long to reach you.`;
    case 'cut':
      return `Your posts stay in ${mine} until the link heals, and you see only ${mine}'s posts.`;
    case 'cut-west-to-east':
    case 'cut-east-to-west':
      return holdsFrom(mode, me)
        ? `Your posts stay in ${mine} until the link heals; ${other}'s posts still reach you.`
        : `Your posts still reach ${other}, but ${other}'s posts wait at the cut until it heals.`;
    default: {
      const unknown: never = mode;
      return String(unknown);
    }
  }
}

/** The partition banner: which kind of cut or slow link, since when, and what it means for me. */
function PartitionBanner({ snapshot, offsetMs }: { snapshot: StudentSnapshot; offsetMs: number }) {
  const now = useServerNow(offsetMs);
  const { mode, since, slowLatencyMs } = snapshot.settings.link;
  const cut = mode !== 'slow';
  return (
    <div className={cut ? 'banner student-banner student-banner-cut' : 'banner student-banner student-banner-slow'} data-testid="partition-banner">
      <p className="student-banner-title">
        {LINK_MODE_LABEL[mode]}
        {since !== null && <span className="student-banner-since"> for {formatDuration(now - since)}</span>}
      </p>
      <p className="student-banner-line">{partitionMeaning(mode, snapshot.dc, slowLatencyMs)}</p>
    </div>
  );
}

/**
 * The banners of the moment, at the top of the page: the partition, a refusal (CAP1–CAP3),
 * conflicts waiting for my choice (HUM2), and the way to what I lost (LWW3).
 */
export function StatusBanners(props: {
  snapshot: StudentSnapshot;
  offsetMs: number;
  /** Posts in conflict that I may settle. */
  toChoose: readonly PostView[];
  /** Accepted writes not shown because reads are refused. */
  blindWrites: number;
  /** How many of my writes the last heal lost, and the ledger's anchor; 0 hides the link. */
  lostCount: number;
  /** How many things merge/human did to my posts; 0 hides the link. */
  noteCount: number;
}) {
  const { snapshot, offsetMs, toChoose, blindWrites, lostCount, noteCount } = props;
  const { dc } = snapshot;
  const quorum = snapshot.settings.quorum[dc];
  const refused = !quorum.canWrite || !quorum.canRead;
  return (
    <div className="student-banners">
      {snapshot.settings.link.mode !== 'up' && <PartitionBanner snapshot={snapshot} offsetMs={offsetMs} />}
      {refused && (
        <div className="banner student-banner student-banner-refusal" data-testid="refusal-banner" role="alert">
          {!quorum.canWrite && (
            <p className="student-banner-title">
              Writes refused: {quorum.writeRefusal}
            </p>
          )}
          {!quorum.canRead && (
            <>
              <p className={quorum.canWrite ? 'student-banner-title' : 'student-banner-line'}>
                Reads refused: {quorum.readRefusal}
              </p>
              <p className="student-banner-line">You see the last view, greyed; it updates when reads come back.</p>
            </>
          )}
          {!quorum.canRead && blindWrites > 0 && (
            <p className="student-banner-line">
              {blindWrites === 1 ? 'Your write was' : `Your ${blindWrites} writes were`} accepted; you will see {blindWrites === 1 ? 'it' : 'them'} when reads come back.
            </p>
          )}
        </div>
      )}
      {toChoose.length > 0 && (
        <div className="banner student-banner conflict-call" data-testid="conflicts-to-choose">
          <p className="student-banner-title">
            <span aria-hidden="true">⚠ </span>
            You have {toChoose.length} {toChoose.length === 1 ? 'conflict' : 'conflicts'} to choose
          </p>
          <ul className="plain-list student-banner-links">
            {toChoose.map((p) => (
              <li key={p.id}>
                <a href={`#${postAnchor(dc, p.id)}`}>{p.pinned ? 'The class post' : `Your post ${quote(p.text)}`}</a>
              </li>
            ))}
          </ul>
        </div>
      )}
      {(lostCount > 0 || noteCount > 0) && (
        <p className="student-ledger-link">
          <a href="#ledger" className="btn btn-wide ledger-jump">
            {lostCount > 0 ? `What I lost (${lostCount})` : `What happened to my posts (${noteCount})`}
          </a>
        </p>
      )}
    </div>
  );
}
