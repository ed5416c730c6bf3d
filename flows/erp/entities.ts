/**
 * The ERP's entities and masters (standing in for StrategicERP's): typed fields,
 * unique keys, numbering series, statuses and allowed transitions. Client-safe:
 * the designer's pickers and mapper read it, the record store enforces it.
 */

export type FieldType = "string" | "number" | "integer" | "boolean" | "date" | "datetime";

export interface EntityField {
  name: string;
  label: string;
  type: FieldType;
  required?: boolean;
}

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

const f = (name: string, type: FieldType, required = false, label = name.replace(/_/g, " ")): EntityField => ({
  name,
  label,
  type,
  required,
});

export const ENTITIES: EntityDefinition[] = [
  {
    name: "Vendor",
    label: "Vendor",
    kind: "record",
    fields: [
      f("Vendor_Name", "string", true, "Vendor name"),
      f("GST_No", "string", true, "GST number"),
      f("Contact_Person", "string"),
      f("Phone_No", "string", false, "Phone number"),
      f("Email", "string"),
      f("City", "string"),
      f("PAN_No", "string", false, "PAN"),
      f("Address", "string"),
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
    fields: [f("Customer_Name", "string", true), f("GST_No", "string"), f("Email", "string"), f("Phone_No", "string"), f("City", "string")],
    uniqueKeys: [["Customer_Name"]],
    series: { prefix: "CUST-", start: 1001 },
    titleField: "Customer_Name",
  },
  {
    name: "Project",
    label: "Project",
    kind: "record",
    fields: [f("Project_Code", "string", true), f("Project_Name", "string", true), f("Customer_Name", "string"), f("City", "string")],
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
      f("Invoice_No", "string", true, "Invoice number"),
      f("Invoice_Date", "date", true, "Invoice date"),
      f("Total_Amount", "number", true, "Total amount"),
      f("Client_Name", "string", false, "Client name"),
      f("Project_Code", "string", false, "Project code"),
      f("GST_No", "string", false, "GST number"),
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
      f("Lead_Name", "string", true),
      f("Company", "string"),
      f("Mobile", "string"),
      f("Email", "string"),
      f("City", "string"),
      f("Source", "string"),
      f("Requirement", "string"),
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
    fields: [f("Employee_Code", "string", true), f("Punch_Time", "datetime", true), f("Direction", "string"), f("Device_Id", "string")],
    uniqueKeys: [["Employee_Code", "Punch_Time"]],
    series: { prefix: "ATT-", start: 100001 },
    titleField: "Employee_Code",
  },
  {
    name: "GoodsReceipt",
    label: "Goods receipt",
    kind: "record",
    fields: [
      f("GRN_Ref", "string", true, "Supplier GRN reference"),
      f("PO_Number", "string", true, "PO number"),
      f("Vendor_Name", "string"),
      f("Receipt_Date", "date", true),
      f("Item_Code", "string", true),
      f("Quantity", "number", true),
      f("Warehouse", "string"),
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
    fields: [f("Name", "string", true), f("State", "string", true)],
    uniqueKeys: [["Name"]],
    series: { prefix: "CITY-", start: 1 },
    titleField: "Name",
  },
  {
    name: "State",
    label: "State",
    kind: "master",
    fields: [f("Name", "string", true), f("Code", "string", true)],
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
