export default function Page() {
  return <h1>billing-page (not built yet)</h1>;
}
