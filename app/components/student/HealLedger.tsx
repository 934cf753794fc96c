'use client';

import type { Dc } from '../../../server/protocol/wire';
import type { HealStory } from '../../lib/healStory';
import { postAnchor } from '../../lib/feed';
import './HealLedger.css';

/**
 * "What I lost" after a last-write-wins heal (LWW3): each of my writes that lost, what it was,
 * why, and the clock note said to me; then likes on my posts that were lost. After merge
 * everything or human choice, a short account of what happened to my posts instead.
 */
export function HealLedger({ story, dc, onHide }: { story: HealStory; dc: Dc; onHide: () => void }) {
  const lww = story.strategy === 'lww';
  const hasLosses = story.lost.length > 0 || story.lostLikes.length > 0;
  if (lww ? !hasLosses : story.notes.length === 0) return null;
  const link = (postId: string) => `#${postAnchor(dc, postId)}`;
  return (
    <section
      id="ledger"
      tabIndex={-1}
      className={lww ? 'ledger ledger-lww' : 'ledger ledger-merge'}
      data-testid={lww ? 'ledger' : 'heal-summary'}
      aria-labelledby="ledger-title"
    >
      <header className="ledger-head">
        <h2 id="ledger-title" className="ledger-title">
          {lww ? 'What I lost' : 'What happened to my posts'}
        </h2>
        <button type="button" className="btn btn-quiet btn-small" onClick={onHide}>
          Hide
        </button>
      </header>
      <p className="ledger-sub">
        {story.headline}
        {lww && ' For each post changed on both sides, only the version with the later clock time stayed.'}
      </p>
      {story.lost.length > 0 && (
        <ul className="plain-list ledger-list">
          {story.lost.map((l) => (
            <li key={l.key} className="ledger-item" data-testid="ledger-item">
              <p className="ledger-what">
                <a href={link(l.postId)}>{l.what}</a>
              </p>
              <dl className="ledger-facts">
                <div>
                  <dt>Lost</dt>
                  <dd>
                    <span className="ledger-lost">{l.mine}</span>, {l.mineStamp}
                  </dd>
                </div>
                <div>
                  <dt>Kept</dt>
                  <dd>{l.kept}</dd>
                </div>
                <div>
                  <dt>Why</dt>
                  <dd>{l.reason}</dd>
                </div>
              </dl>
              {l.skewNote !== null && (
                <p className="ledger-skew" data-testid="ledger-skew">
                  {l.skewNote}
                </p>
              )}
            </li>
          ))}
        </ul>
      )}
      {story.lostLikes.length > 0 && (
        <>
          <h3 className="ledger-subtitle">Likes on your posts that were lost</h3>
          <ul className="plain-list ledger-list ledger-list-small">
            {story.lostLikes.map((l) => (
              <li key={l.key} className="ledger-item">
                <a href={link(l.postId)}>{l.text}</a>
              </li>
            ))}
          </ul>
        </>
      )}
      {!lww && (
        <ul className="plain-list ledger-list ledger-list-small">
          {story.notes.map((n) => (
            <li key={n.key} className="ledger-item" data-testid="heal-note">
              {n.postId === null ? n.text : <a href={link(n.postId)}>{n.text}</a>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
