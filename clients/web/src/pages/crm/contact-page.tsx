export default function Page() {
  return <h1>contact-page (not built yet)</h1>;
}
