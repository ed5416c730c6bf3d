/**
 * Flows: one editable draft per flow, and immutable numbered published versions.
 * Endpoints and jobs always run a published version; executions record which.
 */
import { sql } from "drizzle-orm";
import { boolean, integer, json, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import type { FlowFile } from "../../../flows/format";

export const flows = pgTable("flows", {
  id: uuid("id").primaryKey().default(sql`gen_random_uuid()`),
  slug: text("slug").notNull().unique(),
  name: text("name").notNull(),
  direction: text("direction", { enum: ["incoming", "outgoing"] }).notNull(),
  description: text("description").notNull().default(""),
  /** The flow file being edited; saving never touches published versions. */
  draft: json("draft").$type<FlowFile>().notNull(),
  /** Increments on every draft save: the designer's optimistic-concurrency token. */
  draftRevision: integer("draft_revision").notNull().default(1),
  /** Who saved the draft last (a user's name or email; null for the CLI and seeding): named in conflict warnings. */
  draftUpdatedBy: text("draft_updated_by"),
  /** Inactive flows keep their versions but their endpoints answer 404 and their triggers stay silent. */
  active: boolean("active").notNull().default(true),
  /** The version endpoints and jobs run; null until first published. */
  publishedVersion: integer("published_version"),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

export const flowVersions = pgTable(
  "flow_versions",
  {
    id: uuid("id").primaryKey().default(sql`gen_random_uuid()`),
    flowId: uuid("flow_id")
      .notNull()
      .references(() => flows.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    definition: json("definition").$type<FlowFile>().notNull(),
    /** sha256 of the canonical file: tells whether the draft differs from a version. */
    checksum: text("checksum").notNull(),
    publishedAt: timestamp("published_at", { withTimezone: true }).notNull().defaultNow(),
    publishedBy: text("published_by"),
    /** What changed, in the publisher's words ("GSTIN check added"). */
    note: text("note").notNull().default(""),
  },
  (t) => [uniqueIndex("flow_versions_flow_version_uq").on(t.flowId, t.version)],
);
