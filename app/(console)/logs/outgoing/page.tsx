import { Suspense } from "react";
import { LogsView } from "../../../components/logs/logs-view";

export default function OutgoingLogsPage() {
  // LogsView reads the filter from the address bar (useSearchParams), which needs a Suspense boundary.
  return (
    <Suspense>
      <LogsView direction="outgoing" />
    </Suspense>
  );
}
