"use client";

import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
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

  async function signOut() {
    await authClient.signOut();
    router.replace("/sign-in");
    router.refresh();
  }

  return (
    // The banner landmark: brand, the main navigation and the signed-in user.
    <header className="sidebar">
      <Link href="/" className="brand">
        <span className="brand-mark" aria-hidden>⇄</span> Flowport
      </Link>
      <nav aria-label="Main">
        <ul>
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
