/**
 * A large, realistic incoming flow for the designer benchmark: trigger and auth, then blocks of
 * map → validate → branch (the false side answering FAILED), a lookup on the true side, and finally
 * store and respond — `size` nodes in all, laid out in rows as an analyst might have arranged them.
 */
import { parseFlow, type FlowFile, type FlowNode, type FlowEdge } from "../flows/format";

export function largeFlow(size = 150, slug = "bench-designer-150"): FlowFile {
  const nodes: FlowNode[] = [];
  const edges: FlowEdge[] = [];
  const at = (i: number) => ({ x: (i % 10) * 280, y: Math.floor(i / 10) * 140 });
  const add = (type: string, config: Record<string, unknown>, name: string): string => {
    const id = `n${nodes.length + 1}`;
    nodes.push({ id, type, name, position: at(nodes.length), config });
    return id;
  };
  let last = add("trigger.http", { slug, method: "POST", mode: "single" }, "POST endpoint");
  const link = (source: string, target: string, sourcePort?: string) => edges.push(sourcePort ? { source, target, sourcePort } : { source, target });
  const auth = add("auth", { direction: "incoming", methods: ["api_key", "bearer"] }, "API key or Bearer");
  link(last, auth);
  last = auth;
  let block = 0;
  while (nodes.length + 5 <= size - 2) {
    block++;
    const map = add("map", { expression: `{ "Vendor_Name": vendorName, "GST_No": gstNumber, "Step": ${block} }`, mappings: [] }, `Map step ${block}`);
    const validate = add(
      "validate",
      { rules: [{ field: "GST_No", rule: "format", format: "gstin" }, { field: "Vendor_Name", rule: "required" }] },
      `Validate step ${block}`,
    );
    const branch = add("branch", { condition: `Step = ${block}` }, `Check step ${block}`);
    const lookup = add("lookup", { entity: "City", key: "City", target: `city${block}`, onMissing: "continue" }, `City lookup ${block}`);
    const reject = add("respond", { status: "FAILED", errorCode: "STEP_FAILED" }, `Reject step ${block}`);
    link(last, map);
    link(map, validate);
    link(validate, branch);
    link(branch, lookup, "true");
    link(branch, reject, "false");
    last = lookup;
  }
  while (nodes.length < size - 2) {
    const map = add("map", { expression: "$", mappings: [] }, `Pass ${nodes.length}`);
    link(last, map);
    last = map;
  }
  const store = add("store", { entity: "Vendor", mode: "insert", series: "VEND-" }, "Save vendor");
  const respond = add("respond", { status: "SUCCESS" }, "Respond");
  link(last, store);
  link(store, respond);
  return parseFlow({ formatVersion: 1, slug, name: `Designer benchmark (${size} nodes)`, direction: "incoming", description: "", nodes, edges });
}
