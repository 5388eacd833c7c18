import type { Page } from 'playwright-core';

/**
 * The latest actual the forecast panel draws, as its tooltip shows it (e.g. "4.83 ms"): the mouse
 * moves over the chart from its right edge to the left until the tooltip under it shows an actual
 * rather than "no data" (the forecast ahead has no actuals). Throws when no point has one.
 */
export async function readLatestForecastActual(page: Page): Promise<string> {
  const surface = page.getByTestId('forecast-chart').locator('rect[fill="transparent"]');
  const box = await surface.boundingBox();
  if (!box) {
    throw new Error('the forecast chart has no hover surface on screen');
  }
  const tooltip = page.getByRole('tooltip');
  const y = box.y + box.height / 2;
  for (let x = box.x + box.width - 1; x > box.x; x -= 2) {
    await page.mouse.move(x, y);
    const lines = (await tooltip.innerText({ timeout: 2_000 })).split('\n');
    const actual = lines.find((line) => line.startsWith('actual '))?.slice('actual '.length);
    if (actual !== undefined && actual !== 'no data') {
      return actual;
    }
  }
  throw new Error('no point of the forecast chart has an actual');
}
