import { redirect } from "next/navigation";
import { ENTITIES } from "@/flows/erp/entities";

/** Records opens on the first entity; the chips switch between them. */
export default function RecordsPage() {
  redirect(`/records/${ENTITIES[0]!.name}`);
}
