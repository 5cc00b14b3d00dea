export function InvoicesPage() {
  return <h1>Invoices</h1>;
}
