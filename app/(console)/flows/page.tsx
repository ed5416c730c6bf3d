import { SectionPlaceholder } from "../../components/placeholder";

export default function FlowsPage() {
  return <SectionPlaceholder href="/flows" />;
}
