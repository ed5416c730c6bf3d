/**
 * The order key of each new delivery of a flow ordered per record (record-order.ts): the record
 * (`Invoice:INV-1003`) by default, or the value of the flow's `options.orderKey`, a JSONata
 * expression over the event ({entity, event, recordId, status, from, record}), e.g.
 * `record.Vendor_Code`: deliveries sharing the value go one at a time, in event order. The
 * expression is checked at publish (flows/validate-graph.ts); one that fails at run time, or gives
 * nothing, falls back to the record, so a delivery is never left unordered by mistake.
 */
import type { FlowFile } from "@/flows/format";
import { compileExpression, type CompiledExpression } from "@/server/engine/jsonata";
import { logger } from "@/server/log";
import type { Queryable } from "@/server/db/queryable";
import type { DeliveryEvent } from "./dispatch";

/** The default order key: the record. */
export const recordOrderKey = (entity: string, recordId: string) => `${entity}:${recordId}`;

/** What an order key is computed from: the new delivery's flow, record and event. */
export interface OrderKeyInput {
  flow: { slug: string; definition: FlowFile };
  entity: string;
  recordId: string;
  trigger: string;
  event: DeliveryEvent;
}

// Compiled once per flow definition object (a published version's definition is cached with its plan).
const compiled = new WeakMap<FlowFile, CompiledExpression>();
const uncompilable = new WeakSet<FlowFile>();
function orderKeyExpression(flow: FlowFile): CompiledExpression | undefined {
  const text = flow.options?.orderKey;
  if (text === undefined || uncompilable.has(flow)) return undefined;
  let expr = compiled.get(flow);
  if (!expr) {
    try {
      expr = compileExpression(text, { path: ["options", "orderKey"] });
    } catch (error) {
      // Publishing refuses such a flow; one published before that check orders by the record
      // rather than stopping the event pump that creates its deliveries.
      logger().warn({ err: error, flow: flow.slug }, "order key expression does not compile; ordering by the record");
      uncompilable.add(flow);
      return undefined;
    }
    compiled.set(flow, expr);
  }
  return expr;
}

/** The order key of each item (null: its flow does not ask for order; scheduled runs are never ordered). */
export async function orderKeysOf(sql: Queryable, items: OrderKeyInput[]): Promise<(string | null)[]> {
  const ordered = (item: OrderKeyInput) => item.flow.definition.options?.order === "per-record" && item.trigger !== "schedule";
  const keyed = items.filter((item) => ordered(item) && item.flow.definition.options?.orderKey !== undefined);
  const records = new Map<string, { data: Record<string, unknown>; status: string | null }>();
  if (keyed.length > 0) {
    const rows = await sql<{ entity: string; record_id: string; data: Record<string, unknown>; status: string | null }[]>`
      select r.entity, r.record_id, r.data, r.status from records r
      join unnest(${keyed.map((i) => i.entity)}::text[], ${keyed.map((i) => i.recordId)}::text[]) as k(entity, record_id)
        on r.entity = k.entity and r.record_id = k.record_id`;
    for (const r of rows) records.set(recordOrderKey(r.entity, r.record_id), { data: r.data, status: r.status });
  }
  return Promise.all(
    items.map(async (item) => {
      if (!ordered(item)) return null;
      const byRecord = recordOrderKey(item.entity, item.recordId);
      const expr = orderKeyExpression(item.flow.definition);
      if (!expr) return byRecord;
      const record = records.get(byRecord);
      const input = {
        entity: item.entity,
        event: item.event.type,
        recordId: item.recordId,
        status: item.event.toStatus ?? record?.status ?? null,
        from: item.event.fromStatus,
        record: record?.data ?? {},
      };
      try {
        const value = await expr.evaluate(input);
        if (value === undefined || value === null || value === "") return byRecord;
        return `key:${typeof value === "string" ? value : JSON.stringify(value)}`;
      } catch (error) {
        logger().warn({ err: error, flow: item.flow.slug, recordId: item.recordId }, "order key expression failed; ordering by the record");
        return byRecord;
      }
    }),
  );
}
