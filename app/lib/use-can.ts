"use client";
/** What the signed-in user may do, for hiding or disabling actions. The server checks again. */
import { useQuery } from "@tanstack/react-query";
import type { Permission } from "@/server/auth/permissions";
import { useTRPC } from "./trpc";

export function useSession() {
  const trpc = useTRPC();
  return useQuery({ ...trpc.session.me.queryOptions(), staleTime: 60_000 });
}

export function useCan(permission: Permission): boolean {
  const { data } = useSession();
  return data?.permissions.includes(permission) ?? false;
}
