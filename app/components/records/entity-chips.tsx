"use client";
/** The entities and masters, with their record counts, as links. */
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useTRPC } from "@/app/lib/trpc";
import styles from "../admin/admin.module.css";

export function EntityChips({ current }: { current?: string }) {
  const trpc = useTRPC();
  const entities = useQuery(trpc.records.entities.queryOptions());
  return (
    <nav className={styles.chips} aria-label="Entities">
      {entities.data?.map((e) => (
        <Link
          key={e.name}
          href={`/records/${e.name}`}
          className={`${styles.chip} ${e.name === current ? styles.chipActive : ""}`}
          aria-current={e.name === current ? "page" : undefined}
        >
          {e.label}
          {e.kind === "master" ? " (master)" : ""} · {e.count}
        </Link>
      ))}
    </nav>
  );
}
