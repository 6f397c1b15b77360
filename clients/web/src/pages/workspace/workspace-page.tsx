export default function Page() {
  return <h1>workspace-page (not built yet)</h1>;
}
