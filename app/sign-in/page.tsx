import type { Metadata } from "next";
import { Suspense } from "react";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in · Flowport" };

export default function SignInPage() {
  return (
    <main id="main" tabIndex={-1} className="sign-in">
      <div className="sign-in-card">
        <div className="brand">
          <span className="brand-mark" aria-hidden>⇄</span> Flowport
        </div>
        <h1>Sign in</h1>
        <p className="muted">Use the account your Flowport admin gave you.</p>
        <Suspense>
          <SignInForm />
        </Suspense>
      </div>
    </main>
  );
}
