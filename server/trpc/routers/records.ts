/**
 * Records (the ERP side): browse each entity and master, open a record with its origin and
 * delivery history, move it through its workflow, and "Send to API". Transitions go through the
 * record store (which emits the event that starts outgoing flows, as the CLI does) and sends
 * through manual-send; nothing here decides business rules of its own.
 */
import { z } from "zod";
import { ENTITIES } from "@/flows/erp/entities";
import { getDeliveries, listSendTargets, MAX_MANUAL_SELECTION, sendRecords } from "@/server/outgoing/manual-send";
import { countRecordsByEntity, recordDeliveries, recordOrigin } from "@/server/records/record-history";
import { getRecord, listRecords, requireEntity, transitionRecord } from "@/server/records/store";
import { FlowError } from "@/server/engine/errors";
import { audit } from "../audited";
import { guarded, router } from "../init";

const entityInput = z.string().min(1).max(64);
const recordIdInput = z.string().min(1).max(100);

export const recordsRouter = router({
  /** Every entity and master with its record count (the catalogue itself is client-safe: flows/erp/entities). */
  entities: guarded("records.read").query(async ({ ctx }) => {
    const counts = await countRecordsByEntity(ctx.sql);
    return ENTITIES.map((e) => ({ name: e.name, label: e.label, kind: e.kind, count: counts[e.name] ?? 0 }));
  }),

  /** Newest first, keyset-paginated: `cursor` is the last row of the previous page. */
  list: guarded("records.read")
    .input(
      z.object({
        entity: entityInput,
        search: z.string().max(200).optional(),
        status: z.string().max(64).optional(),
        cursor: z.uuid().optional(),
        limit: z.int().min(1).max(100).default(25),
      }),
    )
    .query(async ({ ctx, input }) => {
      const entity = requireEntity(input.entity);
      const rows = await listRecords(ctx.sql, entity.name, {
        search: input.search,
        status: input.status || undefined,
        limit: input.limit + 1,
        after: input.cursor ? { id: input.cursor } : undefined,
      });
      const items = rows.slice(0, input.limit);
      return { items, nextCursor: rows.length > input.limit ? items.at(-1)!.id : null };
    }),

  /** One record: fields, status and the transitions allowed from it, where it came from, where it went. */
  get: guarded("records.read")
    .input(z.object({ entity: entityInput, recordId: recordIdInput }))
    .query(async ({ ctx, input }) => {
      const entity = requireEntity(input.entity);
      const record = await getRecord(ctx.sql, entity.name, input.recordId);
      if (!record) throw new FlowError("NOT_FOUND", { message: `${entity.label} ${input.recordId} not found` });
      const [origin, deliveries] = await Promise.all([recordOrigin(ctx.sql, record), recordDeliveries(ctx.sql, entity.name, record.recordId)]);
      const transitions = record.status ? (entity.statuses?.transitions[record.status] ?? []) : [];
      return { record, transitions, locked: record.status !== null && (entity.lockedStatuses ?? []).includes(record.status), origin, deliveries };
    }),

  /** The outgoing flows "Send to API" may use for this entity. */
  sendTargets: guarded("records.read")
    .input(z.object({ entity: entityInput }))
    .query(({ ctx, input }) => listSendTargets(ctx.sql, input.entity)),

  /** Approve an invoice, post a goods receipt…: the record store's transition, with its event, in one transaction. */
  transition: guarded("records.write")
    .input(z.object({ entity: entityInput, recordId: recordIdInput, toStatus: z.string().min(1).max(64) }))
    .mutation(({ ctx, input }) =>
      ctx.sql.begin(async (tx) => {
        const before = await getRecord(tx, input.entity, input.recordId);
        const record = await transitionRecord(tx, input.entity, input.recordId, input.toStatus);
        await audit(tx, ctx.user, "record.transitioned", `${record.entity}/${record.recordId}`, { from: before?.status ?? null, to: record.status });
        return record;
      }),
    ),

  /** "Send to API": one delivery per record through the chosen outgoing flow; poll `deliveries` for the result. */
  send: guarded("records.send")
    .input(z.object({ entity: entityInput, recordIds: z.array(recordIdInput).min(1).max(MAX_MANUAL_SELECTION), flowSlug: z.string().min(1).max(80) }))
    .mutation(async ({ ctx, input }) => {
      const ids = await sendRecords(ctx.sql, input);
      await audit(ctx.sql, ctx.user, "records.sent", input.flowSlug, { entity: input.entity, recordIds: input.recordIds, deliveryIds: ids });
      return { deliveryIds: ids, deliveries: await getDeliveries(ctx.sql, ids) };
    }),

  /** The current state of deliveries (a send's result as it completes). */
  deliveries: guarded("records.read")
    .input(z.object({ ids: z.array(z.uuid()).min(1).max(MAX_MANUAL_SELECTION) }))
    .query(({ ctx, input }) => getDeliveries(ctx.sql, input.ids)),
});
