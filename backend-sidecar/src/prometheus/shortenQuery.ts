/** PromQL for error messages: whitespace collapsed and cut, so a generated query stays readable. */
export function shortenQuery(promql: string, maxLength = 240): string {
  const flat = promql.replace(/\s+/g, ' ').trim();
  return flat.length <= maxLength ? flat : `${flat.slice(0, maxLength - 1)}…`;
}
