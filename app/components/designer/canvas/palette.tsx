"use client";

/**
 * The palette: node types grouped by category from the registry, for the flow's direction. Drag one
 * onto the canvas, or press Enter / click to add it beside the selection.
 */
import type { FlowDirection } from "@/flows/format";
import { nodePalette } from "@/flows/nodes/registry";
import { NodeIcon } from "./node-icon";
import styles from "./canvas.module.css";

export const PALETTE_MIME = "application/x-flowport-node";

interface Props {
  direction: FlowDirection;
  disabled: boolean;
  onAdd: (type: string) => void;
  /** Icons only (names in tooltips and for screen readers): the mapper needs the room. */
  compact?: boolean;
}

export function Palette({ direction, disabled, onAdd, compact = false }: Props) {
  const groups = nodePalette()
    .map((g) => ({ ...g, nodes: g.nodes.filter((d) => d.directions.includes(direction)) }))
    .filter((g) => g.nodes.length > 0);
  return (
    <nav className={compact ? `${styles.palette} ${styles.paletteCompact}` : styles.palette} aria-label="Node palette" data-compact={compact ? "true" : undefined}>
      {groups.map((group) => (
        <section key={group.category}>
          <h3>{group.category}</h3>
          <ul>
            {group.nodes.map((d) => (
              <li key={d.type}>
                <button
                  type="button"
                  className={styles.paletteItem}
                  draggable={!disabled}
                  disabled={disabled}
                  data-testid={`palette-${d.type}`}
                  title={compact ? `${d.label}: ${d.help}` : d.help}
                  onDragStart={(e) => {
                    e.dataTransfer.setData(PALETTE_MIME, d.type);
                    e.dataTransfer.effectAllowed = "copy";
                  }}
                  onClick={() => onAdd(d.type)}
                >
                  <span className={styles.nodeIcon} data-category={d.category}>
                    <NodeIcon name={d.icon} />
                  </span>
                  <span className={styles.paletteLabel}>{d.label}</span>
                </button>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </nav>
  );
}
