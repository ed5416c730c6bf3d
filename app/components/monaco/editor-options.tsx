/** What every Flowport Monaco editor shares: its look, its layout behaviour and its loading state. */
import type { EditorProps } from "@monaco-editor/react";

export const BASE_EDITOR_OPTIONS = {
  minimap: { enabled: false },
  fontSize: 13,
  lineNumbersMinChars: 3,
  scrollBeyondLastLine: false,
  automaticLayout: true,
  // Suggestion and hover widgets escape the inspector's scrolling panel instead of being clipped.
  fixedOverflowWidgets: true,
  tabSize: 2,
  renderLineHighlight: "none",
} satisfies EditorProps["options"];

export const editorLoading = <div className="monaco-loading">Loading editor…</div>;
