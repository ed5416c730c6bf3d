"use client";
import Editor from "@monaco-editor/react";
import "./monaco-setup";
import { BASE_EDITOR_OPTIONS, editorLoading } from "./editor-options";
import { pasteReplacesPlaceholder } from "./paste-over-placeholder";
import type { JsonEditorProps } from "./json-editor";

export default function JsonEditorImpl({ value, onChange, height = 240, ariaLabel = "JSON", readOnly = false }: JsonEditorProps) {
  // `nokey`: see jsonata-editor-impl.tsx (React Flow would swallow Space typed here).
  return (
    <div className="monaco-frame nokey" data-testid="json-editor" data-language="json">
      <Editor
        height={height}
        language="json"
        theme="flowport"
        value={value}
        onChange={(text) => onChange?.(text ?? "")}
        onMount={(editor) => {
          // Disposed with the editor.
          editor.onDidPaste(({ range }) => {
            const model = editor.getModel();
            if (!model) return;
            const whole = model.getFullModelRange();
            const before = model.getValueInRange({ startLineNumber: 1, startColumn: 1, endLineNumber: range.startLineNumber, endColumn: range.startColumn });
            const after = model.getValueInRange({ startLineNumber: range.endLineNumber, startColumn: range.endColumn, endLineNumber: whole.endLineNumber, endColumn: whole.endColumn });
            const pasted = model.getValueInRange(range);
            if (!pasteReplacesPlaceholder(before, pasted, after)) return;
            editor.executeEdits("flowport.paste-over-placeholder", [{ range: whole, text: pasted }]);
            editor.pushUndoStop();
          });
        }}
        loading={editorLoading}
        options={{
          ...BASE_EDITOR_OPTIONS,
          ariaLabel,
          readOnly,
          // A pasted sample stays as pasted (Format Document, Shift+Alt+F, reformats on request).
          formatOnPaste: false,
        }}
      />
    </div>
  );
}
