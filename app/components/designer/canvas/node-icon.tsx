/**
 * Node definitions name lucide icons (client-safe strings); this maps the names in use to components.
 * Listed explicitly so only these icons reach the bundle.
 */
import { ArrowRightLeft, Box, Clock, Database, GitBranch, Hand, ListChecks, Reply, Search, Send, ShieldCheck, Webhook, Zap, type LucideIcon } from "lucide-react";

const ICONS: Record<string, LucideIcon> = {
  webhook: Webhook,
  zap: Zap,
  hand: Hand,
  clock: Clock,
  "shield-check": ShieldCheck,
  "arrow-right-left": ArrowRightLeft,
  "list-checks": ListChecks,
  "git-branch": GitBranch,
  search: Search,
  database: Database,
  send: Send,
  reply: Reply,
};

export function NodeIcon({ name, size = 16 }: { name: string | undefined; size?: number }) {
  const Icon = (name && ICONS[name]) || Box;
  return <Icon size={size} aria-hidden strokeWidth={2} />;
}
