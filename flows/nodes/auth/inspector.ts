/** How the inspector presents the auth node's config (labels, hints, pickers). Plain data: flows/ stays UI-free. */
import type { NodeInspector } from "../define";

export const authInspector: NodeInspector = {
  fields: {
    direction: { label: "Direction", help: "incoming: verify the caller. outgoing: attach a stored credential." },
    methods: { label: "Accepted methods", help: "Any one of these must succeed, otherwise the caller gets 401." },
    toleranceSeconds: { label: "Signature tolerance (s)", help: "Signatures older than this are treated as replays." },
    credential: { label: "Credential", picker: "credential", help: "Stored encrypted; only its name is shown." },
  },
};
