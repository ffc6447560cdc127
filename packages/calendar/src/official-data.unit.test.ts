import { describe, expect, it } from 'vitest';
import shipped from '../data/cn-official.json' with { type: 'json' };
import { citedNotices, officialCalendarFile, readChineseDays } from '../scripts/official-data.ts';

describe('data/cn-official.json', () => {
  it('is what scripts/generate.ts makes from the installed chinese-days (run it after an upgrade)', () => {
    expect(shipped).toEqual(officialCalendarFile(readChineseDays()));
  });

  it('cites a State Council notice on gov.cn for every year', () => {
    for (const year of shipped.years) expect(shipped.notes.find((n) => n.startsWith(`${year}: `))).toMatch(/^\d{4}: https?:\/\/(www\.)?gov\.cn\//);
  });

  it('takes the 2025 and 2026 notices', () => {
    expect(shipped.notes).toContain('2025: https://www.gov.cn/zhengce/zhengceku/202411/content_6986383.htm');
    expect(shipped.notes).toContain('2026: https://www.gov.cn/zhengce/zhengceku/202511/content_7047091.htm');
  });
});

describe('citedNotices', () => {
  it('reads the year and every address from the comment above each arrangement', () => {
    const source = [
      '/**',
      ' * 2020',
      ' * http://www.gov.cn/a.htm',
      ' * 一、元旦',
      ' * http://www.gov.cn/b.htm',
      ' */',
      '/**',
      ' * 2005',
      ' * https://zhidao.baidu.com/question/1.html',
      ' */',
      '/** not a year */',
    ].join('\n');
    expect([...citedNotices(source)]).toEqual([
      [2020, ['http://www.gov.cn/a.htm', 'http://www.gov.cn/b.htm']],
      [2005, ['https://zhidao.baidu.com/question/1.html']],
    ]);
  });
});
