export default function Page() {
  return <h1>deals-page (not built yet)</h1>;
}
