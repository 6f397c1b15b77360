export default function Page() {
  return <h1>agents-page (not built yet)</h1>;
}
