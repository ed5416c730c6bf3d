"use client";

/** The endpoint panel of an incoming flow, loaded when opened. */
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/app/lib/trpc";
import { EndpointPanel } from "./endpoint-panel";
import { Modal } from "./modal";

interface Props {
  slug: string;
  published: boolean;
  active: boolean;
  onClose: () => void;
}

export function EndpointDialog({ slug, published, active, onClose }: Props) {
  const trpc = useTRPC();
  const endpoint = useQuery(trpc.flows.endpoint.queryOptions({ slug }));
  return (
    <Modal title="Endpoint" onClose={onClose}>
      {endpoint.data ? (
        <EndpointPanel endpoint={endpoint.data} slug={slug} published={published} active={active} />
      ) : endpoint.error ? (
        <p role="alert">{endpoint.error.message}</p>
      ) : (
        <p className="muted">Loading…</p>
      )}
    </Modal>
  );
}
