"use client";
/** Connections | Credentials; the credentials tab exists only for roles that may manage credentials. */
import Link from "next/link";
import { useCan } from "@/app/lib/use-can";
import styles from "./admin.module.css";

export function ConnectionsTabs({ current }: { current: "connections" | "credentials" }) {
  const canCredentials = useCan("credentials.manage");
  return (
    <nav className={styles.tabs} aria-label="Outgoing settings">
      <Link href="/connections" className={`${styles.tab} ${current === "connections" ? styles.tabActive : ""}`} aria-current={current === "connections" ? "page" : undefined}>
        Connections
      </Link>
      {canCredentials && (
        <Link href="/connections/credentials" className={`${styles.tab} ${current === "credentials" ? styles.tabActive : ""}`} aria-current={current === "credentials" ? "page" : undefined}>
          Credentials
        </Link>
      )}
    </nav>
  );
}
