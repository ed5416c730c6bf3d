import { FlowsList } from "./_list/flows-list";

export default function FlowsPage() {
  return <FlowsList />;
}
