import { MapperLab } from "@/app/components/designer/mapper/mapper-lab";

export const metadata = { title: "Mapper lab · Flowport" };

/** The mapper on an example flow, outside the designer (benchmark harness). */
export default async function MapperLabPage({ searchParams }: { searchParams: Promise<{ flow?: string }> }) {
  const { flow } = await searchParams;
  return (
    <section>
      <h1>Mapper lab</h1>
      <p className="muted">The map node of an example flow, with its samples.</p>
      <MapperLab slug={flow ?? "vendor-master"} />
    </section>
  );
}
