import { DesignerPage } from "./designer-page";

export default async function FlowDesignerRoute({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  return <DesignerPage slug={slug} />;
}
