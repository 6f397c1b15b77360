export default function Page() {
  return <h1>agent-page (not built yet)</h1>;
}
