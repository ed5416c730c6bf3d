import { LogsView } from "../../../components/logs/logs-view";

export default function OutgoingLogsPage() {
  return <LogsView direction="outgoing" />;
}
