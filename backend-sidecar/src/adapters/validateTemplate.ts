/** A problem in a PromQL template, at a character offset of the template text. */
export interface TemplateProblem {
  readonly offset: number;
  readonly message: string;
}

const CLOSING: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
const OPENING: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
/** A Prometheus duration such as 5m or 1h30m, as the whole content of a range selector. */
const FIXED_RANGE = /^\[\s*(?:\d+(?:ms|s|m|h|d|w|y))+\s*\]/;

/**
 * Checks what can be checked without a Prometheus: placeholders and where they stand, fixed rate
 * windows, and bracket balance. PromQL syntax proper is left to Prometheus' parser (the preset
 * tests run every template against a real Prometheus).
 *
 * - `${window}` must be the whole range of a selector or subquery: `[${window}]`, `[${window}:]`.
 * - `${selector}` must be the last item of a matcher list: `{${selector}}` or `{a="b", ${selector}}`.
 *   It expands to nothing or to one matcher, and PromQL allows a trailing comma, so both spellings
 *   stay valid either way.
 * - Fixed ranges like `[5m]` are refused: the reader chooses one window for every source so their
 *   signals are comparable.
 * - `${1}` / `${name}` inside string literals are label_replace group references and are kept.
 */
export function validateTemplate(template: string): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  const stack: Array<{ char: string; offset: number }> = [];
  let i = 0;
  while (i < template.length) {
    const ch = template[i] as string;
    if (ch === '"' || ch === "'" || ch === '`') {
      i = skipString(template, i, problems);
      continue;
    }
    if (ch === '#') {
      while (i < template.length && template[i] !== '\n') {
        i++;
      }
      continue;
    }
    if (ch === '$' && template[i + 1] === '{') {
      i = checkPlaceholder(template, i, problems);
      continue;
    }
    if (ch === '[' && FIXED_RANGE.test(template.slice(i))) {
      problems.push({
        offset: i,
        message: 'fixed range window; write [${window}] so the reader sets one window for all sources',
      });
    }
    if (CLOSING[ch] !== undefined) {
      stack.push({ char: ch, offset: i });
    } else if (OPENING[ch] !== undefined) {
      const open = stack.pop();
      if (open === undefined) {
        problems.push({ offset: i, message: `unbalanced "${ch}" without an opening "${OPENING[ch]}"` });
      } else if (CLOSING[open.char] !== ch) {
        problems.push({ offset: i, message: `"${ch}" closes "${open.char}" opened at offset ${open.offset}` });
      }
    }
    i++;
  }
  for (const open of stack) {
    problems.push({ offset: open.offset, message: `"${open.char}" is never closed` });
  }
  return problems;
}

/** Returns the offset after the closing quote; inside strings only window/selector are wrong. */
function skipString(template: string, start: number, problems: TemplateProblem[]): number {
  const quote = template[start];
  let i = start + 1;
  while (i < template.length) {
    const ch = template[i];
    if (ch === '\\' && quote !== '`') {
      i += 2;
      continue;
    }
    if (ch === quote) {
      return i + 1;
    }
    if (ch === '$' && template.startsWith('${', i)) {
      const end = template.indexOf('}', i);
      const name = end > i ? template.slice(i + 2, end) : '';
      if (name === 'window' || name === 'selector') {
        problems.push({ offset: i, message: `\${${name}} inside a string literal would not be a ${name}` });
      }
    }
    i++;
  }
  problems.push({ offset: start, message: `string literal opened with ${quote} is never closed` });
  return template.length;
}

function checkPlaceholder(template: string, start: number, problems: TemplateProblem[]): number {
  const end = template.indexOf('}', start);
  if (end < 0) {
    problems.push({ offset: start, message: 'placeholder "${" is never closed' });
    return template.length;
  }
  const name = template.slice(start + 2, end);
  const before = previousNonSpace(template, start);
  const after = nextNonSpace(template, end + 1);
  if (name === 'window') {
    if (before !== '[' || (after !== ']' && after !== ':')) {
      problems.push({ offset: start, message: '${window} must be the whole range of a selector: [${window}]' });
    }
  } else if (name === 'selector') {
    if ((before !== '{' && before !== ',') || after !== '}') {
      problems.push({
        offset: start,
        message: '${selector} must be the last item inside label braces: {${selector}} or {a="b", ${selector}}',
      });
    }
  } else {
    problems.push({ offset: start, message: `unknown placeholder \${${name}} (allowed: \${window}, \${selector})` });
  }
  return end + 1;
}

function previousNonSpace(text: string, offset: number): string {
  for (let i = offset - 1; i >= 0; i--) {
    if (!/\s/.test(text[i] as string)) {
      return text[i] as string;
    }
  }
  return '';
}

function nextNonSpace(text: string, offset: number): string {
  for (let i = offset; i < text.length; i++) {
    if (!/\s/.test(text[i] as string)) {
      return text[i] as string;
    }
  }
  return '';
}
