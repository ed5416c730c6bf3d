import type { Permission } from "@/server/auth/permissions";

/** The console's sections, in navigation order. One list: the sidebar and the overview both read it. */
export interface NavItem {
  href: string;
  label: string;
  description: string;
  /** Hidden for roles without it (the server checks again on every call). */
  permission?: Permission;
}

export const NAV_ITEMS: NavItem[] = [
  { href: "/flows", label: "Flows", description: "Incoming and outgoing integrations, drawn as node graphs." },
  { href: "/records", label: "Records", description: "The ERP's vendors, invoices, leads and masters." },
  { href: "/logs", label: "Logs", description: "Incoming and outgoing API logs with per-node traces." },
  { href: "/failed-queue", label: "Failed Queue", description: "Outgoing deliveries that ran out of attempts." },
  { href: "/clients", label: "API Clients", description: "Credentials issued by the ERP to external systems." },
  { href: "/connections", label: "Connections", description: "Where we send, with credentials from external owners.", permission: "connections.read" },
  { href: "/api-docs", label: "API Docs", description: "OpenAPI contract of the published incoming endpoints, for external developers." },
  { href: "/users", label: "Users", description: "Who may sign in, and with which role.", permission: "users.manage" },
];
