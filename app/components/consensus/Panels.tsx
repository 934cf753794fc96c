'use client';

import { memo } from 'react';
import { DC_LABEL, NODE_HOME, type ConsensusAnalysis, type ConsensusFrame, type NaiveNodeFrame, type RaftNodeFrame } from '../../../server/protocol/wire';
import { ClusterDiagram, NAIVE_LAYOUT, RAFT_LAYOUT, type DiagramNode } from './ClusterDiagram';
import { cutWords, MESSAGE_GLYPH, MESSAGE_LEGEND, verdictTone, verdictWords } from './words';
import './Panels.css';

function raftNode(n: RaftNodeFrame): DiagramNode {
  return {
    id: n.id,
    dc: n.dc,
    shape: n.role,
    role: n.role,
    lines: n.role === 'crashed' ? [`term ${n.term}`, `log ${n.logLength} · commit ${n.commitIndex}`] : [`term ${n.term}`, n.votedFor ? `voted for ${n.votedFor}` : 'no vote yet', `log ${n.logLength} · commit ${n.commitIndex}`],
    ring: n.role === 'crashed' ? null : n.timeoutProgress,
    testId: `raft-node-${n.id}`,
    data: { role: n.role, term: n.term },
  };
}

function naiveNode(n: NaiveNodeFrame): DiagramNode {
  return {
    id: n.id,
    dc: n.dc,
    shape: n.role,
    role: n.role,
    lines: [n.role === 'primary' ? 'takes writes' : `follows ${n.primary}`, `${n.writes} write${n.writes === 1 ? '' : 's'}`],
    ring: null,
    testId: `naive-node-${n.id}`,
    data: { role: n.role },
  };
}

/** Raft: roles, terms, votes, election timers and the RPCs in flight, under the session's cut. */
export function RaftPanel({ frame }: { frame: ConsensusFrame }) {
  const nodes = frame.raft.nodes.map(raftNode);
  const summary = frame.raft.nodes.map((n) => `${n.id} ${n.role} term ${n.term}`).join(', ');
  return (
    <section className="consensus-panel consensus-panel-raft" aria-labelledby="consensus-raft-title" data-testid="raft-panel">
      <header className="consensus-panel-head">
        <h2 id="consensus-raft-title">Raft</h2>
        <p className="consensus-panel-sub">one vote per term · a leader needs 3 of 5 votes · the ring is the election timer</p>
      </header>
      <div className="consensus-diagram-box">
        <ClusterDiagram layout={RAFT_LAYOUT} cut={frame.cut} nodes={nodes} messages={frame.raft.messages} label={`Raft nodes. ${cutWords(frame.cut)}. ${summary}.`} idPrefix="raft" />
      </div>
      <ul className="plain-list consensus-legend" aria-label="Messages">
        {MESSAGE_LEGEND.map((l) => (
          <li key={l.kind}>
            <span className="consensus-legend-dot" aria-hidden="true">
              {MESSAGE_GLYPH[l.kind]}
            </span>
            {l.words}
          </li>
        ))}
        <li>
          <span className="consensus-legend-dot consensus-legend-blocked" aria-hidden="true">
            ♥
          </span>
          dashed: the cut drops it
        </li>
      </ul>
    </section>
  );
}

/** Naive failover: each side that loses its primary promotes its own; two primaries is the incident. */
export function NaivePanel({ frame }: { frame: ConsensusFrame }) {
  const nodes = frame.naive.nodes.map(naiveNode);
  const primaries = frame.naive.primaries;
  const where = primaries.map((p) => `${p} (${DC_LABEL[NODE_HOME[p]]})`).join(' and ');
  return (
    <section className="consensus-panel consensus-panel-naive" aria-labelledby="consensus-naive-title" data-testid="naive-panel">
      <header className="consensus-panel-head">
        <h2 id="consensus-naive-title">Naive failover</h2>
        <p className="consensus-panel-sub">lose the primary? promote your own</p>
      </header>
      <div className="consensus-diagram-box">
        <ClusterDiagram layout={NAIVE_LAYOUT} cut={frame.cut} nodes={nodes} label={`Naive failover nodes. ${cutWords(frame.cut)}. Primaries: ${primaries.join(', ') || 'none'}.`} idPrefix="naive" />
      </div>
      {primaries.length > 1 ? (
        <p className="consensus-splitbrain" role="status" data-testid="naive-primaries" data-count={primaries.length}>
          <span className="consensus-splitbrain-big">
            <span aria-hidden="true">⚠ </span>
            {primaries.length} primaries: split-brain
          </span>
          <span className="consensus-splitbrain-small">
            {frame.cut === 'none' ? `Link back, yet ${where} both still take writes: nothing makes one step down` : `${where} both accept writes`}
          </span>
        </p>
      ) : (
        <p className="consensus-primary-ok" role="status" data-testid="naive-primaries" data-count={primaries.length}>
          {primaries.length === 0 ? 'No primary' : `1 primary: ${where}`}
        </p>
      )}
    </section>
  );
}

/** The newest things that happened, newest first, in the server's words. */
export const EventLog = memo(function EventLog({ log }: { log: readonly string[] }) {
  const lines = [...log].reverse();
  return (
    <section className="consensus-card consensus-log" aria-labelledby="consensus-log-title">
      <h2 id="consensus-log-title" className="consensus-card-title">
        Last events
      </h2>
      {lines.length === 0 ? (
        <p className="muted">Nothing yet: the nodes are waiting for their first timeout.</p>
      ) : (
        <ol className="plain-list consensus-log-list" data-testid="consensus-log">
          {lines.map((line, i) => (
            <li key={`${log.length - i}-${line}`} className={i === 0 ? 'consensus-log-newest' : undefined}>
              {line}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
});

/** The lecture's toy election against the real rule on the current split: one bullet per fault. */
export const ToyDiagnosis = memo(function ToyDiagnosis({ toy }: { toy: ConsensusAnalysis['toy'] }) {
  return (
    <section className="consensus-card consensus-toy" aria-labelledby="consensus-toy-title" data-testid="toy-diagnosis">
      <h2 id="consensus-toy-title" className="consensus-card-title">
        The lecture&apos;s toy election, diagnosed
      </h2>
      <ul className="plain-list consensus-toy-list">
        {toy.map((f) => (
          <li key={f.id} className={f.differs ? 'consensus-toy-item consensus-toy-differs' : 'consensus-toy-item'} data-testid={`toy-${f.id}`}>
            <p className="consensus-toy-head">
              <strong>{f.title}</strong>
              <span className={f.differs ? 'consensus-badge consensus-badge-bad' : 'consensus-badge consensus-badge-quiet'}>{f.differs ? 'differs here' : 'same here'}</span>
            </p>
            <p className="consensus-toy-desc">{f.description}</p>
            <p className="consensus-toy-summary">{f.summary}</p>
          </li>
        ))}
      </ul>
    </section>
  );
});

/** 2PC, 3PC, Paxos/Raft, PBFT and Dynamo-style AP on the same split: a badge in words and the reason. */
export const ProtocolCard = memo(function ProtocolCard({ protocols }: { protocols: ConsensusAnalysis['protocols'] }) {
  return (
    <section className="consensus-card consensus-protocols" aria-labelledby="consensus-protocols-title" data-testid="protocol-card">
      <h2 id="consensus-protocols-title" className="consensus-card-title">
        Same partition, other protocols
      </h2>
      <ul className="plain-list consensus-protocol-list">
        {protocols.map((p) => (
          <li key={p.protocol} className="consensus-protocol" data-testid={`protocol-${p.protocol}`}>
            <span className="consensus-protocol-name">{p.protocol}</span>
            <span className={`consensus-badge consensus-badge-${verdictTone(p.verdict)}`} data-testid="verdict">
              {verdictWords(p.verdict)}
            </span>
            <span className="consensus-protocol-line">{p.line}</span>
          </li>
        ))}
      </ul>
    </section>
  );
});
