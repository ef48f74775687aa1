import { describe, expect, it } from '@jest/globals';
import { negotiateReportFormat } from '../../shared/report/negotiateReportFormat.js';

describe('negotiateReportFormat', () => {
  it('?format= wins, case-insensitive; an unknown one is refused', () => {
    expect(negotiateReportFormat('HTML', 'application/json')).toBe('html');
    expect(negotiateReportFormat('text', null)).toBe('text');
    expect(negotiateReportFormat('pdf', 'text/html')).toBeNull();
  });

  it('no Accept, or */*: JSON (what scripts and curl get)', () => {
    expect(negotiateReportFormat(null, null)).toBe('json');
    expect(negotiateReportFormat('', '*/*')).toBe('json');
  });

  it('a browser gets HTML', () => {
    expect(negotiateReportFormat(null, 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8')).toBe('html');
  });

  it('q-values decide, then header order; q=0 means never', () => {
    expect(negotiateReportFormat(null, 'text/html;q=0.5, application/json')).toBe('json');
    expect(negotiateReportFormat(null, 'text/plain, text/html')).toBe('text');
    expect(negotiateReportFormat(null, 'application/json;q=0, text/plain;q=0.1')).toBe('text');
  });

  it('only types the report does not have: refused (406)', () => {
    expect(negotiateReportFormat(null, 'image/png, application/pdf')).toBeNull();
  });
});
