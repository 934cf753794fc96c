'use client';

import { useId, useState } from 'react';
import { DC_LABEL, type PostView, type SiblingView } from '../../../server/protocol/wire';
import { DcBadge } from '../DcBadge';
import { formatTime } from '../../lib/format';
import './ConflictBanner.css';

/** What a choice keeps: one side's version, or both (East's then becomes a post of its own). */
export type Keep = 'west' | 'east' | 'both';

/** Who may choose on this screen, and how the choice is sent; absent where the screen only watches. */
export interface ConflictChooser {
  may: (post: PostView) => boolean;
  choose: (postId: string, keep: Keep) => Promise<boolean>;
}

/**
 * HUM2's two-colour banner: every version of a conflicted post side by side, each with its
 * datacenter, writer, that datacenter's clock time and version vector. It is drawn from the
 * server's `siblings` alone: when the server sends the post without them, the banner is gone.
 */
export function ConflictBanner({ post, chooser }: { post: PostView & { siblings: SiblingView[] }; chooser?: ConflictChooser }) {
  const titleId = useId();
  const [busy, setBusy] = useState(false);
  const may = chooser?.may(post) ?? false;
  const sides = new Set(post.siblings.map((s) => s.dc));

  const choose = async (keep: Keep) => {
    if (!chooser || busy) return;
    setBusy(true);
    await chooser.choose(post.id, keep);
    setBusy(false);
  };


  return (
    // A group, not a region: the pinned post's banner is in both columns with the same title (landmark-unique).
    <div role="group" className="conflict-banner" data-testid="conflict-banner" aria-labelledby={titleId} aria-busy={busy}>
      <p className="conflict-title" id={titleId}>
        <span aria-hidden="true">⚠ </span>
        {post.siblings.length} versions of this post: {may ? 'choose which one stays' : 'a person has to choose'}
      </p>
      <div className="conflict-versions">
        {post.siblings.map((s, i) => (
          <div key={`${s.dc}-${i}`} className="conflict-version" data-dc={s.dc} data-testid={`conflict-version-${s.dc}`}>
            <p className="conflict-side">
              <DcBadge dc={s.dc} /> <span>version</span>
            </p>
            <p className={s.deleted ? 'conflict-text conflict-text-deleted' : 'conflict-text'}>{s.deleted ? '[deleted]' : s.text}</p>
            <p className="conflict-facts">
              <span>by {s.byName}</span>
              <span>
                {DC_LABEL[s.dc]} clock <time dateTime={new Date(s.wall).toISOString()}>{formatTime(s.wall)}</time>
              </span>
              <span className="conflict-vv" title="Version vector: writes made in West and in East">{`{W:${s.vv.west}, E:${s.vv.east}}`}</span>
            </p>
            {may && (
              <button type="button" className="btn conflict-keep" data-dc={s.dc} disabled={busy} onClick={() => void choose(s.dc)}>
                Keep {DC_LABEL[s.dc]} version
              </button>
            )}
          </div>
        ))}
      </div>
      {may ? (
        sides.size > 1 && (
          <div className="conflict-both">
            <button type="button" className="btn conflict-keep conflict-keep-both" disabled={busy} onClick={() => void choose('both')}>
              Keep both
            </button>
            <span className="conflict-hint">West&apos;s stays here, East&apos;s becomes a post of its own.</span>
          </div>
        )
      ) : (
        <p className="conflict-waiting" data-testid="conflict-waiting">
          {post.mayChoose === 'anyone' ? 'Waiting for a choice: anyone may choose for the class post' : `Waiting for ${post.authorName} to choose`}
        </p>
      )}
    </div>
  );
}
