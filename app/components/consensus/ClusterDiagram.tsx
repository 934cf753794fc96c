'use client';

import { DC_LABEL, type Dc, type MessageFrame, type NodeId } from '../../../server/protocol/wire';
import { blocks, MESSAGE_GLYPH, type Cut } from './words';
import './ClusterDiagram.css';

interface Point {
  x: number;
  y: number;
}

/** Where a diagram puts its groups, its nodes and the cut; both panels share the shape, not the sizes. */
export interface DiagramLayout {
  width: number;
  height: number;
  radius: number;
  west: { x: number; w: number };
  east: { x: number; w: number };
  cutX: number;
  nodes: Readonly<Record<NodeId, Point>>;
}

const GROUP_Y = 10;

/** Raft has four lines per node (role, term, vote, log), so its text columns are wide. */
export const RAFT_LAYOUT: DiagramLayout = {
  width: 1130,
  height: 470,
  radius: 40,
  west: { x: 10, w: 440 },
  east: { x: 570, w: 550 },
  cutX: 510,
  nodes: { A: { x: 362, y: 128 }, B: { x: 362, y: 342 }, C: { x: 668, y: 100 }, D: { x: 790, y: 235 }, E: { x: 668, y: 370 } },
};

/** Naive failover says less per node (role, whom it follows, its writes). */
export const NAIVE_LAYOUT: DiagramLayout = {
  width: 830,
  height: 470,
  radius: 40,
  west: { x: 10, w: 330 },
  east: { x: 460, w: 360 },
  cutX: 400,
  nodes: { A: { x: 264, y: 128 }, B: { x: 264, y: 342 }, C: { x: 548, y: 100 }, D: { x: 636, y: 235 }, E: { x: 548, y: 370 } },
};

/** How a node is drawn: the shape says its role as much as the word under it. */
export type NodeShape = 'follower' | 'candidate' | 'leader' | 'primary' | 'replica' | 'crashed';

export interface DiagramNode {
  id: NodeId;
  dc: Dc;
  shape: NodeShape;
  /** The role in words, the first line beside the node. */
  role: string;
  lines: readonly string[];
  /** Election timer, 0..1, drawn as a ring; null for none. */
  ring: number | null;
  testId: string;
  data?: Readonly<Record<string, string | number>>;
}

const LINE = 27;

function NodeGlyph({ node, layout }: { node: DiagramNode; layout: DiagramLayout }) {
  const r = layout.radius;
  const { x, y } = layout.nodes[node.id];
  const textLeft = node.dc === 'west';
  const tx = textLeft ? x - r - 24 : x + r + 24;
  const lines = [node.role, ...node.lines];
  const top = y - ((lines.length - 1) * LINE) / 2 + 8;
  const data = Object.fromEntries(Object.entries(node.data ?? {}).map(([k, v]) => [`data-${k}`, String(v)]));
  return (
    <g className={`consensus-node consensus-node-${node.shape}`} data-dc={node.dc} data-testid={node.testId} {...data}>
      {node.ring !== null && (
        <g transform={`translate(${x} ${y}) rotate(-90)`}>
          <circle r={r + 10} className="consensus-ring-track" />
          <circle r={r + 10} className="consensus-ring-arc" pathLength={100} strokeDasharray="100" strokeDashoffset={100 * (1 - Math.min(1, Math.max(0, node.ring)))} />
        </g>
      )}
      <Shape shape={node.shape} x={x} y={y} r={r} />
      <text x={x} y={y + 12} textAnchor="middle" className="consensus-node-id">
        {node.id}
      </text>
      {(node.shape === 'leader' || node.shape === 'primary') && (
        <text x={x} y={y - r - 16} textAnchor="middle" className="consensus-node-crown" aria-hidden="true">
          ★
        </text>
      )}
      {node.shape === 'crashed' && <path d={`M${x - r * 0.75},${y - r * 0.75} L${x + r * 0.75},${y + r * 0.75} M${x + r * 0.75},${y - r * 0.75} L${x - r * 0.75},${y + r * 0.75}`} className="consensus-node-x" />}
      <text x={tx} y={top} textAnchor={textLeft ? 'end' : 'start'} className="consensus-node-text">
        {lines.map((line, i) => (
          <tspan key={i} x={tx} dy={i === 0 ? 0 : LINE} className={i === 0 ? 'consensus-node-role' : undefined}>
            {line}
          </tspan>
        ))}
      </text>
    </g>
  );
}

function Shape({ shape, x, y, r }: { shape: NodeShape; x: number; y: number; r: number }) {
  switch (shape) {
    case 'candidate': {
      const d = r * 1.22;
      return <polygon points={`${x},${y - d} ${x + d},${y} ${x},${y + d} ${x - d},${y}`} className="consensus-shape" />;
    }
    case 'leader':
      return (
        <>
          <circle cx={x} cy={y} r={r + 9} className="consensus-leader-ring" />
          <circle cx={x} cy={y} r={r} className="consensus-shape" />
        </>
      );
    case 'primary':
      return (
        <>
          <rect x={x - r - 7} y={y - r - 7} width={2 * r + 14} height={2 * r + 14} rx={12} className="consensus-leader-ring" />
          <rect x={x - r} y={y - r} width={2 * r} height={2 * r} rx={8} className="consensus-shape" />
        </>
      );
    case 'crashed':
      return <circle cx={x} cy={y} r={r} className="consensus-shape consensus-shape-crashed" />;
    case 'follower':
    case 'replica':
      return <circle cx={x} cy={y} r={r} className="consensus-shape" />;
    default: {
      const unknown: never = shape;
      throw new Error(`unknown shape ${String(unknown)}`);
    }
  }
}

/** Where a message is: `progress` of the way between the two rings, a little to its own side of the line. */
function messagePoint(layout: DiagramLayout, m: MessageFrame): Point {
  const a = layout.nodes[m.from];
  const b = layout.nodes[m.to];
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len = Math.hypot(dx, dy) || 1;
  const ux = dx / len;
  const uy = dy / len;
  const inset = layout.radius + 16;
  const travel = Math.max(0, len - 2 * inset);
  const p = Math.min(1, Math.max(0, m.progress));
  // Offset to the right of the direction of travel, so a request and its answer never overlap.
  return { x: a.x + ux * (inset + travel * p) - uy * 9, y: a.y + uy * (inset + travel * p) + ux * 9 };
}

/**
 * A message as a dot carrying its glyph. Its position is a CSS transform with a 100 ms linear
 * transition, so between two frames (10 a second) the browser glides it on the compositor;
 * with prefers-reduced-motion the transition is off and it jumps.
 */
function MessageDot({ layout, m, fromDc }: { layout: DiagramLayout; m: MessageFrame; fromDc: Dc }) {
  const { x, y } = messagePoint(layout, m);
  return (
    <g
      className={m.blocked ? 'consensus-msg consensus-msg-blocked' : 'consensus-msg'}
      data-dc={fromDc}
      style={{ transform: `translate(${x.toFixed(1)}px, ${y.toFixed(1)}px)` }}
      data-testid="raft-message"
      data-kind={m.kind}
      data-blocked={m.blocked ? 'true' : 'false'}
    >
      <circle r={14} />
      <text y={6} textAnchor="middle">
        {MESSAGE_GLYPH[m.kind]}
      </text>
    </g>
  );
}

/** The link between the groups: a plain line when up; a red cut with each blocked direction crossed out. */
function CutMark({ layout, cut, idPrefix }: { layout: DiagramLayout; cut: Cut; idPrefix: string }) {
  const { cutX, height } = layout;
  const westEnd = layout.west.x + layout.west.w;
  const eastStart = layout.east.x;
  const arrow = (from: 'west' | 'east', y: number) => {
    const blocked = blocks(cut, from);
    const [x1, x2] = from === 'west' ? [westEnd + 6, eastStart - 6] : [eastStart - 6, westEnd + 6];
    return (
      <g className={blocked ? 'consensus-arrow consensus-arrow-blocked' : 'consensus-arrow'}>
        <line x1={x1} y1={y} x2={x2} y2={y} markerEnd={blocked ? `url(#${idPrefix}-head-cut)` : `url(#${idPrefix}-head)`} />
        {blocked && (
          <text x={cutX} y={y + 7} textAnchor="middle" className="consensus-arrow-x">
            ✕
          </text>
        )}
      </g>
    );
  };
  if (cut === 'none') {
    return (
      <g className="consensus-link-up">
        {arrow('west', height / 2 - 12)}
        {arrow('east', height / 2 + 12)}
      </g>
    );
  }
  const zig: string[] = [];
  for (let y = GROUP_Y, i = 0; y <= height - GROUP_Y; y += 24, i += 1) zig.push(`${i === 0 ? 'M' : 'L'}${cutX + (i % 2 === 0 ? 8 : -8)},${y}`);
  return (
    <g className={cut === 'full' ? 'consensus-cut' : 'consensus-cut consensus-cut-one-way'}>
      <path d={zig.join(' ')} className="consensus-cutline" />
      {arrow('west', height / 2 - 26)}
      {arrow('east', height / 2 + 26)}
    </g>
  );
}

/**
 * The five nodes grouped by side (A, B in West; C, D, E in East) with the link or the cut
 * between the groups, and, for Raft, the messages in flight. Used by both panels.
 */
export function ClusterDiagram({
  layout,
  cut,
  nodes,
  messages = [],
  label,
  idPrefix,
}: {
  layout: DiagramLayout;
  cut: Cut;
  nodes: readonly DiagramNode[];
  messages?: readonly MessageFrame[];
  label: string;
  idPrefix: string;
}) {
  const dcOf = new Map(nodes.map((n) => [n.id, n.dc]));
  const h = layout.height - 2 * GROUP_Y;
  return (
    <svg viewBox={`0 0 ${layout.width} ${layout.height}`} className="consensus-diagram" role="img" aria-label={label} preserveAspectRatio="xMidYMid meet">
      <defs>
        <marker id={`${idPrefix}-head`} viewBox="0 0 10 10" refX="8" refY="5" markerWidth="4" markerHeight="4" orient="auto-start-reverse">
          <path d="M0,0 L10,5 L0,10 z" className="consensus-arrowhead" />
        </marker>
        <marker id={`${idPrefix}-head-cut`} viewBox="0 0 10 10" refX="8" refY="5" markerWidth="4" markerHeight="4" orient="auto-start-reverse">
          <path d="M0,0 L10,5 L0,10 z" className="consensus-arrowhead-cut" />
        </marker>
      </defs>
      <rect x={layout.west.x} y={GROUP_Y} width={layout.west.w} height={h} rx={18} className="consensus-group" data-dc="west" />
      <rect x={layout.east.x} y={GROUP_Y} width={layout.east.w} height={h} rx={18} className="consensus-group" data-dc="east" />
      <text x={layout.west.x + 16} y={GROUP_Y + 34} className="consensus-group-label" data-dc="west" id={`${idPrefix}-west`}>
        {DC_LABEL.west}
      </text>
      <text x={layout.east.x + layout.east.w - 16} y={GROUP_Y + 34} textAnchor="end" className="consensus-group-label" data-dc="east" id={`${idPrefix}-east`}>
        {DC_LABEL.east}
      </text>
      <CutMark layout={layout} cut={cut} idPrefix={idPrefix} />
      {nodes.map((n) => (
        <NodeGlyph key={n.id} node={n} layout={layout} />
      ))}
      {messages.map((m) => (
        <MessageDot key={m.seq} layout={layout} m={m} fromDc={dcOf.get(m.from) ?? 'west'} />
      ))}
    </svg>
  );
}
