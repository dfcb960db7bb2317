// Where another app's mood or feeling names land in Thaw, by default. DOM-free.
// A name that is a Thaw word or core goes there. A feeling word Thaw doesn't have (stressed,
// tired, ecstatic…) stays the person's own word under the nearest core. Rating words (rad, good,
// meh, okay, awful, and the same in other languages) go to a Thaw feeling. A level (Daylio's 1–5
// or a 1–10 rating) decides when the name says nothing. Only what is truly unknown is
// "Numb / can't tell" — and the person can change every one of these before importing.
import { LIMITS, cleanLabel } from './entry.js';
import { CORES, NUMB, coreOfWord } from './feelings.js';

/** How a name is compared: one spelling of apostrophes and spaces, lower case. */
export function nameKey(text) {
  return cleanLabel(String(text ?? '').replace(/[\u2018\u2019\u02bc\u00b4`]/g, "'").replace(/[\u201c\u201d]/g, '"'));
}

// Rating words: the five Daylio levels (1 = best) and what each becomes.
export const LEVELS = {
  1: { core: 'happy', word: 'joyful' },
  2: { core: 'happy', word: 'content' },
  3: { core: 'calm' },
  4: { core: 'sad' },
  5: { core: 'sad', word: 'hopeless' },
};
const LEVEL_WORDS = {
  1: ['rad', 'awesome', 'amazing', 'great', 'fantastic', 'excellent', 'super', 'wonderful', 'brilliant', 'perfect', 'best',
    // es, pt, it, fr, de, pl, ru
    'genial', 'radiante', 'increíble', 'estupendo', 'excelente', 'ótimo', 'incrível', 'maravilhoso', 'fantastico',
    'ottimo', 'benissimo', 'génial', 'top', 'excellent', 'großartig', 'toll', 'fantastisch', 'prima', 'klasse', 'świetnie',
    'wspaniale', 'rewelacyjnie', 'super!', 'супер', 'отлично', 'прекрасно', 'великолепно'],
  2: ['good', 'nice', 'pretty good', 'pleasant', 'well', 'bien', 'bueno', 'buena', 'bem', 'bom', 'boa', 'bene', 'buono',
    'bon', 'gut', 'dobrze', 'dobry', 'хорошо', 'хороший'],
  3: ['meh', 'ok', 'okay', 'o.k.', 'alright', 'all right', 'fine', 'so-so', 'so so', 'average', 'neutral', 'normal', 'mid',
    'más o menos', 'regular', 'normal', 'mais ou menos', 'razoável', 'così così', 'normale', 'insomma', 'bof', 'moyen',
    'mouais', 'geht so', 'mittel', 'naja', 'okej', 'tak sobie', 'może być', 'przeciętnie', 'так себе', 'нормально', 'норм'],
  4: ['bad', 'not good', 'not great', 'low', 'mal', 'malo', 'ruim', 'male', 'brutto', 'mauvais', 'schlecht', 'mies', 'źle',
    'kiepsko', 'słabo', 'плохо', 'плохой'],
  5: ['awful', 'terrible', 'horrible', 'horrid', 'worst', 'dreadful', 'fatal', 'horrible', 'terrible', 'péssimo', 'horrível',
    'terrível', 'terribile', 'orribile', 'pessimo', 'malissimo', 'affreux', 'nul', 'furchtbar', 'schrecklich', 'miserabel',
    'okropnie', 'fatalnie', 'strasznie', 'tragicznie', 'ужасно', 'отвратительно', 'кошмар'],
};

// Feeling words Thaw doesn't list, by the core they sit nearest. They stay the person's word.
// The 100-word mood meter and How We Feel's words are here, with common synonyms.
const NEAREST = {
  happy: ['happy', 'glad', 'cheerful', 'ecstatic', 'elated', 'pleased', 'optimistic', 'energized', 'energised', 'energetic',
    'inspired', 'motivated', 'determined', 'confident', 'enthusiastic', 'thrilled', 'blissful', 'delighted', 'fulfilled',
    'satisfied', 'productive', 'focused', 'lively', 'euphoric', 'upbeat', 'amused', 'silly', 'accomplished', 'empowered',
    'pumped', 'hyper', 'exhilarated', 'festive', 'pleasant', 'blessed', 'glowing', 'jubilant', 'successful', 'brave',
    'capable', 'challenged', 'free', 'appreciative', 'thankful', 'joy', 'joyous', 'feliz', 'contento', 'contenta',
    'felice', 'heureux', 'heureuse', 'glücklich', 'froh', 'szczęśliwy', 'szczęśliwa', 'счастлив', 'счастлива', 'радость'],
  calm: ['calm', 'serene', 'tranquil', 'chill', 'chilled', 'at ease', 'easygoing', 'comfortable', 'mellow', 'balanced',
    'centered', 'centred', 'cozy', 'cosy', 'thoughtful', 'reflective', 'secure', 'carefree', 'restful', 'sleepy',
    'complacent', 'settled', 'still', 'quiet', 'soothed', 'refreshed', 'present', 'mindful', 'patient', 'tranquilo',
    'tranquila', 'calmo', 'calma', 'sereno', 'serena', 'calme', 'ruhig', 'entspannt', 'spokojny', 'spokojna',
    'спокойно', 'спокойный', 'спокойствие'],
  loving: ['love', 'loved', 'affectionate', 'connected', 'appreciated', 'supported', 'intimate', 'romantic', 'caring',
    'empathetic', 'included', 'respected', 'valued', 'touched', 'accepted', 'adored', 'sympathetic', 'kind', 'understood',
    'enamorado', 'enamorada', 'amado', 'verliebt', 'zakochany', 'zakochana', 'влюблён', 'любовь'],
  surprised: ['surprise', 'astonished', 'awed', 'in awe', 'intrigued', 'interested', 'stunned', 'dazed', 'puzzled',
    'perplexed', 'bewildered', 'disoriented', 'speechless', 'awestruck', 'fascinated', 'sorprendido', 'sorprendida',
    'surpris', 'surprise', 'überrascht', 'zaskoczony', 'zaskoczona', 'удивлён', 'удивлена'],
  sad: ['sad', 'down', 'blue', 'unhappy', 'depressed', 'miserable', 'gloomy', 'melancholy', 'melancholic', 'heartbroken',
    'despair', 'despairing', 'despondent', 'empty', 'lost', 'bored', 'tired', 'exhausted', 'drained', 'fatigued', 'spent',
    'apathetic', 'alienated', 'excluded', 'left out', 'isolated', 'homesick', 'nostalgic', 'pessimistic', 'sorrowful',
    'sullen', 'glum', 'morose', 'burned out', 'burnt out', 'burnout', 'disconnected', 'unmotivated', 'lethargic',
    'listless', 'disheartened', 'desolate', 'depleted', 'crushed', 'devastated', 'forlorn', 'grief', 'low energy',
    'sick', 'unwell', 'triste', 'cansado', 'cansada', 'deprimido', 'deprimida', 'stanco', 'stanca', 'fatigué',
    'fatiguée', 'traurig', 'müde', 'smutny', 'smutna', 'zmęczony', 'zmęczona', 'грустно', 'грусть', 'устал', 'устала'],
  scared: ['scared', 'afraid', 'fearful', 'frightened', 'terrified', 'stressed', 'stress', 'tense', 'uneasy', 'restless',
    'on edge', 'jittery', 'apprehensive', 'concerned', 'troubled', 'pressured', 'panicked', 'panic', 'frazzled', 'shaky',
    'unsafe', 'threatened', 'unsure', 'uncertain', 'doubtful', 'fear', 'fright', 'dread', 'alarmed', 'paranoid',
    'ansioso', 'ansiosa', 'estresado', 'estresada', 'nervioso', 'nerviosa', 'preocupado', 'preocupada', 'stressato',
    'stressata', 'stressé', 'stressée', 'inquiet', 'inquiète', 'ängstlich', 'gestresst', 'besorgt', 'zestresowany',
    'zestresowana', 'niespokojny', 'тревожно', 'тревога', 'страх', 'стресс'],
  angry: ['angry', 'mad', 'irritated', 'irritable', 'fuming', 'enraged', 'livid', 'outraged', 'hostile', 'bitter',
    'disgusted', 'grumpy', 'cranky', 'agitated', 'impatient', 'envious', 'contempt', 'peeved', 'aggravated', 'hateful',
    'repulsed', 'irked', 'vengeful', 'rage', 'anger', 'enfadado', 'enfadada', 'enojado', 'enojada', 'arrabbiato',
    'arrabbiata', 'en colère', 'fâché', 'fâchée', 'wütend', 'verärgert', 'sauer', 'zły na', 'wściekły', 'wściekła',
    'злой', 'злая', 'злость', 'раздражение'],
  ashamed: ['ashamed', 'shame', 'remorseful', 'sorry', 'awkward', 'worthless', 'self-critical', 'unworthy', 'foolish',
    'silly me', 'stupid', 'mortified', 'avergonzado', 'avergonzada', 'culpable', 'vergognoso', 'honteux', 'honteuse',
    'beschämt', 'zawstydzony', 'zawstydzona', 'стыдно', 'стыд'],
};
const NUMB_WORDS = ['numb', 'nothing', 'blank', "can't tell", 'cant tell', "don't know", 'dont know', 'idk', 'unknown',
  'indifferent', 'detached', 'numb / can\'t tell', 'nic', 'nada', 'niente', 'rien', 'nichts', 'ничего'];

let table = null;

function buildTable() {
  const map = new Map();
  const put = (name, value) => { const key = nameKey(name); if (!map.has(key)) map.set(key, value); };
  put(NUMB.id, { core: NUMB.id });
  put(NUMB.label, { core: NUMB.id });
  for (const c of CORES) {
    put(c.id, { core: c.id });
    put(c.label, { core: c.id });
    for (const [w] of c.words) put(w, { core: c.id, word: w });
  }
  for (const [level, names] of Object.entries(LEVEL_WORDS)) for (const n of names) put(n, { ...LEVELS[level] });
  for (const [core, names] of Object.entries(NEAREST)) for (const n of names) put(n, { core, own: true });
  for (const n of NUMB_WORDS) put(n, { core: NUMB.id });
  return map;
}

/** May this name be kept as the person's own feeling word (short, plain, not a word of another core)? */
export function canBeOwnWord(name, core) {
  const word = cleanLabel(name);
  if (!word || core === NUMB.id || [...word].length > LIMITS.word || /[\u0000-\u001f\u007f]/.test(word)) return false;
  const home = coreOfWord(word);
  return !home || home === core;
}

/**
 * The feeling a name becomes unless the person chooses otherwise: {core, word?, known}.
 * `level` is Daylio's 1 (best) to 5, used when the name is unknown; `keepOwnWords` (default true)
 * keeps a feeling word Thaw lacks as the person's own word under its nearest core.
 */
export function suggestFeeling(name, { level = null, keepOwnWords = true } = {}) {
  table ??= buildTable();
  const key = nameKey(name);
  const found = table.get(key) ?? table.get(key.replace(/[.!?…]+$/u, '')) ?? table.get(key.replace(/^(i'?m|i am|feeling|feel) /, ''));
  if (found) {
    if (found.own) {
      return keepOwnWords && canBeOwnWord(key, found.core)
        ? { core: found.core, word: key, known: true } : { core: found.core, known: true };
    }
    return { ...found, known: true };
  }
  if (LEVELS[level]) return { ...LEVELS[level], known: true };
  return { core: NUMB.id, known: false };
}

/** A suggestion as a check-in's feeling: {core} or {core, word}. */
export function asFeeling({ core, word }) {
  return word ? { core, word } : { core };
}

/** Daylio's level 1 (best) to 5 from a 1–10 rating where 10 is best (Bearable's mood). */
export function levelOfRating(rating) {
  if (!Number.isFinite(rating) || rating < 1 || rating > 10) return null;
  return Math.min(5, Math.max(1, 5 - Math.floor((rating - 1) / 2)));
}

/** A feeling as the value of a choice in the mapping screen ("sad|weary", "calm|"), and back. */
export const feelingValue = ({ core, word }) => `${core}|${word ?? ''}`;
export function feelingFromValue(value) {
  const cut = String(value).indexOf('|');
  const core = cut < 0 ? value : value.slice(0, cut);
  const word = cut < 0 ? '' : value.slice(cut + 1);
  return word ? { core, word } : { core };
}

/**
 * Every feeling one imported name may become, grouped by core: Numb, then for each core "Just
 * <core>", Thaw's words, and the name itself kept as the person's own word when it can be one.
 * [{label, options: [{value, text}]}] — the mapping screen draws it as a select.
 */
export function feelingChoices(name) {
  const own = cleanLabel(name);
  const groups = [{ label: NUMB.label, options: [{ value: feelingValue({ core: NUMB.id }), text: NUMB.label }] }];
  for (const c of CORES) {
    const options = [{ value: feelingValue({ core: c.id }), text: `Just ${c.label.toLowerCase()}` }];
    for (const [w] of c.words) options.push({ value: feelingValue({ core: c.id, word: w }), text: `${c.label} · ${w}` });
    if (own && own !== c.id && !c.words.some(([w]) => w === own) && canBeOwnWord(own, c.id)) {
      options.push({ value: feelingValue({ core: c.id, word: own }), text: `${c.label} · ${own} (yours)` });
    }
    groups.push({ label: c.label, options });
  }
  return groups;
}

/** "Sad · weary", "Calm", "Numb / can’t tell": how a mapped feeling is said in the summary. */
export function feelingText({ core, word }) {
  const found = core === NUMB.id ? NUMB : CORES.find((c) => c.id === core);
  const label = found?.label ?? core;
  return word ? `${label} · ${word}` : label;
}
