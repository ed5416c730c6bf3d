/**
 * Demo ERP data for engine tests, sample runs and the bench: the seed's entities and masters with
 * a few records, enough for every example flow's samples (a vendor whose GSTIN is taken, the
 * invoice the seed's §4.3 describes, projects and cities to check against...).
 */
import { ENTITIES } from "@/flows/erp/entities";
import type { GraphCatalog } from "@/flows/validate-graph";
import { MemoryServices, type MemoryServicesOptions } from "./memory-services";

/** A fixed clock: 12 Dec 2025, 18:00 UTC (23:30 in Mumbai). */
export const DEMO_NOW = new Date("2025-12-12T18:00:00.000Z");
export const DEMO_API_KEY = "demo-api-key";
export const DEMO_BEARER_TOKEN = "demo-bearer-token";

export function demoErpOptions(overrides: Partial<MemoryServicesOptions> = {}): MemoryServicesOptions {
  return {
    now: DEMO_NOW,
    apiKeys: [DEMO_API_KEY],
    bearerTokens: [DEMO_BEARER_TOKEN],
    // The same records as the demo ERP the app seeds (server/seed/erp-demo-data.ts), so a flow's
    // samples expect the same outcomes here and against the real database.
    entities: {
      Vendor: {
        key: "GST_No",
        unique: ["GST_No"],
        series: "VEND-",
        rows: [
          { id: "VEND-1001", status: "active", Vendor_Name: "Shree Cement Traders", GST_No: "27AAFCS1234M1Z9", Contact_Person: "Anil Kulkarni", Phone_No: "9822012345", Email: "sales@shreecement.example", City: "Pune" },
          { id: "VEND-1002", status: "active", Vendor_Name: "Delhi Steel Corporation", GST_No: "07AABCD5678E1Z3", Contact_Person: "Priya Verma", Phone_No: "9811098110", Email: "orders@delhisteel.example", City: "Delhi" },
        ],
      },
      Invoice: {
        key: "Invoice_No",
        unique: ["Invoice_No"],
        series: "INV-",
        rows: [
          { id: "INV-1001", status: "draft", Invoice_No: "INV/2025/0045", Invoice_Date: "2025-12-12", Total_Amount: 85000, Client_Name: "ABC Infrastructure", Project_Code: "PRJ-102", GST_No: "27ABCDE1234F1Z5" },
          { id: "INV-1002", status: "draft", Invoice_No: "INV/2025/0046", Invoice_Date: "2025-12-15", Total_Amount: 125000.5, Client_Name: "Sunrise Realty", Project_Code: "PRJ-101", GST_No: "29AAACS1234K1Z2" },
          { id: "INV-1003", status: "approved", Invoice_No: "INV/2025/0047", Invoice_Date: "2025-12-16", Total_Amount: 40000, Client_Name: "ABC Infrastructure", Project_Code: "PRJ-102" },
        ],
      },
      Customer: {
        key: "Customer_Name",
        unique: ["Customer_Name"],
        series: "CUST-",
        rows: [
          { id: "CUST-1001", Customer_Name: "ABC Infrastructure", GST_No: "27ABCDE1234F1Z5", Email: "accounts@abcinfra.example", City: "Mumbai" },
          { id: "CUST-1002", Customer_Name: "Sunrise Realty", GST_No: "29AAACS1234K1Z2", Email: "finance@sunrise.example", City: "Bengaluru" },
        ],
      },
      Project: {
        key: "Project_Code",
        unique: ["Project_Code"],
        series: "PRJ-",
        rows: [
          { id: "PRJ-101", status: "active", Project_Code: "PRJ-101", Project_Name: "Sunrise Residency", Customer_Name: "Sunrise Realty", City: "Bengaluru" },
          { id: "PRJ-102", status: "active", Project_Code: "PRJ-102", Project_Name: "ABC Metro Depot", Customer_Name: "ABC Infrastructure", City: "Mumbai" },
        ],
      },
      Lead: {
        series: "LEAD-",
        rows: [{ id: "LEAD-1001", status: "new", Lead_Name: "Kiran Rao", Company: "Rao Builders", Mobile: "9845098450", Email: "kiran@raobuilders.example", City: "Hyderabad", Source: "Website" }],
      },
      Attendance: { unique: [], series: "ATT-" },
      GoodsReceipt: { key: "GRN_Ref", unique: ["GRN_Ref"], series: "GRN-" },
    },
    masters: {
      City: {
        key: "Name",
        rows: [
          { Name: "Mumbai", State: "Maharashtra" },
          { Name: "Pune", State: "Maharashtra" },
          { Name: "Delhi", State: "Delhi" },
          { Name: "Bengaluru", State: "Karnataka" },
          { Name: "Chennai", State: "Tamil Nadu" },
          { Name: "Hyderabad", State: "Telangana" },
          { Name: "Ahmedabad", State: "Gujarat" },
        ],
      },
      State: {
        key: "Name",
        rows: [
          { Name: "Maharashtra", Code: "MH" },
          { Name: "Karnataka", Code: "KA" },
          { Name: "Delhi", Code: "DL" },
          { Name: "Tamil Nadu", Code: "TN" },
          { Name: "Telangana", Code: "TS" },
          { Name: "Gujarat", Code: "GJ" },
        ],
      },
    },
    ...overrides,
  };
}

export function demoErp(overrides: Partial<MemoryServicesOptions> = {}): MemoryServices {
  return new MemoryServices(demoErpOptions(overrides));
}

/**
 * What validateGraph checks names against: the ERP's entities and masters (flows/erp/entities.ts)
 * and the demo connections and credentials the example flows use.
 */
export const demoCatalog: GraphCatalog = {
  entities: Object.fromEntries(ENTITIES.map((e) => [e.name, { fields: e.fields.map((f) => f.name) }])),
  masters: ENTITIES.filter((e) => e.kind === "master").map((e) => e.name),
  connections: ["accounting-system", "payment-portal"],
  credentials: ["accounting-api-token", "payment-portal-key"],
};
