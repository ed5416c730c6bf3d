"use client";
/** The overview's charts (recharts): traffic per hour, error rate and p95 per hour, top error codes. */
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
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
        <BarChart data={hours}>
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
        <LineChart data={data}>
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

export function TopErrorsChart({ errors }: { errors: { errorCode: string; count: number }[] }) {
  return (
    <figure className="chart" aria-label="Top error codes">
      <figcaption>Top error codes</figcaption>
      {errors.length === 0 ? (
        <p className="muted">No errors in this period.</p>
      ) : (
        <ResponsiveContainer width="100%" height={Math.max(120, errors.length * 32)}>
          <BarChart data={errors} layout="vertical" margin={{ left: 24 }}>
            <XAxis type="number" allowDecimals={false} />
            <YAxis type="category" dataKey="errorCode" width={170} />
            <Tooltip />
            <Bar dataKey="count" name="Executions" fill="#c62828" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      )}
    </figure>
  );
}
