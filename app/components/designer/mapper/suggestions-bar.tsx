"use client";
/**
 * Mapping suggestions in the visual mapper: source → target pairs proposed from the sample and the
 * target fields (flows/mapper/suggest.ts), each accepted with one click, or all at once.
 */
import type { MappingSuggestion } from "@/flows/mapper/suggest";

interface Props {
  suggestions: MappingSuggestion[];
  onAccept: (accepted: MappingSuggestion[]) => void;
}

export function SuggestionsBar({ suggestions, onAccept }: Props) {
  if (suggestions.length === 0) return null;
  return (
    <section className="mapper-suggestions" aria-label="Mapping suggestions" data-testid="mapping-suggestions">
      <div className="suggestions-head">
        <strong>Suggested mappings</strong>
        <span className="muted small">from the sample&apos;s names and values</span>
        <button type="button" className="button-primary suggestions-accept-all" onClick={() => onAccept(suggestions)}>
          Accept all ({suggestions.length})
        </button>
      </div>
      <ul className="suggestion-list">
        {suggestions.map((s) => (
          <li key={`${s.source}->${s.target}`}>
            <button
              type="button"
              className="suggestion-chip"
              data-testid={`suggestion-${s.target}`}
              title={`${s.reasons.join("; ")}. Click to map ${s.source} to ${s.target}.`}
              aria-label={`Map ${s.source} to ${s.target} (${Math.round(s.confidence * 100)}% sure: ${s.reasons.join("; ")})`}
              onClick={() => onAccept([s])}
            >
              <span className="mono">{s.source}</span> → <span className="mono">{s.target}</span>
              <span className={`confidence ${s.confidence >= 0.85 ? "high" : s.confidence >= 0.7 ? "medium" : "low"}`}>{Math.round(s.confidence * 100)}%</span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
