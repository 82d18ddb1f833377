import type { MatchIdentity } from '../libs/sharing/src/matching/clk.js';

/**
 * A seeded generator of synthetic identities for the matcher (bench:matching and its unit test).
 * Names are drawn from groups of spellings of one name across alphabets and clerks, so a second
 * intake of the same person can carry a transliteration (Mohammed/Muhammad, Oleksandr/Aleksandr),
 * a typo, first and last names swapped, day and month swapped, a year off by one, or a field left
 * out. Every name and date is made up; no real person is described.
 */
export type Rng = () => number;

/** mulberry32: small, fast, seeded. */
export function seeded(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST: string[][] = [
  ['Mohammed', 'Muhammad', 'Mohamed', 'Mohammad', 'Muhamed'],
  ['Oleksandr', 'Aleksandr', 'Alexandr', 'Olexandr'],
  ['Yusuf', 'Jusuf', 'Youssef', 'Yousef'],
  ['Sofia', 'Sophia', 'Sofiya'],
  ['Olena', 'Elena', 'Alena'],
  ['Ahmed', 'Ahmad', 'Achmed'],
  ['Fatima', 'Fatimah', 'Fatma'],
  ['Aisha', 'Ayesha', 'Aicha'],
  ['Yuliia', 'Yulia', 'Julia', 'Iuliia'],
  ['Mykola', 'Nikolai', 'Nikolay'],
  ['Dmytro', 'Dmitri', 'Dmitry'],
  ['Natalia', 'Natalya', 'Nataliya'],
  ['Hussein', 'Hussain', 'Husein'],
  ['Khadija', 'Khadijah', 'Hadija'],
  ['Ibrahim', 'Ebrahim', 'Ibraheem'],
  ['Maria', 'Mariya', 'María'],
  ['José', 'Jose'],
  ['Nguyen Thi', 'Nguyen-Thi'],
  ['Zainab', 'Zaynab', 'Zeinab'],
  ['Svitlana', 'Svetlana'],
  ['Tetiana', 'Tatiana', 'Tatyana'],
  ['Omar', 'Umar'],
  ['Mariam', 'Maryam', 'Miriam'],
  ['Abdullah', 'Abdallah'],
  ['Iryna', 'Irina'],
  ['Serhii', 'Sergei', 'Sergey'],
  ['Li Na'],
  ['Wei'],
  ['Mei Ling'],
  ['Priya'],
  ['Ana Lucía', 'Ana Lucia'],
  ['Grace'],
  ['Esther'],
  ['Joy'],
  ['Blessing'],
  ['Amina', 'Aminah'],
  ['Rosa'],
  ['Carmen'],
  ['Lucía', 'Lucia'],
  ['Daniela'],
  ['Gabriela'],
  ['Andrea'],
  ['Elif'],
  ['Hanna', 'Ganna', 'Anna'],
  ['Kateryna', 'Ekaterina', 'Katerina'],
  ['Viktoriia', 'Viktoria', 'Victoria'],
  ['Thandiwe'],
  ['Nomvula'],
  ['Chiamaka'],
  ['Ngozi'],
  ['Adwoa'],
  ['Akosua'],
  ['Kwame'],
  ['Kofi'],
  ['Samuel'],
  ['Daniel'],
  ['David'],
  ['Joseph', 'Josef'],
  ['Peter', 'Petro', 'Pyotr'],
  ['Ivan'],
  ['Andrii', 'Andrei', 'Andrey'],
  ['Pooja'],
  ['Sunita'],
  ['Ravi'],
  ['Arjun'],
  ['Thi Lan'],
  ['Minh'],
  ['Linh'],
  ['Rahel'],
  ['Selam'],
  ['Hiwot'],
  ['Mercy'],
  ['Faith'],
  ['Precious'],
  ['Marisol'],
  ['Yesenia'],
  ['Guadalupe'],
  ['Ximena'],
  ['Valentina'],
  ['Leila', 'Layla', 'Laila'],
  ['Nour', 'Noor'],
  ['Rania'],
  ['Samira', 'Sameera'],
  ['Ali'],
  ['Hassan', 'Hasan'],
  ['Karim', 'Kareem'],
  ['Tariq', 'Tarik'],
  ['Bilal'],
  ['Sana'],
  ['Huda'],
  ['Mustafa', 'Mostafa'],
  ['Yevhen', 'Evgeny', 'Yevgeny'],
  ['Oksana'],
  ['Halyna', 'Galina'],
  ['Lyudmyla', 'Ludmila', 'Lyudmila'],
];

const LAST: string[][] = [
  ['Hassan', 'Hasan'],
  ['Ali'],
  ['Mohamed', 'Mohammed', 'Muhammad'],
  ['Ahmed', 'Ahmad'],
  ['Ibrahim'],
  ['Abdi'],
  ['Osman', 'Usman', 'Othman'],
  ['Shevchenko', 'Schewtschenko'],
  ['Kovalenko'],
  ['Bondarenko'],
  ['Tkachenko', 'Tkatschenko'],
  ['Kovalchuk', 'Kowaltschuk'],
  ['Melnyk', 'Melnik'],
  ['Boyko', 'Boiko'],
  ['Kravchenko'],
  ['Oliinyk', 'Oleynik'],
  ['Ivanova'],
  ['Petrova'],
  ['Smirnova'],
  ['Popescu'],
  ['Ionescu'],
  ['Nguyen', 'Nguyễn'],
  ['Tran', 'Trần'],
  ['Le', 'Lê'],
  ['Pham', 'Phạm'],
  ['Wang'],
  ['Li'],
  ['Zhang'],
  ['Chen'],
  ['Liu'],
  ['García', 'Garcia'],
  ['Rodríguez', 'Rodriguez'],
  ['Martínez', 'Martinez'],
  ['Hernández', 'Hernandez'],
  ['López', 'Lopez'],
  ['González', 'Gonzalez'],
  ['Pérez', 'Perez'],
  ['Sánchez', 'Sanchez'],
  ['Ramírez', 'Ramirez'],
  ['Cruz'],
  ['Flores'],
  ['Reyes'],
  ['Morales'],
  ['Santos'],
  ['Mensah'],
  ['Owusu'],
  ['Boateng'],
  ['Okafor'],
  ['Okonkwo'],
  ['Adeyemi'],
  ['Eze'],
  ['Nwosu'],
  ['Mwangi'],
  ['Otieno'],
  ['Kamau'],
  ['Dlamini'],
  ['Nkosi'],
  ['Tesfaye'],
  ['Bekele'],
  ['Haile'],
  ['Girma'],
  ['Kebede'],
  ['Singh'],
  ['Kumar'],
  ['Sharma'],
  ['Patel'],
  ['Das'],
  ['Khan'],
  ['Hussain', 'Hussein'],
  ['Rahman'],
  ['Yilmaz', 'Yılmaz'],
  ['Kaya'],
  ['Demir'],
  ['Şahin', 'Sahin'],
  ['Haddad'],
  ['Khoury', 'Khouri'],
  ['Mansour', 'Mansur'],
  ['Nasser', 'Nasr'],
  ['Saleh', 'Salih'],
  ['Yousef', 'Yusuf'],
  ['Rossi'],
  ['Silva'],
  ['Costa'],
  ['Oliveira'],
  ['Pereira'],
  ['Ferreira'],
  ['Kowalski'],
  ['Nowak'],
  ['Wiśniewski', 'Wisniewski'],
  ['Horvat'],
  ['Novak'],
  ['Dimitrov'],
  ['Georgiev'],
  ['Marin'],
  ['Moreau'],
  ['Dubois'],
  ['Smith'],
  ['Brown'],
  ['Wilson'],
];

const NATIONALITIES = [
  'UA',
  'SY',
  'AF',
  'SO',
  'ER',
  'NG',
  'GH',
  'MX',
  'GT',
  'HN',
  'VN',
  'CN',
  'PH',
  'IN',
  'RO',
  'MD',
  'TR',
  'ET',
  'CA',
  'CO',
];

export interface Person {
  /** Which name groups and which spelling: the truth the perturbations keep. */
  first: number;
  last: number;
  identity: MatchIdentity;
}

const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)];
const pad = (n: number) => String(n).padStart(2, '0');

/** A new person: a spelling of a first and a last name, a date of birth (1965–2008), mostly a nationality. */
export function person(rng: Rng): Person {
  const first = Math.floor(rng() * FIRST.length);
  const last = Math.floor(rng() * LAST.length);
  const given = pick(rng, FIRST[first]);
  const family = pick(rng, LAST[last]);
  const year = 1965 + Math.floor(rng() * 44);
  const dateOfBirth = `${year}-${pad(1 + Math.floor(rng() * 12))}-${pad(1 + Math.floor(rng() * 28))}`;
  const identity: MatchIdentity = { legalName: `${given} ${family}`, preferredName: given, dateOfBirth };
  if (rng() < 0.85) identity.nationality = pick(rng, NATIONALITIES);
  return { first, last, identity };
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz';

/** One typing slip in a word: a letter replaced, dropped, doubled or two letters swapped. */
export function typo(rng: Rng, word: string): string {
  if (word.length < 3) return word;
  const i = 1 + Math.floor(rng() * (word.length - 2));
  switch (Math.floor(rng() * 4)) {
    case 0:
      return word.slice(0, i) + pick(rng, [...ALPHABET]) + word.slice(i + 1);
    case 1:
      return word.slice(0, i) + word.slice(i + 1);
    case 2:
      return word.slice(0, i) + word[i] + word.slice(i);
    default:
      return word.slice(0, i - 1) + word[i] + word[i - 1] + word.slice(i + 1);
  }
}

/**
 * The same person recorded again at another agency, with what really happens between two
 * intakes: another transliteration (40%), a typo in the name (30%), first and last names
 * swapped (15%), day and month swapped (10%), the year off by one (5%), no date of birth (5%),
 * no nationality (15%), no legal name but the preferred one only (5%).
 */
export function recordedAgain(rng: Rng, p: Person): MatchIdentity {
  let given = rng() < 0.4 ? pick(rng, FIRST[p.first]) : p.identity.preferredName!;
  let family =
    rng() < 0.4 ? pick(rng, LAST[p.last]) : p.identity.legalName!.slice(p.identity.preferredName!.length + 1);
  if (rng() < 0.3) {
    if (rng() < 0.5) given = typo(rng, given);
    else family = typo(rng, family);
  }
  const out: MatchIdentity = {
    legalName: rng() < 0.15 ? `${family} ${given}` : `${given} ${family}`,
    preferredName: given,
  };
  if (rng() < 0.05) delete out.legalName;
  const [year, month, day] = p.identity.dateOfBirth!.split('-');
  if (rng() >= 0.05) {
    let y = Number(year);
    if (rng() < 0.05) y += rng() < 0.5 ? -1 : 1;
    const swap = rng() < 0.1 && Number(day) <= 12;
    out.dateOfBirth = swap ? `${y}-${day}-${month}` : `${y}-${month}-${day}`;
  }
  if (p.identity.nationality && rng() >= 0.15) out.nationality = p.identity.nationality;
  return out;
}

export interface MatchingScenario {
  /** The records already stored, one per person. */
  records: MatchIdentity[];
  /** New intakes: `truth` is the index of the record of the same person, or null for a new person. */
  queries: Array<{ identity: MatchIdentity; truth: number | null }>;
}

/** `size` stored records and `queries` new intakes, half of them people already recorded. */
export function scenario(seed: number, size: number, queries: number): MatchingScenario {
  const rng = seeded(seed);
  const people = Array.from({ length: size }, () => person(rng));
  const out: MatchingScenario = { records: people.map((p) => p.identity), queries: [] };
  for (let q = 0; q < queries; q++) {
    if (q % 2 === 0) {
      const truth = Math.floor(rng() * size);
      out.queries.push({ identity: recordedAgain(rng, people[truth]), truth });
    } else out.queries.push({ identity: person(rng).identity, truth: null });
  }
  return out;
}

/**
 * Precision and recall of a matcher over a scenario, per query: a true positive when the
 * person's own record is among the matches, a false positive when there are matches but not it
 * (a new person, or the wrong record), a false negative when a stored person's record is missed.
 */
export function score(
  s: MatchingScenario,
  matches: (identity: MatchIdentity) => number[],
): { precision: number; recall: number; truePositives: number; falsePositives: number; falseNegatives: number } {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const q of s.queries) {
    const found = matches(q.identity);
    const right = q.truth !== null && found.includes(q.truth);
    if (right) tp++;
    else if (found.length > 0) fp++;
    if (q.truth !== null && !right) fn++;
  }
  return {
    precision: tp + fp === 0 ? 1 : tp / (tp + fp),
    recall: tp + fn === 0 ? 1 : tp / (tp + fn),
    truePositives: tp,
    falsePositives: fp,
    falseNegatives: fn,
  };
}
