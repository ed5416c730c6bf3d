"use client";
/** The overview's charts (recharts): traffic per hour, error rate and p95 per hour, top error codes. */
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { useRouter } from "next/navigation";
import type { RouterOutputs } from "@/app/lib/router-types";

export type HourPoint = RouterOutputs["dashboard"]["get"]["hours"][number];

const hourLabel = (iso: string, long: boolean) => {
  const d = new Date(iso);
  return long ? d.toLocaleString(undefined, { weekday: "short", hour: "2-digit" }) : d.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });
};

export function TrafficChart({ hours, long }: { hours: HourPoint[]; long: boolean }) {
  return (
    <figure className="chart" aria-label="Requests and deliveries per hour">
      <figcaption>Requests and deliveries per hour</figcaption>
      <ResponsiveContainer width="100%" height={240}>
        <BarChart data={hours} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="hour" tickFormatter={(v: string) => hourLabel(v, long)} minTickGap={24} />
          <YAxis allowDecimals={false} width={40} />
          <Tooltip labelFormatter={(v) => new Date(String(v)).toLocaleString()} />
          <Legend />
          <Bar dataKey="incoming" name="Incoming requests" stackId="a" fill="#2f6fed" isAnimationActive={false} />
          <Bar dataKey="outgoing" name="Outgoing deliveries" stackId="a" fill="#1b7f3b" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}

export function ErrorRateChart({ hours, long }: { hours: HourPoint[]; long: boolean }) {
  const data = hours.map((h) => ({ ...h, errorPct: Math.round(h.errorRate * 1000) / 10 }));
  return (
    <figure className="chart" aria-label="Error rate and p95 duration per hour">
      <figcaption>Error rate and p95 duration per hour</figcaption>
      <ResponsiveContainer width="100%" height={240}>
        <LineChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="hour" tickFormatter={(v: string) => hourLabel(v, long)} minTickGap={24} />
          <YAxis yAxisId="pct" unit="%" width={48} domain={[0, 100]} />
          <YAxis yAxisId="ms" orientation="right" unit=" ms" width={64} />
          <Tooltip labelFormatter={(v) => new Date(String(v)).toLocaleString()} />
          <Legend />
          <Line yAxisId="pct" type="monotone" dataKey="errorPct" name="Error rate" stroke="#c62828" dot={false} isAnimationActive={false} />
          <Line yAxisId="ms" type="monotone" dataKey="p95Ms" name="p95 duration" stroke="#7a4fd0" dot={false} connectNulls isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}

/** A label cut to `max` characters (the whole one goes in a title). */
export const clipLabel = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

const ERROR_LABEL_CHARS = 22;

/** A y-axis tick of the top errors: the code, cut to fit, linking to its Logs, with the whole code on hover. */
function ErrorCodeTick({ x, y, payload, hrefOf }: { x?: number; y?: number; payload?: { value: string }; hrefOf: (code: string) => string }) {
  const code = payload?.value ?? "";
  return (
    <a href={hrefOf(code)} aria-label={`${code}: open in the Logs`}>
      <title>{code}</title>
      <text x={x} y={y} dy={4} textAnchor="end" fontSize={12} fill="#2f6fed">
        {clipLabel(code, ERROR_LABEL_CHARS)}
      </text>
    </a>
  );
}

export function TopErrorsChart({ errors, hrefOf }: { errors: { errorCode: string; count: number }[]; hrefOf: (code: string) => string }) {
  const router = useRouter();
  return (
    <figure className="chart" aria-label="Top error codes">
      <figcaption>Top error codes</figcaption>
      {errors.length === 0 ? (
        <p className="muted">No errors in this period.</p>
      ) : (
        <ResponsiveContainer width="100%" height={Math.max(120, errors.length * 32)}>
          <BarChart data={errors} layout="vertical" margin={{ left: 8, right: 16 }}>
            <XAxis type="number" allowDecimals={false} />
            <YAxis type="category" dataKey="errorCode" width={ERROR_LABEL_CHARS * 7.5} interval={0} tick={<ErrorCodeTick hrefOf={hrefOf} />} />
            <Tooltip />
            <Bar
              dataKey="count"
              name="Executions"
              fill="#c62828"
              isAnimationActive={false}
              cursor="pointer"
              onClick={(entry: { payload?: { errorCode?: string } }) => {
                if (entry.payload?.errorCode) router.push(hrefOf(entry.payload.errorCode));
              }}
            />
          </BarChart>
        </ResponsiveContainer>
      )}
    </figure>
  );
}
