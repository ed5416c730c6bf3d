/** Flow files on disk: `*.flow.json`, one flow each, in the canonical text of serializeFlow. */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseFlow, serializeFlow, type FlowFile } from "@/flows/format";

export const EXAMPLES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../flows/examples");

/** A file, or every *.flow.json in a folder (sorted), parsed. Errors name the file. */
export function readFlowFiles(target: string): Array<{ file: string; flow: FlowFile }> {
  const stat = fs.statSync(target, { throwIfNoEntry: false });
  if (!stat) throw new Error(`No such file or folder: ${target}`);
  const files = stat.isDirectory()
    ? fs.readdirSync(target).filter((f) => f.endsWith(".flow.json")).sort().map((f) => path.join(target, f))
    : [target];
  return files.map((file) => {
    try {
      return { file, flow: parseFlow(fs.readFileSync(file, "utf8")) };
    } catch (error) {
      throw new Error(`${file}: ${(error as Error).message}`);
    }
  });
}

export function writeFlowFile(dir: string, flow: FlowFile): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${flow.slug}.flow.json`);
  fs.writeFileSync(file, serializeFlow(flow));
  return file;
}
