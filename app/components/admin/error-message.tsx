"use client";
/** A failed query or mutation, in the server's own words (user errors carry a safe message). */
export function ErrorMessage({ error }: { error: { message: string } | null | undefined }) {
  if (!error) return null;
  return (
    <p role="alert" className="form-error">
      {error.message}
    </p>
  );
}
