import { DC_IDS, DC_LABEL, LINK_MODE_LABEL, NODE_HOME, NODE_IDS, type LinkMode } from '../../../server/protocol/wire';
import { holdsFrom, linkLook } from '../../lib/dc';
import './ClusterNodes.css';

const WEST_NODES = NODE_IDS.filter((n) => NODE_HOME[n] === 'west');
const EAST_NODES = NODE_IDS.filter((n) => NODE_HOME[n] === 'east');

const R = 19;
const GAP = 48;
const WEST_X = 14;
const LINK_W = 96;
const Y = 52;

/**
 * The lecture's picture: five nodes, A and B in West, C, D and E in East, and the link between
 * them drawn as it is now: a plain line, a dashed slow line, a red cut, or a one-way cut with an
 * arrow for each direction (the blocked one crossed out).
 */
export function ClusterNodes({ mode, caption }: { mode: LinkMode; caption?: string }) {
  const westW = WEST_NODES.length * GAP + 16;
  const eastW = EAST_NODES.length * GAP + 16;
  const eastX = WEST_X + westW + LINK_W;
  const width = eastX + eastW + 14;
  const linkFrom = WEST_X + westW;
  const linkTo = eastX;
  const mid = (linkFrom + linkTo) / 2;
  const look = linkLook(mode);
  const westBlocked = holdsFrom(mode, 'west');
  const eastBlocked = holdsFrom(mode, 'east');

  const arrow = (from: 'west' | 'east', y: number) => {
    const blocked = from === 'west' ? westBlocked : eastBlocked;
    const [x1, x2] = from === 'west' ? [linkFrom + 4, linkTo - 10] : [linkTo - 4, linkFrom + 10];
    return (
      <g className={blocked ? 'board-nodes-arrow board-nodes-arrow-blocked' : 'board-nodes-arrow'}>
        <line x1={x1} y1={y} x2={x2} y2={y} markerEnd={blocked ? 'url(#nodes-head-cut)' : 'url(#nodes-head)'} />
        {blocked && (
          <text x={mid} y={y + 6} className="board-nodes-x" textAnchor="middle">
            ✕
          </text>
        )}
      </g>
    );
  };

  return (
    <figure className={`board-nodes board-nodes-mode-${look}`} data-testid="nodes" data-mode={mode}>
      <svg viewBox={`0 0 ${width} 120`} role="img" aria-label={`Nodes A and B in West, C, D and E in East. ${LINK_MODE_LABEL[mode]}.`}>
        <defs>
          <marker id="nodes-head" viewBox="0 0 10 10" refX="8" refY="5" markerWidth="5" markerHeight="5" orient="auto-start-reverse">
            <path d="M0,0 L10,5 L0,10 z" className="board-nodes-head" />
          </marker>
          <marker id="nodes-head-cut" viewBox="0 0 10 10" refX="8" refY="5" markerWidth="5" markerHeight="5" orient="auto-start-reverse">
            <path d="M0,0 L10,5 L0,10 z" className="board-nodes-head-cut" />
          </marker>
        </defs>
        {DC_IDS.map((dc) => {
          const x = dc === 'west' ? WEST_X : eastX;
          const w = dc === 'west' ? westW : eastW;
          return (
            <g key={dc} data-dc={dc}>
              <rect x={x} y={14} width={w} height={76} rx={14} className="board-nodes-group" />
              {(dc === 'west' ? WEST_NODES : EAST_NODES).map((n, i) => (
                <g key={n} className="board-node">
                  <circle cx={x + 8 + GAP / 2 + i * GAP} cy={Y} r={R} />
                  <text x={x + 8 + GAP / 2 + i * GAP} y={Y + 7} textAnchor="middle">
                    {n}
                  </text>
                </g>
              ))}
              <text x={x + w / 2} y={112} textAnchor="middle" className="board-nodes-label">
                {DC_LABEL[dc]}
              </text>
            </g>
          );
        })}
        {caption !== undefined && (
          <text x={mid} y={112} textAnchor="middle" className="board-nodes-caption">
            {caption}
          </text>
        )}
        {look === 'one-way' ? (
          <>
            {arrow('west', Y - 14)}
            {arrow('east', Y + 14)}
          </>
        ) : (
          <line x1={linkFrom} y1={Y} x2={linkTo} y2={Y} className={`board-nodes-link board-nodes-link-${look}`} />
        )}
        {look === 'slow' && (
          <text x={mid} y={Y - 10} textAnchor="middle" className="board-nodes-slow">
            slow
          </text>
        )}
        {look === 'cut' && (
          <path
            className="board-nodes-cutline"
            d={`M${mid + 6},4 L${mid - 6},24 L${mid + 6},44 L${mid - 6},64 L${mid + 6},84 L${mid - 6},104`}
          />
        )}
      </svg>
    </figure>
  );
}
