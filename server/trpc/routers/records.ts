/**
 * Records (the ERP side): browse each entity and master, open a record with its origin and
 * delivery history, move it through its workflow, and "Send to API". Thin: transitions and sends
 * are domain operations (server/records/record-actions.ts: the store's change, its event and the
 * audit row in one transaction, as the CLI does); nothing here decides business rules of its own.
 */
import { z } from "zod";
import { userActor } from "@/server/audit/actor";
import { getDeliveries, listSendTargets, MAX_MANUAL_SELECTION } from "@/server/outgoing/manual-send";
import { entitiesWithCounts, pageRecords, recordDetail, sendRecordsAs, transitionRecordAs } from "@/server/records/record-actions";
import { guarded, router } from "../init";

const entityInput = z.string().min(1).max(64);
const recordIdInput = z.string().min(1).max(100);

export const recordsRouter = router({
  /** Every entity and master with its record count (the catalogue itself is client-safe: flows/erp/entities). */
  entities: guarded("records.read").query(({ ctx }) => entitiesWithCounts(ctx.sql)),

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
    .query(({ ctx, input }) => pageRecords(ctx.sql, input)),

  /** One record: fields, status and the transitions allowed from it, where it came from, where it went. */
  get: guarded("records.read")
    .input(z.object({ entity: entityInput, recordId: recordIdInput }))
    .query(({ ctx, input }) => recordDetail(ctx.sql, input)),

  /** The outgoing flows "Send to API" may use for this entity. */
  sendTargets: guarded("records.read")
    .input(z.object({ entity: entityInput }))
    .query(({ ctx, input }) => listSendTargets(ctx.sql, input.entity)),

  /** Approve an invoice, post a goods receipt…: the record store's transition, with its event, in one transaction. */
  transition: guarded("records.write")
    .input(z.object({ entity: entityInput, recordId: recordIdInput, toStatus: z.string().min(1).max(64) }))
    .mutation(({ ctx, input }) => transitionRecordAs(ctx.sql, input, userActor(ctx.user))),

  /** "Send to API": one delivery per record through the chosen outgoing flow; poll `deliveries` for the result. */
  send: guarded("records.send")
    .input(z.object({ entity: entityInput, recordIds: z.array(recordIdInput).min(1).max(MAX_MANUAL_SELECTION), flowSlug: z.string().min(1).max(80) }))
    .mutation(async ({ ctx, input }) => {
      const ids = await sendRecordsAs(ctx.sql, input, userActor(ctx.user));
      return { deliveryIds: ids, deliveries: await getDeliveries(ctx.sql, ids) };
    }),

  /** The current state of deliveries (a send's result as it completes). */
  deliveries: guarded("records.read")
    .input(z.object({ ids: z.array(z.uuid()).min(1).max(MAX_MANUAL_SELECTION) }))
    .query(({ ctx, input }) => getDeliveries(ctx.sql, input.ids)),
});
