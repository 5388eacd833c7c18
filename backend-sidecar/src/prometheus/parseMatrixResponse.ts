import { parseSampleValue } from './parseSampleValue.js';
import type { MatrixSeries, Point } from './types.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const COLON = 0x3a;

const HEAD = '{"status":"success","data":{"resultType":"matrix","result":[';

/** Digits, sign, decimal point and exponent: the characters of a JSON number. */
function isNumberChar(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || c === 0x2e || c === 0x2d || c === 0x2b || c === 0x65 || c === 0x45;
}

/** Thrown inside the parser when the text leaves the expected layout; the caller falls back. */
class Unexpected extends Error {}

/**
 * Reads a successful query_range answer straight from its text, for the layout Prometheus (and
 * Mimir, Thanos) write: `{"status":"success","data":{"resultType":"matrix","result":[{"metric":
 * {...},"values":[[t,"v"],...]},...]}` with optional `warnings` and `infos` after the data, and no
 * whitespace. Returns null for anything else (an error answer, native histograms, whitespace,
 * other fields), which the caller then decodes with JSON.parse. The result is the same as
 * JSON.parse plus the generic decoding; it just skips the intermediate [time, "value"] arrays and
 * value strings, which for a mesh of 10,000 services are millions per cycle.
 */
export function parseMatrixResponse(text: string): { result: MatrixSeries[]; warnings: string[] } | null {
  if (!text.startsWith(HEAD)) {
    return null;
  }
  try {
    return new MatrixReader(text).read();
  } catch (error) {
    if (error instanceof Unexpected) {
      return null;
    }
    throw error;
  }
}

class MatrixReader {
  readonly #text: string;
  #at = HEAD.length;

  constructor(text: string) {
    this.#text = text;
  }

  read(): { result: MatrixSeries[]; warnings: string[] } {
    const result: MatrixSeries[] = [];
    if (this.#peek() === CLOSE_BRACKET) {
      this.#at++;
    } else {
      for (;;) {
        result.push(this.#series());
        const c = this.#next();
        if (c === CLOSE_BRACKET) {
          break;
        }
        if (c !== COMMA) {
          throw new Unexpected();
        }
      }
    }
    this.#expect(CLOSE_BRACE); // end of data
    const warnings: string[] = [];
    for (;;) {
      const c = this.#next();
      if (c === CLOSE_BRACE) {
        break;
      }
      if (c !== COMMA) {
        throw new Unexpected();
      }
      const key = this.#string();
      this.#expect(COLON);
      if (key !== 'warnings' && key !== 'infos') {
        throw new Unexpected();
      }
      const notes = this.#stringList();
      if (key === 'warnings') {
        warnings.push(...notes);
      }
    }
    if (this.#at !== this.#text.length) {
      throw new Unexpected();
    }
    return { result, warnings };
  }

  #series(): MatrixSeries {
    this.#expect(OPEN_BRACE);
    this.#key('metric');
    const metric: Record<string, string> = {};
    this.#expect(OPEN_BRACE);
    if (this.#peek() === CLOSE_BRACE) {
      this.#at++;
    } else {
      for (;;) {
        const name = this.#string();
        if (name === '__proto__') {
          // JSON.parse makes it an own property; an assignment would not.
          throw new Unexpected();
        }
        this.#expect(COLON);
        metric[name] = this.#string();
        const c = this.#next();
        if (c === CLOSE_BRACE) {
          break;
        }
        if (c !== COMMA) {
          throw new Unexpected();
        }
      }
    }
    this.#expect(COMMA);
    this.#key('values');
    const points: Point[] = [];
    this.#expect(OPEN_BRACKET);
    if (this.#peek() === CLOSE_BRACKET) {
      this.#at++;
    } else {
      for (;;) {
        points.push(this.#point());
        const c = this.#next();
        if (c === CLOSE_BRACKET) {
          break;
        }
        if (c !== COMMA) {
          throw new Unexpected();
        }
      }
    }
    this.#expect(CLOSE_BRACE);
    return { metric, points };
  }

  /** [1700000000.5,"0.25"] */
  #point(): Point {
    const text = this.#text;
    this.#expect(OPEN_BRACKET);
    const start = this.#at;
    let i = start;
    // Whole seconds (the usual grid) are read digit by digit; anything else by Number(), exactly.
    let time = 0;
    for (let c = text.charCodeAt(i); c >= 0x30 && c <= 0x39; c = text.charCodeAt(++i)) {
      time = time * 10 + (c - 0x30);
    }
    if (i === start || i - start > 15 || text.charCodeAt(i) !== COMMA) {
      // Only the characters of a JSON number: Number() alone would also take hex, "Infinity" or spaces.
      for (let c = text.charCodeAt(i); isNumberChar(c); c = text.charCodeAt(++i)) {
        // scanning
      }
      time = Number(text.slice(start, i));
      if (i === start || !Number.isFinite(time)) {
        throw new Unexpected();
      }
    }
    this.#at = i;
    this.#expect(COMMA);
    this.#expect(QUOTE);
    const valueStart = this.#at;
    let end = valueStart;
    for (let c = text.charCodeAt(end); c !== QUOTE; c = text.charCodeAt(++end)) {
      // A sample value is a plain number or NaN/+Inf/-Inf: anything escaped is left to JSON.parse.
      if (c === BACKSLASH || c < 0x20 || Number.isNaN(c)) {
        throw new Unexpected();
      }
    }
    this.#at = end + 1;
    this.#expect(CLOSE_BRACKET);
    return [time, parseSampleValue(text.slice(valueStart, end))];
  }

  #key(name: string): void {
    if (this.#string() !== name) {
      throw new Unexpected();
    }
    this.#expect(COLON);
  }

  #stringList(): string[] {
    const out: string[] = [];
    this.#expect(OPEN_BRACKET);
    if (this.#peek() === CLOSE_BRACKET) {
      this.#at++;
      return out;
    }
    for (;;) {
      out.push(this.#string());
      const c = this.#next();
      if (c === CLOSE_BRACKET) {
        return out;
      }
      if (c !== COMMA) {
        throw new Unexpected();
      }
    }
  }

  /** A JSON string; escapes are left to JSON.parse (labels rarely have any). */
  #string(): string {
    const text = this.#text;
    this.#expect(QUOTE);
    const start = this.#at;
    let i = start;
    let escaped = false;
    for (;;) {
      const c = text.charCodeAt(i);
      if (Number.isNaN(c)) {
        throw new Unexpected();
      }
      if (c === BACKSLASH) {
        escaped = true;
        i += 2;
        continue;
      }
      if (c === QUOTE) {
        break;
      }
      if (c < 0x20) {
        throw new Unexpected();
      }
      i++;
    }
    this.#at = i + 1;
    return escaped ? (JSON.parse(text.slice(start - 1, i + 1)) as string) : text.slice(start, i);
  }

  #expect(code: number): void {
    if (this.#text.charCodeAt(this.#at) !== code) {
      throw new Unexpected();
    }
    this.#at++;
  }

  #peek(): number {
    return this.#text.charCodeAt(this.#at);
  }

  #next(): number {
    return this.#text.charCodeAt(this.#at++);
  }
}
