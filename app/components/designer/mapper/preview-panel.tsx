"use client";
/** The live result of the map expression on the current sample. */
import type { LivePreview } from "@/app/components/monaco/use-live-preview";

export function PreviewPanel({ preview, hasSample }: { preview: LivePreview; hasSample: boolean }) {
  const { result, latencyMs, pending } = preview;
  return (
    <section className="preview-panel" aria-label="Preview" data-testid="mapper-preview" data-pending={pending ? "true" : "false"} data-latency-ms={latencyMs === undefined ? "" : latencyMs.toFixed(1)}>
      <header>
        <h4>Preview {hasSample ? "on the current sample" : "(no sample selected: the input is empty)"}</h4>
        <span className="muted small">{pending ? "updating…" : latencyMs !== undefined ? `updated in ${Math.round(latencyMs)} ms` : ""}</span>
      </header>
      {result === undefined ? (
        <pre className="preview-output muted">…</pre>
      ) : result.ok ? (
        <>
          <pre className="preview-output" data-testid="mapper-preview-output">
            {result.json}
          </pre>
          {result.truncated && <p className="muted small">The result is long: only its beginning is shown.</p>}
          {result.notes.map((n) => (
            <p key={n} className="preview-note">
              {n}
            </p>
          ))}
        </>
      ) : (
        <pre className="preview-output preview-error" role="alert" data-testid="mapper-preview-error">
          {result.phase === "parse" ? `Line ${result.error.line}, column ${result.error.column}: ` : ""}
          {result.error.message} ({result.error.code})
        </pre>
      )}
    </section>
  );
}
