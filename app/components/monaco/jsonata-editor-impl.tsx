"use client";
import Editor, { type OnMount } from "@monaco-editor/react";
import { useEffect, useRef } from "react";
import { checkExpression } from "@/flows/expression";
import type { FieldNode } from "@/flows/mapper/sample-tree";
import { FLOWPORT_THEME, JSONATA_LANGUAGE, setJsonataFields } from "./jsonata-language";
import { monaco } from "./monaco-setup";
import { BASE_EDITOR_OPTIONS, editorLoading } from "./editor-options";
import type { JsonataEditorProps } from "./jsonata-editor";

type CodeEditor = Parameters<OnMount>[0];

const MARKER_OWNER = "jsonata";

/** Marks the parse error, if any, at its line and column (jsonata reports where it choked). */
function markErrors(editor: CodeEditor): void {
  const model = editor.getModel();
  if (!model) return;
  const checked = checkExpression(model.getValue());
  if (checked.ok || model.getValue().trim() === "") {
    monaco.editor.setModelMarkers(model, MARKER_OWNER, []);
    return;
  }
  const { line, column, message, code } = checked.error;
  const lineNumber = Math.min(line, model.getLineCount());
  const word = model.getWordAtPosition({ lineNumber, column });
  const endColumn = word && word.startColumn <= column ? word.endColumn : Math.min(column + 1, model.getLineMaxColumn(lineNumber));
  monaco.editor.setModelMarkers(model, MARKER_OWNER, [
    { severity: monaco.MarkerSeverity.Error, message: `${message} (${code})`, startLineNumber: lineNumber, startColumn: column, endLineNumber: lineNumber, endColumn: Math.max(endColumn, column + 1) },
  ]);
}

export default function JsonataEditorImpl({ value, onChange, height = 240, fields, ariaLabel = "JSONata expression", readOnly = false }: JsonataEditorProps) {
  const editorRef = useRef<CodeEditor | null>(null);
  const fieldsRef = useRef<FieldNode[] | undefined>(fields);
  fieldsRef.current = fields;

  useEffect(() => {
    const model = editorRef.current?.getModel();
    if (model) setJsonataFields(model, fields);
  }, [fields]);

  // Uncontrolled while the analyst types (a prop echoing each keystroke back would close completion
  // and signature widgets); a change made elsewhere (the visual mapper) replaces the text, undoably.
  useEffect(() => {
    const editor = editorRef.current;
    const model = editor?.getModel();
    if (!editor || !model) return;
    if (model.getValue() !== value && !editor.hasTextFocus()) {
      editor.pushUndoStop();
      editor.executeEdits("flowport", [{ range: model.getFullModelRange(), text: value }]);
      editor.pushUndoStop();
    }
    markErrors(editor);
  }, [value]);

  useEffect(
    () => () => {
      const model = editorRef.current?.getModel();
      if (model) setJsonataFields(model, undefined);
    },
    [],
  );

  // `nokey`: React Flow's shortcuts (Space pans, Delete removes nodes) do not recognise Monaco's
  // EditContext element as a text field, and would swallow Space typed here.
  return (
    <div className="monaco-frame nokey" data-testid="jsonata-editor" data-language="jsonata">
      <Editor
        height={height}
        language={JSONATA_LANGUAGE}
        theme={FLOWPORT_THEME}
        defaultValue={value}
        onChange={(text) => {
          onChange?.(text ?? "");
          if (editorRef.current) markErrors(editorRef.current);
        }}
        onMount={(editor) => {
          editorRef.current = editor;
          const model = editor.getModel();
          if (model) setJsonataFields(model, fieldsRef.current);
          markErrors(editor);
        }}
        loading={editorLoading}
        options={{
          ...BASE_EDITOR_OPTIONS,
          ariaLabel,
          readOnly,
          wordWrap: "on",
          quickSuggestions: { other: true, comments: false, strings: false },
          suggestOnTriggerCharacters: true,
          parameterHints: { enabled: true },
        }}
      />
    </div>
  );
}
