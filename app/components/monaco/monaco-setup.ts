/**
 * Monaco from node_modules, never from a CDN (@monaco-editor/loader's default). Imported only by the
 * client-only editor modules (next/dynamic with ssr: false), so it never runs on the server.
 *
 * The editor core, its contributions (find, suggest, hover, folding…) and the JSON language service are
 * imported piece by piece instead of the package's everything-bundle, which also carries some eighty
 * languages and the TypeScript service we do not use. Workers are created from bundled URLs: Next's
 * bundler cannot serve Monaco's default worker paths (they 404), hence `MonacoEnvironment.getWorker`.
 */
import "monaco-editor/features/register.all.js";
// What the package's full entry adds to register.all: completion, find, core commands and friends.
import "monaco-editor/editor/browser/coreCommands.js";
import "monaco-editor/editor/common/standaloneStrings.js";
import "monaco-editor/editor/contrib/caretOperations/browser/caretOperations.js";
import "monaco-editor/editor/contrib/dropOrPasteInto/browser/copyPasteContribution.js";
import "monaco-editor/editor/contrib/find/browser/findController.js";
import "monaco-editor/editor/contrib/gotoError/browser/markerSelectionStatus.js";
import "monaco-editor/editor/contrib/gotoSymbol/browser/goToCommands.js";
import "monaco-editor/editor/contrib/semanticTokens/browser/documentSemanticTokens.js";
import "monaco-editor/editor/contrib/suggest/browser/suggestController.js";
import "monaco-editor/languages/features/json/register.js";
import * as monaco from "monaco-editor/editor/editor.api.js";
import { loader } from "@monaco-editor/react";
import { registerJsonataLanguage } from "./jsonata-language";

declare global {
  interface Window {
    MonacoEnvironment?: { getWorker(workerId: string, label: string): Worker };
  }
}

self.MonacoEnvironment = {
  getWorker(_workerId: string, label: string): Worker {
    if (label === "json") {
      return new Worker(new URL("monaco-editor/language/json/json.worker.js", import.meta.url), { type: "module", name: "monaco-json" });
    }
    return new Worker(new URL("monaco-editor/editor/editor.worker.js", import.meta.url), { type: "module", name: "monaco-editor" });
  },
};

loader.config({ monaco });
registerJsonataLanguage(monaco);

export { monaco };
export type Monaco = typeof monaco;
