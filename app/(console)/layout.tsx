import type { ReactNode } from "react";
import { Providers } from "../components/providers";
import { Sidebar } from "../components/sidebar";
import { requireUser } from "../lib/session";
import { permissionsOf } from "@/server/auth/permissions";

export const dynamic = "force-dynamic";

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const user = await requireUser();
  return (
    <Providers>
      <div className="shell">
        <Sidebar user={user} permissions={permissionsOf(user.role)} />
        <main id="main" tabIndex={-1} className="content">
          {children}
        </main>
      </div>
    </Providers>
  );
}
