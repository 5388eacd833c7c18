import React, { type RefObject } from 'react';

import type { Scene, SceneNode } from './buildScene';
import type { CanvasStyle } from './drawScene';

interface GraphSvgProps {
  scene: Scene;
  width: number;
  height: number;
  style: CanvasStyle;
  /** The zoom group; its transform is set by the view, not by React. */
  groupRef: RefObject<SVGGElement>;
  onSelect: (id: string) => void;
  onFocusNode: (node: SceneNode | null) => void;
}

const markerId = (color: string) => `seismo-arrow-${color.replace('#', '')}`;

/** The scene as SVG elements; each service is a focusable button (Enter or Space selects it). */
export function GraphSvg({ scene, width, height, style, groupRef, onSelect, onFocusNode }: GraphSvgProps) {
  const colors = [...new Set(scene.edges.map((edge) => edge.color))];
  return (
    <svg width={width} height={height} style={{ display: 'block' }} data-testid="topology-svg">
      <defs>
        {colors.map((color) => (
          <marker
            key={color}
            id={markerId(color)}
            viewBox="0 0 10 10"
            refX="9"
            refY="5"
            markerWidth="5"
            markerHeight="5"
            markerUnits="strokeWidth"
            orient="auto-start-reverse"
          >
            <path d="M 0 0 L 10 5 L 0 10 z" fill={color} />
          </marker>
        ))}
      </defs>
      <g ref={groupRef}>
        {scene.edges.map((edge) => (
          <line
            key={edge.id}
            data-edge-id={edge.id}
            data-health={edge.health}
            data-highlighted={edge.highlighted ? 'true' : undefined}
            x1={edge.x1}
            y1={edge.y1}
            x2={edge.x2}
            y2={edge.y2}
            stroke={edge.color}
            strokeWidth={edge.highlighted ? edge.width + 1.5 : edge.width}
            strokeDasharray={edge.dash?.join(' ')}
            strokeOpacity={edge.dim ? 0.15 : edge.highlighted ? 1 : 0.75}
            markerEnd={`url(#${markerId(edge.color)})`}
          />
        ))}
        {scene.nodes.map((node) => (
          <g
            key={node.id}
            data-node-id={node.id}
            data-health={node.health}
            data-dim={node.dim ? 'true' : 'false'}
            data-selected={node.selected ? 'true' : 'false'}
            transform={`translate(${node.x},${node.y})`}
            tabIndex={0}
            role="button"
            aria-pressed={node.selected}
            aria-label={node.description}
            opacity={node.dim ? 0.25 : 1}
            style={{ cursor: 'pointer', outline: 'none' }}
            onKeyDown={(event) => {
              if (event.key === 'Enter' || event.key === ' ') {
                event.preventDefault();
                onSelect(node.id);
              }
            }}
            onFocus={() => onFocusNode(node)}
            onBlur={() => onFocusNode(null)}
          >
            {(node.selected || node.match) && (
              <circle r={node.r + 5} fill="none" stroke={style.selection} strokeWidth={2} />
            )}
            <circle r={node.r} fill={style.background} />
            <circle
              r={node.r}
              fill={node.color}
              fillOpacity={node.health === 'anomalous' ? 0.5 : 0.2}
              stroke={node.color}
              strokeWidth={node.health === 'anomalous' ? 4 : 2.5}
              strokeDasharray={node.dash?.join(' ')}
            />
            <text
              textAnchor="middle"
              dominantBaseline="central"
              fontSize={node.text.length > 2 ? 10 : 13}
              fontWeight={600}
              fill={style.text}
            >
              {node.text}
            </text>
            <text
              textAnchor="middle"
              dominantBaseline="hanging"
              y={node.r + 4}
              fontSize={style.labelSize}
              fill={style.text}
            >
              {node.label}
            </text>
            {node.rank !== null && (
              <g transform={`translate(${node.r * 0.8},${-node.r * 0.8})`} data-rank={node.rank}>
                <circle r={8} fill={node.color} />
                <text
                  textAnchor="middle"
                  dominantBaseline="central"
                  fontSize={9}
                  fontWeight={600}
                  fill={style.background}
                >
                  #{node.rank}
                </text>
              </g>
            )}
          </g>
        ))}
      </g>
    </svg>
  );
}
