/** Organization names of the tenants a many-tenant sandbox generates; past the list, numbered ('Contoso 2', …). */
const names = ['Contoso', 'Fabrikam', 'Northwind', 'Adatum', 'Tailspin', 'Woodgrove', 'Litware', 'Proseware', 'Wingtip', 'Alpine Ski', 'Lucerne', 'Margie', 'Relecloud', 'Trey', 'Wide World', 'Coho', 'Graphic Design', 'Humongous', 'Lamna', 'Munson'];

/** The display name of the `index`th generated tenant (0: 'Contoso', the single tenant's name). Distinct for every index. */
export function generatedTenantName(index: number): string {
  const name = names[index % names.length] ?? 'Contoso';
  const round = Math.floor(index / names.length);
  return round === 0 ? name : `${name} ${round + 1}`;
}
