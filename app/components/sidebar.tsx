"use client";

/**
 * The console's navigation. In the designer (/flows/<slug>) it collapses to a narrow rail with a
 * menu button, so the canvas gets the width (issue 17: a designer made for laptops); the button
 * opens the full list over the page, and following a link closes it again.
 */
import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { useState } from "react";
import type { Permission } from "@/server/auth/permissions";
import type { SessionUser } from "@/server/auth/session";
import { authClient } from "@/app/lib/auth-client";
import { AlertsNotice } from "./logs/alerts-notice";
import { FailedQueueBadge } from "./logs/failed-queue-badge";
import { NAV_ITEMS } from "./nav-items";

export function Sidebar({ user, permissions }: { user: SessionUser; permissions: Permission[] }) {
  const pathname = usePathname();
  const router = useRouter();
  const items = NAV_ITEMS.filter((item) => !item.permission || permissions.includes(item.permission));
  const collapsible = /^\/flows\/[^/]+/.test(pathname);
  // Open over the designer; keyed to the path so that navigating closes it.
  const [openAt, setOpenAt] = useState<string | null>(null);
  const open = collapsible && openAt === pathname;

  async function signOut() {
    await authClient.signOut();
    router.replace("/sign-in");
    router.refresh();
  }

  return (
    // The banner landmark: brand, the main navigation and the signed-in user. In the designer it
    // collapses to a rail with a menu button (opens over the page; Escape closes it).
    <header
      className={collapsible ? `sidebar sidebar-collapsible${open ? " sidebar-open" : ""}` : "sidebar"}
      data-collapsed={collapsible && !open ? "true" : undefined}
      onKeyDown={(e) => {
        if (open && e.key === "Escape") setOpenAt(null);
      }}
    >
      {collapsible ? (
        <button
          type="button"
          className="sidebar-menu"
          aria-expanded={open}
          aria-controls="sidebar-links"
          aria-label={open ? "Hide navigation" : "Show navigation"}
          title={open ? "Hide navigation" : "Show navigation"}
          onClick={() => setOpenAt(open ? null : pathname)}
        >
          <span aria-hidden>{open ? "✕" : "☰"}</span>
        </button>
      ) : null}
      <Link href="/" className="brand">
        <span className="brand-mark" aria-hidden>⇄</span> <span className="brand-name">Flowport</span>
      </Link>
      <nav aria-label="Main">
        <ul id="sidebar-links">
          {items.map((item) => {
            const active = pathname === item.href || pathname.startsWith(`${item.href}/`);
            return (
              <li key={item.href}>
                <Link href={item.href} aria-current={active ? "page" : undefined} className={active ? "active" : undefined}>
                  {item.label}
                  {item.href === "/failed-queue" ? <FailedQueueBadge /> : null}
                </Link>
              </li>
            );
          })}
        </ul>
      </nav>
      {permissions.includes("logs.read") && <AlertsNotice canAcknowledge={permissions.includes("deliveries.retry")} />}
      <div className="sidebar-user">
        <div className="sidebar-user-email" title={user.email}>
          {user.email}
        </div>
        <div className="sidebar-user-role">{user.role}</div>
        <button type="button" className="button link" onClick={signOut}>
          Sign out
        </button>
      </div>
    </header>
  );
}
