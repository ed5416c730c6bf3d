import { SectionPlaceholder } from "../../components/placeholder";

export default function FailedQueuePage() {
  return <SectionPlaceholder href="/failed-queue" />;
}
