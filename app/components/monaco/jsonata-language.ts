/**
 * JSONata in Monaco: highlighting (a Monarch tokenizer), completion of the sample's field paths and of
 * JSONata's and Flowport's functions, signature help while arguments are typed, and hovers. Which
 * sample an editor completes from is registered per model (`setJsonataFields`), so several editors on
 * one page each complete their own.
 */
import type * as Monaco from "monaco-editor/editor/editor.api.js";
import { activeCall, ALL_FUNCTIONS, functionSignature, type FunctionDoc } from "@/flows/functions/catalog";
import type { FieldNode } from "@/flows/mapper/sample-tree";
import { treePaths } from "@/flows/mapper/sample-tree";
import { keysOfPath } from "@/flows/mapper/model";

export const JSONATA_LANGUAGE = "jsonata";
export const FLOWPORT_THEME = "flowport";

/** Variables the engine binds for every expression (server/engine/context.ts). */
const BOUND_VARIABLES: { name: string; doc: string }[] = [
  { name: "trigger", doc: "The flow's original input (the request body or the ERP record)." },
  { name: "headers", doc: "The request headers, lower-cased." },
  { name: "flow", doc: "The flow: slug, name, version." },
  { name: "mode", doc: '"live" or "dry".' },
];

const fieldsByModel = new Map<string, FieldNode[]>();

/** The field tree an editor's model completes from; `undefined` forgets it. */
export function setJsonataFields(model: Monaco.editor.ITextModel, fields: FieldNode[] | undefined): void {
  if (fields) fieldsByModel.set(model.uri.toString(), fields);
  else fieldsByModel.delete(model.uri.toString());
}

const FUNCTIONS_BY_NAME = new Map<string, FunctionDoc>(ALL_FUNCTIONS.map((f) => [f.name, f]));

const tokenizer: Monaco.languages.IMonarchLanguage = {
  defaultToken: "",
  tokenPostfix: ".jsonata",
  brackets: [
    { open: "{", close: "}", token: "delimiter.curly" },
    { open: "[", close: "]", token: "delimiter.square" },
    { open: "(", close: ")", token: "delimiter.parenthesis" },
  ],
  tokenizer: {
    root: [
      [/\/\*/, "comment", "@comment"],
      [/"/, "string", "@dstring"],
      [/'/, "string", "@sstring"],
      [/`[^`]*`/, "identifier.quoted"],
      [/\$[A-Za-z_]\w*(?=\s*\()/, "function"],
      [/\$[A-Za-z_]\w*|\$\$|\$/, "variable"],
      [/\b(?:function|λ)\b/, "keyword"],
      [/\b(?:and|or|in)\b/, "keyword.operator"],
      [/\b(?:true|false|null)\b/, "constant"],
      [/-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/, "number"],
      [/[A-Za-z_]\w*/, "identifier"],
      [/:=|~>|\?:|\?\?|!=|<=|>=|\.\.|[&+\-*/%=<>?:.^#@|]/, "operator"],
      [/[{}()[\]]/, "@brackets"],
      [/[,;]/, "delimiter"],
      [/\s+/, "white"],
    ],
    comment: [
      [/[^*]+/, "comment"],
      [/\*\//, "comment", "@pop"],
      [/\*/, "comment"],
    ],
    dstring: [
      [/[^\\"]+/, "string"],
      [/\\./, "string.escape"],
      [/"/, "string", "@pop"],
    ],
    sstring: [
      [/[^\\']+/, "string"],
      [/\\./, "string.escape"],
      [/'/, "string", "@pop"],
    ],
  },
};

function functionMarkdown(f: FunctionDoc): string {
  return `**${functionSignature(f)}**${f.origin === "flowport" ? " · Flowport" : ""}\n\n${f.doc}`;
}

let registered = false;

export function registerJsonataLanguage(monaco: typeof Monaco): void {
  if (registered) return;
  registered = true;
  monaco.languages.register({ id: JSONATA_LANGUAGE, aliases: ["JSONata"] });
  monaco.languages.setMonarchTokensProvider(JSONATA_LANGUAGE, tokenizer);
  monaco.languages.setLanguageConfiguration(JSONATA_LANGUAGE, {
    comments: { blockComment: ["/*", "*/"] },
    brackets: [
      ["{", "}"],
      ["[", "]"],
      ["(", ")"],
    ],
    autoClosingPairs: [
      { open: "{", close: "}" },
      { open: "[", close: "]" },
      { open: "(", close: ")" },
      { open: '"', close: '"', notIn: ["string"] },
      { open: "'", close: "'", notIn: ["string"] },
      { open: "`", close: "`" },
    ],
    wordPattern: /(\$?[A-Za-z_]\w*)|(-?\d+(?:\.\d+)?)/,
  });
  monaco.editor.defineTheme(FLOWPORT_THEME, {
    base: "vs",
    inherit: true,
    rules: [
      { token: "function.jsonata", foreground: "7a3fd1", fontStyle: "bold" },
      { token: "variable.jsonata", foreground: "0b7a75" },
      { token: "identifier.jsonata", foreground: "1b4f9c" },
      { token: "identifier.quoted.jsonata", foreground: "1b4f9c" },
      { token: "string.jsonata", foreground: "a3461b" },
      { token: "number.jsonata", foreground: "116329" },
      { token: "constant.jsonata", foreground: "116329", fontStyle: "bold" },
      { token: "keyword.jsonata", foreground: "b5186b", fontStyle: "bold" },
      { token: "keyword.operator.jsonata", foreground: "b5186b" },
      { token: "operator.jsonata", foreground: "5f6b7a" },
      { token: "comment.jsonata", foreground: "8a94a3", fontStyle: "italic" },
    ],
    colors: {},
  });

  monaco.languages.registerCompletionItemProvider(JSONATA_LANGUAGE, {
    triggerCharacters: [".", "$"],
    provideCompletionItems(model, position) {
      const before = model.getValueInRange({ startLineNumber: position.lineNumber, startColumn: 1, endLineNumber: position.lineNumber, endColumn: position.column });
      const word = model.getWordUntilPosition(position);
      const range = { startLineNumber: position.lineNumber, endLineNumber: position.lineNumber, startColumn: word.startColumn, endColumn: word.endColumn };
      const suggestions: Monaco.languages.CompletionItem[] = [];
      const dollar = /\$\w*$/.exec(before);
      if (dollar) {
        const start = position.column - dollar[0].length;
        const dollarRange = { ...range, startColumn: start };
        for (const f of ALL_FUNCTIONS) {
          suggestions.push({
            label: { label: `$${f.name}`, description: f.origin === "flowport" ? "Flowport" : f.group },
            kind: monaco.languages.CompletionItemKind.Function,
            detail: functionSignature(f),
            documentation: { value: functionMarkdown(f) },
            // Snippet syntax: a bare `$name` would be read as a snippet variable (and vanish), so escape it.
            insertText: f.params.length === 0 ? `\\$${f.name}()` : `\\$${f.name}($0)`,
            insertTextRules: monaco.languages.CompletionItemInsertTextRule.InsertAsSnippet,
            sortText: `${f.origin === "flowport" ? "0" : "1"}${f.name}`,
            range: dollarRange,
            command: { id: "editor.action.triggerParameterHints", title: "signature" },
          });
        }
        for (const v of BOUND_VARIABLES) {
          suggestions.push({ label: `$${v.name}`, kind: monaco.languages.CompletionItemKind.Variable, detail: "bound by Flowport", documentation: v.doc, insertText: `$${v.name}`, range: dollarRange, sortText: `2${v.name}` });
        }
        return { suggestions };
      }
      // Field paths: after `a.b.` suggest b's children; otherwise the top-level fields.
      const typed = /((?:[A-Za-z_]\w*|`[^`]*`)(?:\.(?:[A-Za-z_]\w*|`[^`]*`))*)\.\w*$/.exec(before);
      const parentKeys = typed ? keysOfPath(typed[1]!) : [];
      const fields = fieldsByModel.get(model.uri.toString()) ?? [];
      for (const node of treePaths(fields)) {
        const keys = keysOfPath(node.path);
        if (keys.length !== parentKeys.length + 1 || parentKeys.some((k, i) => keys[i] !== k)) continue;
        const key = keys[keys.length - 1]!;
        suggestions.push({
          label: { label: key, description: node.type },
          kind: node.children.length > 0 ? monaco.languages.CompletionItemKind.Module : monaco.languages.CompletionItemKind.Field,
          detail: node.path,
          documentation: node.example === undefined ? `${node.type} in the sample` : `${node.type} in the sample, e.g. ${node.example}`,
          insertText: /^[A-Za-z_]\w*$/.test(key) ? key : `\`${key}\``,
          sortText: `0${key}`,
          range,
        });
      }
      return { suggestions };
    },
  });

  monaco.languages.registerSignatureHelpProvider(JSONATA_LANGUAGE, {
    signatureHelpTriggerCharacters: ["(", ","],
    signatureHelpRetriggerCharacters: [","],
    provideSignatureHelp(model, position) {
      const before = model.getValueInRange({ startLineNumber: 1, startColumn: 1, endLineNumber: position.lineNumber, endColumn: position.column });
      const call = activeCall(before);
      const f = call ? FUNCTIONS_BY_NAME.get(call.name) : undefined;
      if (!call || !f) return null;
      return {
        value: {
          signatures: [
            {
              label: functionSignature(f),
              documentation: { value: f.doc },
              parameters: f.params.map((p) => ({ label: p.optional ? `${p.name}?` : p.name, documentation: p.doc })),
            },
          ],
          activeSignature: 0,
          activeParameter: Math.min(call.argument, Math.max(0, f.params.length - 1)),
        },
        dispose() {},
      };
    },
  });

  monaco.languages.registerHoverProvider(JSONATA_LANGUAGE, {
    provideHover(model, position) {
      const word = model.getWordAtPosition(position);
      if (!word?.word.startsWith("$")) return null;
      const f = FUNCTIONS_BY_NAME.get(word.word.slice(1));
      if (!f) return null;
      return {
        range: { startLineNumber: position.lineNumber, endLineNumber: position.lineNumber, startColumn: word.startColumn, endColumn: word.endColumn },
        contents: [{ value: functionMarkdown(f) }],
      };
    },
  });
}
