/** Config building blocks shared by several node types. */
import { z } from "zod";

/** A JSONata expression; syntax is checked by validateGraph, which can report line and column. */
export const expressionSchema = z.string().refine((s) => s.trim() !== "", "expression is empty");

/** ERP entity, master, connection and credential names as the catalogue spells them. */
export const entityNameSchema = z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, "an entity name such as Vendor");

/** A record field, optionally nested with dots: `GST_No`, `address.city`, `lines.0.qty`. */
export const fieldPathSchema = z
  .string()
  .regex(/^[A-Za-z0-9_$]+(\.[A-Za-z0-9_$]+)*$/, "a field name such as GST_No (dots for nested fields)");

export const resourceNameSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/, "letters, digits, . _ and -");

/** Names usable as JSONata variables (`$vars.city`). */
export const variableNameSchema = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, "a variable name such as city");

/** Stable error codes returned to callers: SCREAMING_SNAKE. */
export const errorCodeSchema = z.string().regex(/^[A-Z][A-Z0-9_]{1,63}$/, "SCREAMING_SNAKE, e.g. INVALID_GST");
