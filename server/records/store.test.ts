import { describe, expect, it } from "vitest";
import { FlowError } from "@/server/engine/errors";
import { useTestDatabase } from "../testing/database";
import { findRecordByField, getRecord, insertRecord, listRecords, transitionRecord, upsertRecord } from "./store";

const database = useTestDatabase();

const vendor = (gst: string, name = "ABC Suppliers") => ({
  Vendor_Name: name,
  GST_No: gst,
  Contact_Person: "Ramesh Sharma",
  Phone_No: "9876543210",
  Email: "abc@xyz.com",
  City: "Mumbai",
});

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "OK";
  } catch (error) {
    if (error instanceof FlowError) return error.code;
    throw error;
  }
}

const jobsFor = async (recordId: string) => {
  const { sql } = database();
  const rows = await sql`select 1 from record_events where payload->>'recordId' = ${recordId}`;
  return rows.length;
};

describe("record store", () => {
  it("numbers new records from the entity's series and refuses a duplicate key, whatever its case or spacing", async () => {
    const { sql } = database();
    const first = await insertRecord(sql, "Vendor", vendor("27ABCDE1234F1Z5"));
    expect(first.record.recordId).toMatch(/^VEND-\d{4,}$/);
    expect(first.record.status).toBe("active");
    const second = await insertRecord(sql, "Vendor", vendor("27ABCDE9999F1Z5"));
    expect(Number(second.record.recordId.slice(5))).toBe(Number(first.record.recordId.slice(5)) + 1);

    // GST_No holds exactly a GSTIN's 15 characters (its contract), so spacing is tried on a longer key.
    const dup = insertRecord(sql, "Vendor", vendor("27abcde1234f1z5", "Other name"));
    await expect(dup).rejects.toMatchObject({ code: "DUPLICATE_RECORD", httpStatus: 409 });
    await insertRecord(sql, "Customer", { Customer_Name: "Spacing Infra" });
    await expect(insertRecord(sql, "Customer", { Customer_Name: "  spacing INFRA " })).rejects.toMatchObject({ code: "DUPLICATE_RECORD" });
    expect(await jobsFor(first.record.recordId)).toBe(1); // its "created" event, queued with it
  });

  it("answers an insert with the record exactly as it reads back", async () => {
    const { sql } = database();
    // In a transaction, as on the incoming path: created_at and updated_at are its now().
    const read = await sql.begin(async (tx) => {
      const { record } = await insertRecord(tx, "Vendor", vendor("27READB1234F1Z5"), { origin: { kind: "flow", flow: "vendor-master" } });
      return { record, stored: await getRecord(tx, "Vendor", record.recordId) };
    });
    expect(read.record).toEqual(read.stored);
  });

  it("lets exactly one of 50 concurrent inserts of one GSTIN through", async () => {
    const { sql } = database();
    const results = await Promise.all(
      Array.from({ length: 50 }, () => sql.begin((tx) => codeOf(insertRecord(tx, "Vendor", vendor("27RACED1234F1Z5"))))),
    );
    expect(results.filter((r) => r === "OK")).toHaveLength(1);
    expect(results.filter((r) => r === "DUPLICATE_RECORD")).toHaveLength(49);
    const [row] = await sql<{ n: number }[]>`select count(*)::int as n from records where data->>'GST_No' = '27RACED1234F1Z5'`;
    expect(row!.n).toBe(1);
  });

  it("upserts by key, merging fields, and refuses to change an approved invoice (workflow rule)", async () => {
    const { sql } = database();
    const invoice = { Invoice_No: "INV/T/1", Invoice_Date: "2025-12-12", Total_Amount: 100 };
    const created = await upsertRecord(sql, "Invoice", "Invoice_No", invoice);
    expect(created.created).toBe(true);
    expect(created.record.status).toBe("draft");
    const updated = await upsertRecord(sql, "Invoice", "Invoice_No", { Invoice_No: "inv/t/1", Total_Amount: 250 });
    expect(updated.created).toBe(false);
    expect(updated.record.recordId).toBe(created.record.recordId);
    expect(updated.record.data).toMatchObject({ Invoice_Date: "2025-12-12", Total_Amount: 250 });
    expect(updated.record.revision).toBe(2);

    await transitionRecord(sql, "Invoice", created.record.recordId, "approved");
    const refused = upsertRecord(sql, "Invoice", "Invoice_No", { Invoice_No: "INV/T/1", Total_Amount: 1 });
    await expect(refused).rejects.toMatchObject({ code: "WORKFLOW_RULE" });
    expect((await getRecord(sql, "Invoice", created.record.recordId))!.data.Total_Amount).toBe(250);
  });

  it("allows only the entity's transitions, and queues status events only when the change commits", async () => {
    const { sql } = database();
    const { record } = await insertRecord(sql, "Invoice", { Invoice_No: "INV/T/2", Invoice_Date: "2025-12-01", Total_Amount: 5 });
    expect(await codeOf(transitionRecord(sql, "Invoice", record.recordId, "paid"))).toBe("WORKFLOW_RULE");
    expect(await codeOf(transitionRecord(sql, "Invoice", "INV-0", "approved"))).toBe("NOT_FOUND");

    await sql
      .begin(async (tx) => {
        await transitionRecord(tx, "Invoice", record.recordId, "approved");
        throw new Error("rolled back");
      })
      .catch(() => undefined);
    expect((await getRecord(sql, "Invoice", record.recordId))!.status).toBe("draft");
    const statusJobs = async () =>
      (await sql`select 1 from record_events where payload->>'recordId' = ${record.recordId} and payload->>'event' = 'status_changed'`).length;
    expect(await statusJobs()).toBe(0);

    const approved = await transitionRecord(sql, "Invoice", record.recordId, "approved");
    expect(approved.status).toBe("approved");
    expect(await statusJobs()).toBe(1);
  });

  it("a dry run previews the next id without consuming it or emitting events", async () => {
    const { sql } = database();
    let preview = "";
    await sql
      .begin(async (tx) => {
        preview = (await insertRecord(tx, "Lead", { Lead_Name: "Dry" }, { dryRun: true })).record.recordId;
        throw new Error("roll back");
      })
      .catch(() => undefined);
    const real = await insertRecord(sql, "Lead", { Lead_Name: "Real" });
    expect(real.record.recordId).toBe(preview);
  });

  it("finds masters case-insensitively, lists newest first with search and keyset pages", async () => {
    const { sql } = database();
    await insertRecord(sql, "City", { Name: "Mumbai", State: "Maharashtra" });
    expect((await findRecordByField(sql, "City", "Name", "  mumbai "))?.data.Name).toBe("Mumbai");
    expect(await findRecordByField(sql, "City", "Name", "Atlantis")).toBeUndefined();

    for (let i = 0; i < 5; i++) await insertRecord(sql, "Lead", { Lead_Name: `Page lead ${i}` });
    const page1 = await listRecords(sql, "Lead", { search: "page lead", limit: 3 });
    expect(page1.map((r) => r.data.Lead_Name)).toEqual(["Page lead 4", "Page lead 3", "Page lead 2"]);
    const last = page1.at(-1)!;
    const page2 = await listRecords(sql, "Lead", { search: "page lead", limit: 3, after: { createdAt: last.createdAt, id: last.id } });
    expect(page2.map((r) => r.data.Lead_Name)).toEqual(["Page lead 1", "Page lead 0"]);
    expect(await codeOf(listRecords(sql, "Spaceship"))).toBe("NOT_FOUND");
  });
});

describe("the entity contract on every write", () => {
  it("refuses wrong types, over-long strings, missing required and unknown fields with every field error, storing nothing", async () => {
    const { sql } = database();
    const before = await listRecords(sql, "Vendor", { limit: 500 });
    const refused = insertRecord(sql, "Vendor", {
      Vendor_Name: { first: "A" },
      GST_No: "27CONTR1234F1Z5",
      Contact_Person: 42,
      City: ["Pune"],
      Address: "x".repeat(900_000),
      Favourite_Colour: "blue",
    });
    await expect(refused).rejects.toMatchObject({
      code: "VALIDATION_FAILED",
      httpStatus: 400,
      message: "Vendor_Name must be text",
      fieldErrors: [
        { field: "Vendor_Name", rule: "type", code: "INVALID_TYPE", message: "Vendor_Name must be text" },
        { field: "Contact_Person", rule: "type", code: "INVALID_TYPE", message: "Contact_Person must be text" },
        { field: "City", rule: "type", code: "INVALID_TYPE", message: "City must be text" },
        { field: "Address", rule: "length", code: "INVALID_LENGTH", message: "Address must be at most 2000 characters" },
        { field: "Favourite_Colour", rule: "unknown", code: "UNKNOWN_FIELD", message: "Vendor has no field Favourite_Colour" },
      ],
    });
    await expect(insertRecord(sql, "Invoice", { Invoice_No: "INV/C/1", Invoice_Date: "2025-02-30", Total_Amount: Number.NaN })).rejects.toMatchObject({
      fieldErrors: [
        { field: "Invoice_Date", code: "INVALID_TYPE" },
        { field: "Total_Amount", code: "INVALID_TYPE" },
      ],
    });
    await expect(insertRecord(sql, "Vendor", { GST_No: "27CONTR1234F1Z5", Vendor_Name: "  " })).rejects.toMatchObject({
      fieldErrors: [{ field: "Vendor_Name", code: "REQUIRED_FIELD" }],
    });
    // Strings default to 1,000 characters: Contact_Person declares 200, a master's State 100.
    await expect(insertRecord(sql, "City", { Name: "Long", State: "S".repeat(101) })).rejects.toMatchObject({ fieldErrors: [{ field: "State", code: "INVALID_LENGTH" }] });
    expect(await listRecords(sql, "Vendor", { limit: 500 })).toHaveLength(before.length);
  });

  it("checks an upsert's patch, keeping what the record already holds (a sent invoice's reference field)", async () => {
    const { sql } = database();
    const { record } = await insertRecord(sql, "Invoice", { Invoice_No: "INV/C/2", Invoice_Date: "2025-12-01", Total_Amount: 10 });
    await sql`update records set data = data || '{"Accounting_Ref":"ACC-9"}' where id = ${record.id}`;
    const updated = await upsertRecord(sql, "Invoice", "Invoice_No", { Invoice_No: "INV/C/2", Total_Amount: 12 });
    expect(updated.record.data).toMatchObject({ Total_Amount: 12, Accounting_Ref: "ACC-9", Invoice_Date: "2025-12-01" });
    await expect(upsertRecord(sql, "Invoice", "Invoice_No", { Invoice_No: "INV/C/2", Total_Amount: "12" })).rejects.toMatchObject({
      fieldErrors: [{ field: "Total_Amount", code: "INVALID_TYPE" }],
    });
    await expect(upsertRecord(sql, "Invoice", "Invoice_No", { Invoice_No: "INV/C/2", Invoice_Date: null })).rejects.toMatchObject({
      fieldErrors: [{ field: "Invoice_Date", code: "REQUIRED_FIELD" }],
    });
    // A new record through an upsert needs every required field.
    await expect(upsertRecord(sql, "Invoice", "Invoice_No", { Invoice_No: "INV/C/3", Total_Amount: 1 })).rejects.toMatchObject({
      fieldErrors: [{ field: "Invoice_Date", code: "REQUIRED_FIELD" }],
    });
  });
});
