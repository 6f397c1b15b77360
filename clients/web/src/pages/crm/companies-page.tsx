export default function Page() {
  return <h1>companies-page (not built yet)</h1>;
}
