import { PROVINCES } from '@hub/identifiers';

/**
 * The division part of a Chinese address (地址的行政区划部分): the leading
 * administrative names, province (省/自治区/直辖市), city (市/州/盟/地区), county
 * (区/县/旗/县级市), town (乡/镇/街道) and village or community (村/社区), each
 * level at most once, in that order, any of them absent. What follows (road,
 * number, hamlet group, estate, building, room) is what masking hides.
 *
 * The rule reads the text alone, with no division list, so that it works on
 * any record at delivery speed:
 * - a province is one of the GB/T 2260 province names, spelt out;
 * - any other unit is a name of Han characters and one of its level's
 *   suffixes, the shortest first (那马村3组 stops at 那马村; a street office,
 *   街道, is looked for before 乡 and 镇, which also sit inside its names:
 *   西乡塘街道);
 * - a name never holds a digit, a Latin letter or punctuation, so a house
 *   number always ends the division part;
 * - a name holds a road word (路, 街, 巷, 大道, …) only as its first or second
 *   character (巷贤镇, 路东村, 大路底村, 马路镇) or, for a village or
 *   community named after its street, right before 村 or 社区 (白沙街村,
 *   民主路社区); anywhere else the road word belongs to a road, and a unit
 *   that reached across it would keep the road's name (民族大道东葛新村 is an
 *   estate, 中山路乡村花园 no town);
 * - a unit right before a road word is the name of that road, not a division
 *   (新村路 is no village 新村), unless a lower level's unit begins there
 *   (上林县巷贤镇); before a building word (号, 栋, 楼, 单元, …) only when a
 *   number follows (新村道12号, but 黄村镇道冲村);
 * - a few compounds complete a unit: 钦州 + 市, 新市 + 区, 南乡 + 镇, 新村 + 村委会, 渡村 + 社区.
 *
 * When in doubt it keeps less: an unrecognised name ends the division part
 * and the rest is masked. The tests run it on a resident of every village of
 * Guangxi and on business addresses, as the simulators write them.
 */
export function divisionPartLength(address: string): number {
  const chars = Array.from(address);
  let at = skipBlanks(chars, 0);
  let kept = 0;
  for (let level = 0; level < LEVELS.length; level += 1) {
    const end = unitAt(level, chars, at);
    if (end === undefined) continue;
    kept = end;
    at = skipBlanks(chars, end);
  }
  return kept;
}

/** The division part itself (a prefix of `address`, counted in code points). */
export function divisionPart(address: string): string {
  return Array.from(address).slice(0, divisionPartLength(address)).join('');
}

type Chars = readonly string[];

interface Level {
  /** Where a unit of this level starting at `at` may end, most likely first. */
  candidates(chars: Chars, at: number): Iterable<number>;
}

interface SuffixLevel {
  /** Longest first: at one length of name, 自治县 is tried before 县. */
  readonly suffixes: readonly string[];
  /** Suffixes looked for first, at any length of name (街道 before the 乡 of 西乡塘街道). */
  readonly preferred?: readonly string[];
  /** Longest name before the suffix, in characters; Guangxi's longest village name has 19. */
  readonly maxName: number;
  /** [unit ending ('' for any), what may follow]: the following text completes the unit (钦州 + 市). */
  readonly compounds: readonly (readonly [string, string])[];
  /** Suffixes that may follow a road word deep in a name: a community or village named after its street (东葛路社区, 白沙街村). */
  readonly afterRoad?: readonly string[];
}

/** Han characters, and the private-use code points departmental systems give rare characters (生僻字, e.g. U+E08B in 450681101201). */
const NAME_CHARACTER = /^[\p{Script=Han}\p{Co}]$/u;
const BLANK = /^[\s\u3000]$/u;

/** Words that name a road or lane (街道, a street office, is not one). */
const ROAD_WORDS = ['大道', '大街', '胡同', '路', '巷', '街'].map((word) => Array.from(word));
/** Words that number a road or building when a number follows (新村道12号, 3栋) but begin village names too (道冲村, 弄里村, 楼下村). */
const NUMBERED_WORDS = ['单元', '道', '弄', '号', '栋', '幢', '座', '楼', '层', '室'].map((word) => Array.from(word));
/** Village committees (村委会 …) complete a village name however the name itself ended (新村 + 村委会). */
const COMMITTEES = ['社区居民委员会', '社区居委会', '村民委员会', '居民委员会', '社区委员会', '村委会', '居委会', '委员会'];

const PROVINCE_NAMES = [...new Set(PROVINCES.values())].sort((a, b) => b.length - a.length).map((name) => Array.from(name));

const province: Level = {
  *candidates(chars, at) {
    const name = PROVINCE_NAMES.find((candidate) => startsWith(chars, at, candidate));
    if (name !== undefined) yield at + name.length;
  },
};

function suffixLevel(spec: SuffixLevel): Level {
  const suffixes = spec.suffixes.map((suffix) => Array.from(suffix));
  const preferred = (spec.preferred ?? []).map((suffix) => Array.from(suffix));
  const compounds = spec.compounds.map(([ending, next]) => [ending, Array.from(next)] as const);
  const afterRoad = (spec.afterRoad ?? []).map((suffix) => Array.from(suffix));
  const suffixAt = (chars: Chars, at: number, among: readonly string[][]) => among.find((suffix) => startsWith(chars, at, suffix));

  /** Ends of the units with a suffix in `among`, shortest name first. */
  function* withSuffix(chars: Chars, at: number, among: readonly string[][]): Generator<number> {
    for (let length = 1; length <= spec.maxName; length += 1) {
      const last = at + length - 1;
      const character = chars[last];
      if (character === undefined || !NAME_CHARACTER.test(character)) return;
      if (length > 2) {
        const road = roadWordAt(chars, last);
        // A road word further into a name: only a community's, right before 社区 (民主路社区); past it lies a road.
        if (road !== undefined && suffixAt(chars, last + road.length, afterRoad) === undefined) return;
      }
      const suffix = suffixAt(chars, last + 1, among);
      if (suffix !== undefined) yield last + 1 + suffix.length;
    }
  }

  /** A unit's end and its completions by compounds, the longest first. */
  function completions(chars: Chars, end: number): number[] {
    const ends = [end];
    for (let i = 0; i < 3; i += 1) {
      const from = ends[ends.length - 1] as number;
      const compound = compounds.find(([ending, next]) => (ending === '' || chars[from - 1] === ending) && startsWith(chars, from, next));
      if (compound === undefined) break;
      ends.push(from + compound[1].length);
    }
    return ends.reverse();
  }

  return {
    *candidates(chars, at) {
      const seen = new Set<number>();
      for (const among of [preferred, suffixes]) {
        for (const end of withSuffix(chars, at, among)) {
          for (const completed of completions(chars, end)) {
            if (!seen.has(completed)) yield completed;
            seen.add(completed);
          }
        }
      }
    },
  };
}

const LEVELS: readonly Level[] = [
  province,
  suffixLevel({ suffixes: ['自治州', '地区', '市', '州', '盟'], maxName: 10, compounds: [['州', '市']] }),
  suffixLevel({ suffixes: ['自治县', '自治旗', '林区', '特区', '区', '县', '旗', '市'], maxName: 14, compounds: [['市', '区']] }),
  suffixLevel({ suffixes: ['民族乡', '街道', '苏木', '镇', '乡'], preferred: ['街道'], maxName: 14, compounds: [['乡', '镇']] }),
  suffixLevel({
    suffixes: ['社区居民委员会', '社区居委会', '村民委员会', '居民委员会', '村委会', '居委会', '社区', '嘎查', '村'],
    maxName: 20,
    // 中村 + 村, 渡村 + 社区, 大东社区 + 委员会: names that end in a suffix and go on.
    compounds: [...COMMITTEES, '社区', '村'].map((next) => ['', next] as const),
    afterRoad: ['社区居民委员会', '社区居委会', '村民委员会', '村委会', '社区', '村'],
  }),
];

/** The end of the unit of `LEVELS[level]` at `at`: its first candidate that no road follows. */
function unitAt(level: number, chars: Chars, at: number): number | undefined {
  const spec = LEVELS[level] as Level;
  for (const end of spec.candidates(chars, at)) if (!roadFollows(level, chars, end)) return end;
  return undefined;
}

/** Whether the text at `at` goes on with a road or a building number, so what ends there is that road's name. */
function roadFollows(level: number, chars: Chars, at: number): boolean {
  const numbered = NUMBERED_WORDS.find((word) => startsWith(chars, at, word));
  if (numbered !== undefined) {
    const next = chars[at + numbered.length];
    return next === undefined || !NAME_CHARACTER.test(next);
  }
  if (roadWordAt(chars, at) === undefined) return false;
  // 巷贤镇, 路东村: a lower level's name may begin with a road word.
  for (let lower = level + 1; lower < LEVELS.length; lower += 1) if (unitAt(lower, chars, at) !== undefined) return false;
  return true;
}

/** The road word starting at `at`, if any; 街道 is a street office, 东街街道 one named after its street. */
function roadWordAt(chars: Chars, at: number): readonly string[] | undefined {
  if (chars[at] === '街' && (chars[at + 1] === '道' || (chars[at + 1] === '街' && chars[at + 2] === '道'))) return undefined;
  return ROAD_WORDS.find((word) => startsWith(chars, at, word));
}

function startsWith(chars: Chars, at: number, word: readonly string[]): boolean {
  if (at + word.length > chars.length) return false;
  for (let i = 0; i < word.length; i += 1) if (chars[at + i] !== word[i]) return false;
  return true;
}

function skipBlanks(chars: Chars, at: number): number {
  let i = at;
  while (i < chars.length && BLANK.test(chars[i] as string)) i += 1;
  return i;
}
