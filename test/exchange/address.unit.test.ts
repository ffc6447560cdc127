import { mulberry32, randomOrganisation, randomPerson, simulatedRegion } from '@hub/simulators';
import { describe, expect, it } from 'vitest';
import { divisionPart } from '@hub/router';
import { context } from './fixtures.ts';

/** Every county of Guangxi with towns and villages in the statistics bureau's codes (111), each with all its towns and villages. */
const region = simulatedRegion(mulberry32(1), { counties: 200 });

describe('divisionPart: the leading administrative names of an address', () => {
  it.each([
    // Guangxi, as household registers, real-estate titles and business registers write it
    ['广西壮族自治区南宁市兴宁区民生路88号', '广西壮族自治区南宁市兴宁区'],
    ['南宁市青秀区民族大道123号5栋2单元1203室', '南宁市青秀区'],
    ['南宁市武鸣区城厢镇那马村3组45号', '南宁市武鸣区城厢镇那马村'],
    ['钦州市钦南区尖山街道', '钦州市钦南区尖山街道'], // 钦州 + 市: 州 alone would end a prefecture
    ['南宁市横州市南乡镇那马村2组8号', '南宁市横州市南乡镇那马村'], // 南乡 + 镇
    ['柳州市融水苗族自治县融水镇新安社区7组12号', '柳州市融水苗族自治县融水镇新安社区'],
    ['柳州市三江侗族自治县古宜镇', '柳州市三江侗族自治县古宜镇'],
    ['北海市海城区东街街道中山东路10号', '北海市海城区东街街道'], // a street office whose name holds 街
    ['南宁市西乡塘区西乡塘街道', '南宁市西乡塘区西乡塘街道'],
    ['百色市田阳区五村镇弄里村9组57号', '百色市田阳区五村镇弄里村'], // 弄 begins a Zhuang place name here
    ['梧州市蒙山县黄村镇道冲村9组66号', '梧州市蒙山县黄村镇道冲村'],
    ['来宾市兴宾区良江镇罗村社区7组57号', '来宾市兴宾区良江镇罗村社区'],
    ['贵港市平南县大安镇儒村村5组8号', '贵港市平南县大安镇儒村村'],
    ['上思县叫安镇熟康村村委会', '上思县叫安镇熟康村村委会'],
    ['南宁市青秀区东葛路社区居委会', '南宁市青秀区东葛路社区居委会'], // a community named after its road
    ['防城港市东兴市江平镇\uE08B尾村11组116号', '防城港市东兴市江平镇\uE08B尾村'], // a rare character in the private-use area
    ['河池市宜州区同德乡楞（同音）村5组47号', '河池市宜州区同德乡'], // punctuation ends the division part: the rest is masked
    ['广西南宁市青秀区民族大道1号', '广西南宁市青秀区'],
    ['广西壮族自治区 南宁市 青秀区 民族大道1号', '广西壮族自治区 南宁市 青秀区'],
    // elsewhere in China
    ['北京市朝阳区建国路88号', '北京市朝阳区'],
    ['新疆维吾尔自治区乌鲁木齐市新市区北京南路12号', '新疆维吾尔自治区乌鲁木齐市新市区'],
    ['湖北省恩施土家族苗族自治州恩施市舞阳坝街道', '湖北省恩施土家族苗族自治州恩施市舞阳坝街道'],
    ['内蒙古自治区锡林郭勒盟锡林浩特市希日塔拉街道', '内蒙古自治区锡林郭勒盟锡林浩特市希日塔拉街道'],
    ['黑龙江省大兴安岭地区漠河市北极镇北极村', '黑龙江省大兴安岭地区漠河市北极镇北极村'],
    ['广东省东莞市虎门镇连升路1号', '广东省东莞市虎门镇'], // a town directly under a city
    ['贵州省六盘水市六枝特区平寨镇', '贵州省六盘水市六枝特区平寨镇'],
    // roads named like divisions are not divisions
    ['南宁市青秀区新村路8号', '南宁市青秀区'],
    ['南宁市新市路12号', '南宁市'],
    ['南宁市青秀区镇北路3号', '南宁市青秀区'],
    ['南宁市青秀区乡村大道5号', '南宁市青秀区'],
    ['南宁市青秀区城中村路2号', '南宁市青秀区'],
    ['南宁市新区路1号', '南宁市'],
    ['南宁市青秀区新村道12号', '南宁市青秀区'],
    ['南宁市青秀区新村街5号', '南宁市青秀区'],
    ['新村路12号', ''],
    ['南宁市青秀区县前街1号', '南宁市青秀区'],
    ['南宁市青秀区民族大道东葛新村5栋', '南宁市青秀区'], // an estate (新村) past a road is no village
    ['南宁市青秀区中山路新村花园3栋', '南宁市青秀区'],
    ['南宁市青秀区中山路乡村花园3栋', '南宁市青秀区'],
    // division names that hold a road word
    ['南宁市上林县巷贤镇中山路12号', '南宁市上林县巷贤镇'],
    ['梧州市岑溪市马路镇', '梧州市岑溪市马路镇'],
    ['贺州市八步区贺街镇', '贺州市八步区贺街镇'],
    ['北海市合浦县廉州镇车路塘村8组118号', '北海市合浦县廉州镇车路塘村'],
    ['玉林市容县黎村镇黎村街村10组75号', '玉林市容县黎村镇黎村街村'],
    ['钦州市灵山县平山镇路东村3组1号', '钦州市灵山县平山镇路东村'],
    // nothing to keep
    ['民族大道123号', ''],
    ['No. 12 Minzu Avenue, Nanning', ''],
    ['', ''],
  ])('%s → %s', (address, kept) => {
    expect(divisionPart(address)).toBe(kept);
  });

  it('on every village of the region, as the household register writes addresses: never more than the division, the division in all but odd names', () => {
    // Every county of Guangxi the simulators know, every town, every village: one resident each.
    const random = mulberry32(9);
    let addresses = 0;
    const tooMuch: string[] = [];
    const tooLittle: string[] = [];
    for (const county of region.counties) {
      for (const town of county.towns) {
        for (const village of town.villages) {
          const { address } = randomPerson(random, region, { bornFrom: '1950-01-01', bornTo: '2000-12-31', place: { county, town, village } });
          const head = `${address.startsWith(region.provinceName) ? region.provinceName : ''}${county.cityName === county.name ? '' : county.cityName}${county.name}`;
          // A street office's addresses go head, road, number; a town's go on with the town, the village and the group.
          const expected = town.urban ? head : address.replace(/\d+组\d+号$/, '');
          const kept = divisionPart(address);
          addresses += 1;
          if (kept === expected) continue;
          (expected.startsWith(kept) ? tooLittle : tooMuch).push(`${address}: kept ${kept}, the division is ${expected}`);
        }
      }
    }
    expect(region.counties).toHaveLength(111);
    expect(addresses).toBeGreaterThan(16_000);
    expect(tooMuch).toEqual([]);
    // The few the rule cuts short are the register's own oddities: committee names with a typo (村委委会,
    // 社区居民会), names with brackets (楞（同音）塘村), a village named after its town (太阳村镇村).
    expect(tooLittle.length, tooLittle.join('\n')).toBeLessThanOrEqual(Math.ceil(addresses * 0.002));
  });

  it('on business addresses (住所, 经营场所) of organisations across the region: the county, nothing after it', () => {
    const random = mulberry32(11);
    for (let i = 0; i < 3_000; i += 1) {
      const organisation = randomOrganisation(random, region, context.today);
      const { county } = organisation.place;
      const head = `${county.cityName === county.name ? '' : county.cityName}${county.name}`;
      expect(divisionPart(organisation.address), organisation.address).toBe(head);
    }
  });
});
