import { ConfigError, loadConfig } from '@harbour/kernel';
import { languageGroup, reportingRegion, reportsSettings } from './reports.settings.js';

const settings = (env: Record<string, string>) => reportsSettings(loadConfig({ LOG_LEVEL: 'silent', ...env }));

describe('reports settings', () => {
  it('maps region codes to configured reporting regions, and everything else to other or unknown', () => {
    const s = settings({ HARBOUR_REPORT_REGIONS: '{"toronto":["on-toronto","on-peel"],"north":["on-sudbury"]}' });
    expect(s.regions).toEqual(['north', 'toronto', 'other', 'unknown']);
    expect([reportingRegion(s, 'on-peel'), reportingRegion(s, 'on-ottawa'), reportingRegion(s, null)]).toEqual([
      'toronto',
      'other',
      'unknown',
    ]);
    expect(s.k).toBe(5);
    expect(s.period).toBe('month');
  });

  it('groups languages by primary subtag among the configured ones', () => {
    const s = settings({ HARBOUR_REPORT_LANGUAGES: 'en,fr,tl' });
    expect(['en-CA', 'tl', 'pt-BR', '', 'FR'].map((t) => languageGroup(s, t))).toEqual([
      'en',
      'tl',
      'other',
      'unknown',
      'fr',
    ]);
  });

  it('refuses bad values at boot, naming the variable', () => {
    const names = (env: Record<string, string>) => {
      try {
        settings(env);
      } catch (error) {
        return (error as ConfigError).variables;
      }
      return [];
    };
    expect(names({ HARBOUR_REPORT_K: '2' })).toEqual(['HARBOUR_REPORT_K']);
    expect(names({ HARBOUR_REPORT_REGIONS: 'toronto=on-toronto' })).toEqual(['HARBOUR_REPORT_REGIONS']);
    expect(names({ HARBOUR_REPORT_REGIONS: '{"a1":["on-toronto"],"b1":["on-toronto"]}' })).toEqual([
      'HARBOUR_REPORT_REGIONS',
    ]);
    expect(names({ HARBOUR_REPORT_REGIONS: '{"other":["on-toronto"]}' })).toEqual(['HARBOUR_REPORT_REGIONS']);
    expect(names({ HARBOUR_REPORT_PERIOD: 'week' })).toEqual(['HARBOUR_REPORT_PERIOD']);
    expect(names({ HARBOUR_REPORT_DP_BUDGET: '-1' })).toEqual(['HARBOUR_REPORT_DP_BUDGET']);
    expect(names({ HARBOUR_REPORT_DP_BUDGET: '0' })).toEqual(['HARBOUR_REPORT_DP_BUDGET']);
  });
});
