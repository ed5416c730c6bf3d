/**
 * The ERP's entities and masters (standing in for StrategicERP's): typed fields with their limits,
 * unique keys, numbering series, statuses and allowed transitions. Client-safe: the designer's
 * pickers and mapper read it, the record store enforces it (contract.ts), the OpenAPI document
 * publishes it.
 */

export type FieldType = "string" | "number" | "integer" | "boolean" | "date" | "datetime";

/** How messages name each type: "Total_Amount must be a number", "expects a date (YYYY-MM-DD)". */
export const FIELD_TYPE_WORDS: Record<FieldType, string> = {
  string: "text",
  number: "a number",
  integer: "a whole number",
  boolean: "true or false",
  date: "a date (YYYY-MM-DD)",
  datetime: "a date-time",
};

export interface EntityField {
  name: string;
  label: string;
  type: FieldType;
  required?: boolean;
  /** Strings only: the most characters (code points) stored; DEFAULT_MAX_LENGTH when not given. */
  maxLength?: number;
}

/** A string field without a limit of its own holds at most this many characters. */
export const DEFAULT_MAX_LENGTH = 1000;

export interface EntityDefinition {
  name: string;
  label: string;
  kind: "record" | "master";
  fields: EntityField[];
  /** Unique keys: each is one or more fields whose combined value may appear once. */
  uniqueKeys: string[][];
  /** Numbering series: record ids `${prefix}${number}`, numbers from a PostgreSQL sequence. */
  series: { prefix: string; start: number };
  /** Statuses with allowed transitions; the first is the initial status. */
  statuses?: { initial: string; transitions: Record<string, string[]> };
  /** Workflow rule: records in these statuses refuse updates (WORKFLOW_RULE). */
  lockedStatuses?: string[];
  /** The field shown as the record's title in lists. */
  titleField: string;
}

const f = (name: string, type: FieldType, required = false, label = name.replace(/_/g, " "), maxLength?: number): EntityField => ({
  name,
  label,
  type,
  required,
  ...(maxLength !== undefined ? { maxLength } : {}),
});

/** A string field with its limit: names and codes are short, addresses and requirements longer. */
const s = (name: string, maxLength: number, required = false, label = name.replace(/_/g, " ")): EntityField => f(name, "string", required, label, maxLength);

export const ENTITIES: EntityDefinition[] = [
  {
    name: "Vendor",
    label: "Vendor",
    kind: "record",
    fields: [
      s("Vendor_Name", 200, true, "Vendor name"),
      s("GST_No", 15, true, "GST number"),
      s("Contact_Person", 200),
      s("Phone_No", 20, false, "Phone number"),
      s("Email", 254),
      s("City", 100),
      s("PAN_No", 10, false, "PAN"),
      s("Address", 2000),
    ],
    uniqueKeys: [["GST_No"]],
    series: { prefix: "VEND-", start: 1001 },
    statuses: { initial: "active", transitions: { active: ["inactive"], inactive: ["active"] } },
    titleField: "Vendor_Name",
  },
  {
    name: "Customer",
    label: "Customer",
    kind: "record",
    fields: [s("Customer_Name", 200, true), s("GST_No", 15), s("Email", 254), s("Phone_No", 20), s("City", 100)],
    uniqueKeys: [["Customer_Name"]],
    series: { prefix: "CUST-", start: 1001 },
    titleField: "Customer_Name",
  },
  {
    name: "Project",
    label: "Project",
    kind: "record",
    fields: [s("Project_Code", 50, true), s("Project_Name", 200, true), s("Customer_Name", 200), s("City", 100)],
    uniqueKeys: [["Project_Code"]],
    series: { prefix: "PRJ-", start: 101 },
    statuses: { initial: "active", transitions: { active: ["closed"], closed: ["active"] } },
    titleField: "Project_Name",
  },
  {
    name: "Invoice",
    label: "Invoice",
    kind: "record",
    fields: [
      s("Invoice_No", 50, true, "Invoice number"),
      f("Invoice_Date", "date", true, "Invoice date"),
      f("Total_Amount", "number", true, "Total amount"),
      s("Client_Name", 200, false, "Client name"),
      s("Project_Code", 50, false, "Project code"),
      s("GST_No", 15, false, "GST number"),
    ],
    uniqueKeys: [["Invoice_No"]],
    series: { prefix: "INV-", start: 1001 },
    statuses: { initial: "draft", transitions: { draft: ["approved"], approved: ["paid"], paid: [] } },
    lockedStatuses: ["approved", "paid"],
    titleField: "Invoice_No",
  },
  {
    name: "Lead",
    label: "Lead",
    kind: "record",
    fields: [
      s("Lead_Name", 200, true),
      s("Company", 200),
      s("Mobile", 20),
      s("Email", 254),
      s("City", 100),
      s("Source", 100),
      s("Requirement", 4000),
    ],
    uniqueKeys: [],
    series: { prefix: "LEAD-", start: 1001 },
    statuses: { initial: "new", transitions: { new: ["contacted", "lost"], contacted: ["qualified", "lost"], qualified: [], lost: [] } },
    titleField: "Lead_Name",
  },
  {
    name: "Attendance",
    label: "Attendance",
    kind: "record",
    fields: [s("Employee_Code", 50, true), f("Punch_Time", "datetime", true), s("Direction", 20), s("Device_Id", 100)],
    uniqueKeys: [["Employee_Code", "Punch_Time"]],
    series: { prefix: "ATT-", start: 100001 },
    titleField: "Employee_Code",
  },
  {
    name: "GoodsReceipt",
    label: "Goods receipt",
    kind: "record",
    fields: [
      s("GRN_Ref", 100, true, "Supplier GRN reference"),
      s("PO_Number", 50, true, "PO number"),
      s("Vendor_Name", 200),
      s("Vendor_GST", 15, false, "Supplier GST number"),
      f("Receipt_Date", "date", true),
      s("Item_Code", 50, true),
      f("Quantity", "number", true),
      s("Warehouse", 100),
    ],
    uniqueKeys: [["GRN_Ref"]],
    series: { prefix: "GRN-", start: 1001 },
    statuses: { initial: "draft", transitions: { draft: ["posted"], posted: [] } },
    lockedStatuses: ["posted"],
    titleField: "GRN_Ref",
  },
  {
    name: "City",
    label: "City",
    kind: "master",
    fields: [s("Name", 100, true), s("State", 100, true)],
    uniqueKeys: [["Name"]],
    series: { prefix: "CITY-", start: 1 },
    titleField: "Name",
  },
  {
    name: "State",
    label: "State",
    kind: "master",
    fields: [s("Name", 100, true), s("Code", 10, true)],
    uniqueKeys: [["Name"], ["Code"]],
    series: { prefix: "STATE-", start: 1 },
    titleField: "Name",
  },
];

const BY_NAME = new Map(ENTITIES.map((e) => [e.name.toLowerCase(), e]));

/** Entity by name, case-insensitively ("vendor" finds Vendor). */
export function findEntity(name: string): EntityDefinition | undefined {
  return BY_NAME.get(name.toLowerCase());
}

/** A key value as stored and compared: trimmed, upper case (" 27abc " matches "27ABC"). */
export function normaliseKeyPart(value: unknown): string {
  return String(value).trim().toUpperCase();
}

/** The key's name as stored in record_keys: its fields joined with "+". */
export function keyName(fields: string[]): string {
  return fields.join("+");
}

/** What graph validation checks entity and master references against (validateGraph's catalog). */
export function entityCatalog(): { entities: Record<string, { fields: string[] }>; masters: string[] } {
  return {
    entities: Object.fromEntries(ENTITIES.map((e) => [e.name, { fields: e.fields.map((x) => x.name) }])),
    masters: ENTITIES.filter((e) => e.kind === "master").map((e) => e.name),
  };
}

/**
 * The answer to a record whose unique key another record holds: the record store sends it
 * (server/records/store.ts) and the designer's answer preview shows it, so both say the same.
 */
export function duplicateKeyError(entity: EntityDefinition, keyName: string): { message: string; fieldErrors: { field: string; rule: "unique"; code: "DUPLICATE_RECORD"; message: string }[] } {
  const field = keyName.split("+")[0]!;
  return {
    message: `A ${entity.label.toLowerCase()} with this ${keyName.replace(/\+/g, " and ").replace(/_/g, " ")} already exists`,
    fieldErrors: [{ field, rule: "unique", code: "DUPLICATE_RECORD", message: `${field} must be unique` }],
  };
}
