"use client";

/** Special config editors the designer page plugs into the inspector: the visual mapper, for node types whose inspector asks for it. */
import type { FlowNode } from "@/flows/format";
import { getNodeDefinition } from "@/flows/nodes/registry";
import type { PreviewMasters } from "@/flows/mapper/preview-masters";
import type { MapConfig } from "@/flows/nodes/map/definition";
import { updateNode } from "@/app/components/designer/canvas/graph-edits";
import type { DesignerApi } from "@/app/components/designer/designer-workspace";
import { MapNodeEditor } from "@/app/components/designer/mapper/map-node-editor";

/** The payload of the sample the designer has selected, if any. */
export function currentSamplePayload(api: DesignerApi): unknown {
  const { flow, currentSample } = api.state;
  return flow.samples.find((s) => s.name === currentSample)?.payload;
}

export function nodeEditorFor(api: DesignerApi, node: FlowNode, masters?: PreviewMasters) {
  if (getNodeDefinition(node.type)?.inspector.editor !== "mapper") return undefined;
  return (
    <MapNodeEditor
      config={node.config as unknown as MapConfig}
      onChange={(config) => api.edit(updateNode(api.state.flow, node.id, { config: config as unknown as Record<string, unknown> }), `map:${node.id}`)}
      direction={api.state.flow.direction}
      sample={currentSamplePayload(api)}
      flow={api.state.flow}
      nodeId={node.id}
      masters={masters}
    />
  );
}
