/**
 * Mapping suggestions: from a sample and the fields a map node writes (its entity's or its outgoing
 * parameters), propose source → target pairs, each with a confidence and the reason, so an analyst
 * accepts a whole mapping in one click instead of dragging six lines.
 *
 * Three kinds of evidence, combined (each pair's confidence is 1 − Π(1 − evidence)):
 *  - names: both sides normalised into words (`gstNumber`, `GST_No` → gst·no; no/num/number/nbr are
 *    one word) and compared: the same words 0.9, shared words in proportion;
 *  - synonyms: a small dictionary of what ERPs and web forms call the same thing (mobile → Phone_No,
 *    message → Requirement), 0.8;
 *  - value shapes: a sample value that looks like a GSTIN, a PAN, a mobile, an email, a PIN code or a
 *    date points at the target whose name or type expects that shape, 0.7; a shape the target cannot
 *    hold (text into a number field) lowers the confidence.
 * Each source and each target is used once, best pairs first; pairs under MIN_CONFIDENCE are left out.
 * Pure and client-safe: the visual mapper shows the suggestions; nothing here knows the UI.
 */
import type { FieldType } from "@/flows/erp/entities";
import { FORMAT_PATTERNS } from "@/flows/nodes/validate/formats";
import { shapeForField } from "@/flows/samples/generators";
import { buildFieldTree, treePaths, valuesAtPath } from "./sample-tree";

export interface SuggestionTarget {
  name: string;
  label?: string;
  type?: FieldType;
}

export interface MappingSuggestion {
  source: string;
  target: string;
  /** 0–1, two decimals. */
  confidence: number;
  /** Why, in words: "same name", "synonym of phone", "value looks like a GSTIN". */
  reasons: string[];
}

export interface SuggestOptions {
  /** Sources and targets already mapped: not suggested again. */
  mappedSources?: Iterable<string>;
  mappedTargets?: Iterable<string>;
}

export const MIN_CONFIDENCE = 0.5;

const NUMBER_WORDS = new Set(["no", "num", "number", "nbr", "nr"]);

/** `gstNumber`, `GST_No`, `gst-no`, `Vendor Name` → ["gst","no"], ["vendor","name"]. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean)
    .map((w) => (NUMBER_WORDS.has(w) ? "no" : w));
}

/**
 * Groups of names for one concept, as joined words (nameWords(...).join("")). A source and a target
 * whose names fall in the same group are synonyms.
 */
const SYNONYMS: Record<string, string[]> = {
  phone: ["phone", "phoneno", "mobile", "mobileno", "cell", "cellno", "telephone", "tel", "contactno", "whatsapp"],
  gst: ["gst", "gstno", "gstin", "gstinno", "taxid", "taxno", "vat", "vatno"],
  email: ["email", "mail", "emailid", "emailaddress", "mailid"],
  name: ["name", "fullname", "leadname", "customername", "clientname", "partyname"],
  vendor: ["vendor", "vendorname", "supplier", "suppliername", "companyname", "firmname", "businessname"],
  contact: ["contactperson", "contact", "contactname", "person", "attention", "pointofcontact"],
  city: ["city", "town", "cityname"],
  pin: ["pin", "pincode", "zip", "zipcode", "postcode", "postalcode"],
  pan: ["pan", "panno"],
  company: ["company", "organisation", "organization", "org", "firm", "business"],
  requirement: ["requirement", "message", "enquiry", "inquiry", "comments", "comment", "notes", "details", "query"],
  source: ["source", "channel", "leadsource", "medium"],
  amount: ["amount", "totalamount", "total", "grandtotal", "value", "invoiceamount"],
  invoice: ["invoiceno", "invoice", "billno", "invoiceid"],
  date: ["date", "invoicedate", "billdate", "documentdate"],
  project: ["projectcode", "project", "projectid"],
  address: ["address", "addressline", "street", "addressline1"],
  quantity: ["quantity", "qty", "count", "units"],
};

const GROUP_OF = new Map<string, string>();
for (const [group, names] of Object.entries(SYNONYMS)) for (const n of names) if (!GROUP_OF.has(n)) GROUP_OF.set(n, group);

type Shape = "gstin" | "pan" | "mobile" | "email" | "pincode" | "ifsc" | "date" | "datetime" | "number" | "boolean" | "text";

const SHAPE_WORDS: Record<Shape, string> = {
  gstin: "a GSTIN",
  pan: "a PAN",
  mobile: "a mobile number",
  email: "an email address",
  pincode: "a PIN code",
  ifsc: "an IFSC",
  date: "a date",
  datetime: "a date-time",
  number: "a number",
  boolean: "true or false",
  text: "text",
};

/** What a sample value looks like; the most specific shape first. */
export function valueShape(value: unknown): Shape {
  if (typeof value === "number") return "number";
  if (typeof value === "boolean") return "boolean";
  if (typeof value !== "string") return "text";
  const v = value.trim();
  if (FORMAT_PATTERNS.gstin.test(v)) return "gstin";
  if (FORMAT_PATTERNS.pan.test(v)) return "pan";
  if (FORMAT_PATTERNS.email.test(v)) return "email";
  if (FORMAT_PATTERNS.indianMobile.test(v.replace(/\s+/g, ""))) return "mobile";
  if (FORMAT_PATTERNS.ifsc.test(v)) return "ifsc";
  if (FORMAT_PATTERNS.pincode.test(v)) return "pincode";
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return "date";
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(v)) return "datetime";
  return "text";
}

/** The shape a target expects, from its type and its name (the same name rules as {{unique}}). */
function targetShape(target: SuggestionTarget): Shape | undefined {
  if (target.type === "date" || target.type === "datetime" || target.type === "boolean") return target.type;
  if (target.type === "number" || target.type === "integer") return "number";
  const byName = shapeForField(target.name);
  if (byName !== "text" && byName !== "digits") return byName;
  return undefined;
}

function nameEvidence(source: string[], target: string[]): { score: number; reason?: string } {
  const s = source.join("");
  const t = target.join("");
  if (s === t) return { score: 0.9, reason: "same name" };
  const group = GROUP_OF.get(s);
  if (group !== undefined && group === GROUP_OF.get(t)) return { score: 0.8, reason: `synonym of ${group}` };
  const shared = source.filter((w) => target.includes(w) && w !== "no").length;
  if (shared === 0) return { score: 0 };
  const overlap = shared / Math.max(source.length, target.length);
  return { score: Math.round(0.6 * overlap * 100) / 100, reason: "similar name" };
}

function shapeEvidence(shape: Shape, target: SuggestionTarget): { score: number; reason?: string } {
  const expected = targetShape(target);
  if (expected === undefined) return { score: 0 };
  if (shape === expected || (expected === "datetime" && shape === "date")) {
    return shape === "text" || shape === "number" || shape === "boolean" ? { score: 0.2 } : { score: 0.7, reason: `value looks like ${SHAPE_WORDS[shape]}` };
  }
  // A value of a clear other shape in a field that expects a shape is evidence against.
  if (shape !== "text" || expected === "number" || expected === "boolean") return { score: -0.4 };
  return { score: 0 };
}

/**
 * Suggested source → target pairs, best first. Sources are the sample's leaf fields (JSONata paths,
 * array items merged); the last key of a path is what its name is compared by.
 */
export function suggestMappings(sample: unknown, targets: SuggestionTarget[], options: SuggestOptions = {}): MappingSuggestion[] {
  const mappedSources = new Set(options.mappedSources ?? []);
  const mappedTargets = new Set(options.mappedTargets ?? []);
  const leaves = treePaths(buildFieldTree(sample)).filter((n) => n.type !== "object" && n.type !== "array" && !mappedSources.has(n.path));
  const candidates: MappingSuggestion[] = [];
  for (const leaf of leaves) {
    const words = nameWords(leaf.key);
    const values = valuesAtPath(sample, leaf.path).filter((v) => v !== null && v !== undefined && v !== "");
    const shape = values.length > 0 ? valueShape(values[0]) : "text";
    for (const target of targets) {
      if (mappedTargets.has(target.name)) continue;
      const byName = nameEvidence(words, nameWords(target.name));
      const byLabel = target.label ? nameEvidence(words, nameWords(target.label)) : { score: 0 };
      const name = byLabel.score > byName.score ? byLabel : byName;
      const byShape = shapeEvidence(shape, target);
      const positive = [name, byShape].filter((e) => e.score > 0);
      if (positive.length === 0 || name.score + Math.max(byShape.score, 0) < 0.3) continue;
      let confidence = 1 - positive.reduce((rest, e) => rest * (1 - e.score), 1);
      if (byShape.score < 0) confidence += byShape.score;
      confidence = Math.min(0.99, Math.round(confidence * 100) / 100);
      if (confidence < MIN_CONFIDENCE) continue;
      candidates.push({ source: leaf.path, target: target.name, confidence, reasons: positive.flatMap((e) => (e.reason ? [e.reason] : [])) });
    }
  }
  // Best pairs first; each source and each target once. Ties keep the sample's and the targets' order.
  candidates.sort((a, b) => b.confidence - a.confidence);
  const usedSources = new Set<string>();
  const usedTargets = new Set<string>();
  const chosen: MappingSuggestion[] = [];
  for (const c of candidates) {
    if (usedSources.has(c.source) || usedTargets.has(c.target)) continue;
    usedSources.add(c.source);
    usedTargets.add(c.target);
    chosen.push(c);
  }
  return chosen;
}
