"use client";
/**
 * A bench for the mapper and the test panel outside the designer page: an example flow's map node
 * and its samples, edited in memory. The preview-latency benchmark runs here; analysts use these
 * components on the designer page.
 */
import { useMemo, useState } from "react";
import { loadExampleFlows } from "@/flows/examples";
import type { FlowFile } from "@/flows/format";
import type { MapConfig } from "@/flows/nodes/map/definition";
import { TestPanel } from "../testing/test-panel";
import { MapNodeEditor } from "./map-node-editor";

export function MapperLab({ slug }: { slug: string }) {
  const initial = useMemo(() => loadExampleFlows().find((f) => f.slug === slug) ?? loadExampleFlows()[0]!, [slug]);
  const [flow, setFlow] = useState<FlowFile>(initial);
  const [current, setCurrent] = useState<string | undefined>(initial.samples[0]?.name);
  const mapNode = flow.nodes.find((n) => n.type === "map");
  const sample = flow.samples.find((s) => s.name === current);

  if (!mapNode) return <p>This flow has no map node.</p>;
  return (
    <div style={{ display: "grid", gap: "1.25rem" }}>
      <MapNodeEditor
        config={mapNode.config as unknown as MapConfig}
        onChange={(config) => setFlow((f) => ({ ...f, nodes: f.nodes.map((n) => (n.id === mapNode.id ? { ...n, config: config as unknown as Record<string, unknown> } : n)) }))}
        direction={flow.direction}
        sample={sample?.payload}
        flow={flow}
        nodeId={mapNode.id}
      />
      <TestPanel flow={flow} onFlowChange={setFlow} currentSample={current} onSelectSample={setCurrent} onResult={() => undefined} />
    </div>
  );
}
