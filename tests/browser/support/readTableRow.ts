import type { Locator } from 'playwright-core';

/**
 * The cells of the one row of `table` that holds a link named `link`, keyed by their column
 * headers (as the page shows them), or null when no row has that link.
 */
export async function readTableRow(table: Locator, link: string): Promise<Record<string, string> | null> {
  const headers = await table.getByRole('columnheader').allInnerTexts();
  const rows = table.getByRole('row').filter({ has: table.page().getByRole('link', { name: link, exact: true }) });
  if ((await rows.count()) === 0) {
    return null;
  }
  const cells = await rows.first().getByRole('cell').allInnerTexts();
  return Object.fromEntries(headers.map((header, i) => [header.trim(), (cells[i] ?? '').trim()]));
}
