import { CaseFormatError } from './CaseFormatError.js';

/**
 * Minimal RFC 4180 reader: comma separated, optional double quotes with "" escapes, \n or \r\n
 * line ends. Returns the header and the rows; blank lines are skipped. Every row must have as
 * many fields as the header, because a short row silently shifting columns would corrupt data.
 */
export function parseCsv(text: string, where: string): { header: string[]; rows: string[][] } {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  let i = 0;
  const pushRecord = () => {
    record.push(field);
    field = '';
    if (!(record.length === 1 && record[0] === '')) {
      records.push(record);
    }
    record = [];
  };
  while (i < text.length) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else {
        field += ch;
      }
      i++;
      continue;
    }
    if (ch === '"' && field === '') {
      quoted = true;
    } else if (ch === ',') {
      record.push(field);
      field = '';
    } else if (ch === '\n') {
      pushRecord();
    } else if (ch !== '\r') {
      field += ch;
    }
    i++;
  }
  if (quoted) {
    throw new CaseFormatError(where, 'unterminated quoted field');
  }
  if (field !== '' || record.length > 0) {
    pushRecord();
  }
  const header = records.shift();
  if (header === undefined) {
    throw new CaseFormatError(where, 'is empty (no header line)');
  }
  records.forEach((row, n) => {
    if (row.length !== header.length) {
      throw new CaseFormatError(`${where}:${n + 2}`, `has ${row.length} fields, the header has ${header.length}`);
    }
  });
  return { header: header.map((h) => h.trim()), rows: records };
}
