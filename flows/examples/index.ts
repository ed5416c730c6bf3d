/**
 * The shipped example integrations, imported statically so the designer ("start from an example"),
 * the seeding at start-up, the bench and the tests all get the same parsed flows.
 */
import { parseFlow, type FlowFile } from "../format";
import attendanceImport from "./attendance-import.flow.json";
import dailyInvoiceSync from "./daily-invoice-sync.flow.json";
import invoiceToAccounting from "./invoice-to-accounting.flow.json";
import invoiceUpdate from "./invoice-update.flow.json";
import leadEnquiry from "./lead-enquiry.flow.json";
import materialReceipt from "./material-receipt.flow.json";
import vendorMaster from "./vendor-master.flow.json";
import vendorToPaymentPortal from "./vendor-to-payment-portal.flow.json";

/** The raw file contents by slug (as JSON values), in catalogue order. */
export const exampleFlowSources: Record<string, unknown> = {
  "vendor-master": vendorMaster,
  "lead-enquiry": leadEnquiry,
  "invoice-update": invoiceUpdate,
  "attendance-import": attendanceImport,
  "material-receipt": materialReceipt,
  "invoice-to-accounting": invoiceToAccounting,
  "vendor-to-payment-portal": vendorToPaymentPortal,
  "daily-invoice-sync": dailyInvoiceSync,
};

export const EXAMPLE_SLUGS = Object.keys(exampleFlowSources);

/** Every example, parsed (throws FlowFormatError if a shipped file is broken: a test guards that). */
export function loadExampleFlows(): FlowFile[] {
  return Object.values(exampleFlowSources).map((source) => parseFlow(source));
}

export function loadExampleFlow(slug: string): FlowFile {
  const source = exampleFlowSources[slug];
  if (source === undefined) throw new Error(`No example flow "${slug}" (have: ${EXAMPLE_SLUGS.join(", ")})`);
  return parseFlow(source);
}
