import { FailedQueueView } from "../../components/logs/failed-queue-view";

export default function FailedQueuePage() {
  return <FailedQueueView />;
}
