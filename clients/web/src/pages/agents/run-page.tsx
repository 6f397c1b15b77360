export default function Page() {
  return <h1>run-page (not built yet)</h1>;
}
