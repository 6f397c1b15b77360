export default function Page() {
  return <h1>contacts-page (not built yet)</h1>;
}
