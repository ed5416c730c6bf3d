"use client";
/**
 * A bench for the mapper and the test panel outside the designer page: an example flow's map node
 * with its samples. Used by the preview-latency benchmark and as a fallback harness; the designer
 * page is where analysts use these components.
 */
import { useMemo, useState } from "react";
import { loadExampleFlows } from "@/flows/examples";
import type { FlowFile } from "@/flows/format";
import type { MapConfig } from "@/flows/nodes/map/definition";
import { JsonEditor } from "@/app/components/monaco/json-editor";
import { MapNodeEditor } from "./map-node-editor";

export function MapperLab({ slug }: { slug: string }) {
  const initial = useMemo(() => loadExampleFlows().find((f) => f.slug === slug) ?? loadExampleFlows()[0]!, [slug]);
  const [flow, setFlow] = useState<FlowFile>(initial);
  const [sampleName, setSampleName] = useState<string | undefined>(initial.samples[0]?.name);
  const [sampleText, setSampleText] = useState<string | undefined>();
  const mapNode = flow.nodes.find((n) => n.type === "map");
  const sample = flow.samples.find((s) => s.name === sampleName);
  const payload = useMemo(() => {
    if (sampleText === undefined) return sample?.payload;
    try {
      return JSON.parse(sampleText) as unknown;
    } catch {
      return sample?.payload;
    }
  }, [sampleText, sample]);

  if (!mapNode) return <p>This flow has no map node.</p>;
  return (
    <div style={{ display: "grid", gap: "1rem" }}>
      <label>
        Sample{" "}
        <select
          aria-label="Sample"
          value={sampleName ?? ""}
          onChange={(e) => {
            setSampleName(e.target.value || undefined);
            setSampleText(undefined);
          }}
        >
          <option value="">(none)</option>
          {flow.samples.map((s) => (
            <option key={s.name} value={s.name}>
              {s.name}
            </option>
          ))}
        </select>
      </label>
      <details>
        <summary>Sample payload</summary>
        <JsonEditor value={sampleText ?? JSON.stringify(sample?.payload ?? {}, null, 2)} onChange={setSampleText} height={220} ariaLabel="Sample payload (JSON)" />
      </details>
      <MapNodeEditor
        config={mapNode.config as unknown as MapConfig}
        onChange={(config) => setFlow((f) => ({ ...f, nodes: f.nodes.map((n) => (n.id === mapNode.id ? { ...n, config: config as unknown as Record<string, unknown> } : n)) }))}
        direction={flow.direction}
        sample={payload}
        flow={flow}
        nodeId={mapNode.id}
      />
    </div>
  );
}
