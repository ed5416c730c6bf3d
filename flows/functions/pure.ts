/**
 * Flowport's JSONata functions that need nothing but their arguments: registered by the engine on
 * every compiled expression and by the designer's live preview in the browser, so both agree.
 * (`$now`, `$millis` and `$lookup` read the execution's clock and services: the engine adds them.)
 */
import type jsonata from "jsonata";
import { gstinChecksumValid, matchesFormat } from "@/flows/nodes/validate/formats";
import { formatDate, parseDate } from "./dates";
import { MAX_PICTURE_LENGTH, MAX_REGEX_TEXT_LENGTH, wasGiven } from "./limits";

function checkPicture(fn: string, picture: string): void {
  if (picture.length > MAX_PICTURE_LENGTH) throw wasGiven(fn, picture.length, MAX_PICTURE_LENGTH, "characters", "a picture of ");
}

export function registerPureFunctions(expr: jsonata.Expression): void {
  expr.registerFunction("gstinValid", (value: string | undefined, strict?: boolean) =>
    value === undefined ? undefined : strict ? gstinChecksumValid(value) : matchesFormat("gstin", value),
  "<s-b?:b>");

  expr.registerFunction("formatDate", (value: string | number | undefined, picture: string, timeZone?: string) => {
    checkPicture("formatDate", picture);
    return value === undefined ? undefined : formatDate(value, picture, timeZone);
  }, "<(sn)-ss?:s>");

  expr.registerFunction("parseDate", (text: string | undefined, picture: string) => {
    checkPicture("parseDate", picture);
    if (text !== undefined && text.length > MAX_REGEX_TEXT_LENGTH) throw wasGiven("parseDate", text.length, MAX_REGEX_TEXT_LENGTH, "characters");
    return text === undefined ? undefined : parseDate(text, picture);
  }, "<s-s:s>");

  expr.registerFunction("uuid", () => globalThis.crypto.randomUUID(), "<:s>");
}
