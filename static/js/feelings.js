// Thaw's vocabulary: core feelings, precise words with plain one-line definitions, body regions,
// sensations and tags. Data, not code. Colours: `light`/`dark` are fills behind text INK/INK_DARK
// (tested for WCAG AA contrast in tests/js/feelings.test.js). A warm, bright hue (yellow, orange)
// darkened enough for light text turns brown, so in dark mode it stays bright and takes dark text
// (`inkDark`): each core keeps its hue in both schemes.

export const NUMB = {
  id: 'numb',
  label: 'Numb / can’t tell',
  short: 'Numb',
  definition: 'nothing clear right now — and that is a real answer',
  light: '#cdc9c4', dark: '#54514d',
};

export const INK = '#1d1a17';
export const INK_DARK = '#f6f2ed';

export const CORES = [
  {
    id: 'happy', label: 'Happy', energy: 'high', pleasant: true,
    place: [0.8, 0.6], // [pleasantness, energy], each −1…1: where it sits on the wheel
    definition: 'something feels good or goes well',
    light: '#f5cd63', dark: '#d9a93a', inkDark: INK,
    words: [
      ['joyful', 'lit up, glad from the inside'],
      ['content', 'enough as things are, nothing missing'],
      ['proud', 'glad about something you did or who you are'],
      ['hopeful', 'expecting something good could come'],
      ['playful', 'light, wanting to have fun'],
      ['grateful', 'thankful for something or someone'],
      ['excited', 'eager energy about what is coming'],
      ['relieved', 'a weight lifted because something worry-making passed'],
    ],
  },
  {
    id: 'calm', label: 'Calm', energy: 'low', pleasant: true,
    place: [0.6, -0.85],
    definition: 'quiet inside, nothing pulling hard',
    light: '#a3d7b4', dark: '#235c39',
    words: [
      ['peaceful', 'still, without inner struggle'],
      ['relaxed', 'body and mind let go a little'],
      ['safe', 'no threat here, you can lower your guard'],
      ['grounded', 'steady, feet on the floor, here and now'],
      ['rested', 'recovered, with energy back'],
      ['accepting', 'letting things be as they are for now'],
    ],
  },
  {
    id: 'loving', label: 'Loving', energy: 'low', pleasant: true,
    place: [0.85, -0.4],
    definition: 'warmth toward someone, or feeling close',
    light: '#f3b0c9', dark: '#822e55',
    words: [
      ['warm', 'soft goodwill toward someone'],
      ['close', 'near to someone, understood'],
      ['tender', 'gentle care, a little fragile'],
      ['trusting', 'able to rely on someone'],
      ['cared for', 'someone looked after you'],
      ['compassionate', 'moved by someone’s pain and wishing it eased'],
      ['belonging', 'part of something, with your people'],
    ],
  },
  {
    id: 'surprised', label: 'Surprised', energy: 'high', pleasant: null,
    place: [0.3, 0.9],
    definition: 'something unexpected caught your attention',
    light: '#f7bf93', dark: '#e08850', inkDark: INK,
    words: [
      ['amazed', 'struck by something bigger or better than expected'],
      ['confused', 'can’t make sense of it yet'],
      ['startled', 'a sudden jolt from something unexpected'],
      ['curious', 'wanting to know more'],
      ['moved', 'touched deeply by something'],
      ['shocked', 'hit hard by something you didn’t see coming'],
    ],
  },
  {
    id: 'sad', label: 'Sad', energy: 'low', pleasant: false,
    place: [-0.6, -0.8],
    definition: 'a sense of loss or something missing',
    light: '#a5c6ea', dark: '#285384',
    words: [
      ['lonely', 'wanting closeness that isn’t there right now'],
      ['disappointed', 'something hoped for didn’t happen'],
      ['grieving', 'aching for someone or something lost'],
      ['hurt', 'wounded by what someone said or did'],
      ['hopeless', 'it’s hard to see things getting better'],
      ['discouraged', 'your effort feels like it isn’t working'],
      ['longing', 'missing someone or something, wishing for it'],
      ['weary', 'worn down, tired in the heart'],
    ],
  },
  {
    id: 'scared', label: 'Scared', energy: 'high', pleasant: false,
    place: [-0.85, 0.4],
    definition: 'sensing danger or that something might go wrong',
    light: '#c8b7e8', dark: '#573b8c',
    words: [
      ['anxious', 'uneasy about what might happen'],
      ['worried', 'thoughts circling around a problem'],
      ['overwhelmed', 'too much at once to hold'],
      ['insecure', 'unsure you are good enough or wanted'],
      ['nervous', 'jittery before something'],
      ['panicky', 'fear rising fast, hard to think'],
      ['helpless', 'unable to change what is happening'],
      ['vulnerable', 'open to being hurt'],
    ],
  },
  {
    id: 'angry', label: 'Angry', energy: 'high', pleasant: false,
    place: [-0.6, 0.85],
    definition: 'something crossed a line or got in your way',
    light: '#f2a394', dark: '#942f21',
    words: [
      ['annoyed', 'mildly bothered by something'],
      ['frustrated', 'blocked from what you are trying to do'],
      ['resentful', 'holding on to being treated unfairly'],
      ['furious', 'anger running hot and strong'],
      ['jealous', 'afraid of losing someone or something to another'],
      ['betrayed', 'someone you trusted let you down'],
      ['defensive', 'ready to protect yourself from blame'],
    ],
  },
  {
    id: 'ashamed', label: 'Ashamed', energy: 'low', pleasant: false,
    place: [-0.85, -0.35],
    definition: 'a painful sense about yourself in others’ eyes',
    light: '#d8be9e', dark: '#684d31',
    words: [
      ['embarrassed', 'uncomfortable at being seen in a moment'],
      ['guilty', 'feeling you did something wrong'],
      ['inadequate', 'as if you are not enough'],
      ['exposed', 'seen more than you wanted to be'],
      ['regretful', 'wishing you had done something differently'],
      ['self-conscious', 'very aware of how you come across'],
      ['humiliated', 'made to feel small in front of others'],
    ],
  },
];

/**
 * The cores clockwise from the top of the wheel, by the angle of [pleasantness, energy]: high
 * energy at the top, pleasant on the right (as How We Feel's grid), so neighbours are related.
 */
export const WHEEL_ORDER = [...CORES].sort((a, b) => clockwise(a.place) - clockwise(b.place));
function clockwise([x, y]) {
  const angle = Math.atan2(x, y);
  return angle < 0 ? angle + 2 * Math.PI : angle;
}

export const BODY_REGIONS = [
  ['head', 'Head'],
  ['face', 'Face / jaw'],
  ['throat', 'Throat'],
  ['shoulders', 'Shoulders'],
  ['chest', 'Chest'],
  ['stomach', 'Stomach'],
  ['arms', 'Arms / hands'],
  ['legs', 'Legs'],
  ['all-over', 'All over'],
  ['nowhere', 'Nowhere I can tell'],
].map(([id, label]) => ({ id, label }));

export const SENSATIONS = [
  'tight', 'heavy', 'warm', 'cold', 'buzzing', 'shaky',
  'hollow', 'numb', 'aching', 'fluttery', 'restless', 'light',
];

export const TAGS = [
  'alone', 'partner', 'family', 'friends', 'work', 'study', 'rest', 'sleep',
  'health', 'exercise', 'outside', 'food', 'screens', 'music', 'art',
];

export const INTENSITY_LABELS = ['barely there', 'mild', 'clear', 'strong', 'very strong'];

const byId = new Map(CORES.map((core) => [core.id, core]));

/** The core feeling (or numb) with this id, or undefined. */
export function core(id) {
  return id === NUMB.id ? NUMB : byId.get(id);
}

/** The definition of a precise word under a core, or null for a person's own word. */
export function definition(coreId, word) {
  const found = byId.get(coreId)?.words.find(([w]) => w === word);
  return found ? found[1] : null;
}

/** Which core a built-in word belongs to, if any. */
export function coreOfWord(word) {
  for (const c of CORES) if (c.words.some(([w]) => w === word)) return c.id;
  return null;
}

export function regionLabel(id) {
  return BODY_REGIONS.find((r) => r.id === id)?.label ?? id;
}

const VOWELS = new Set('aeiouy');
const DIGRAPHS = new Set(['wh', 'th', 'sh', 'ch', 'ph', 'ck', 'gh', 'qu']);
/**
 * A word of more than 10 letters with one soft hyphen where it may break ("compas\u00adsionate"),
 * so it fits its target on a 320 px wheel without hyphenation dictionaries: between a double
 * letter if there is one, else between two consonants that are not a digraph, nearest the middle.
 */
export function breakable(word) {
  if (word.length <= 10 || /\s|\u00ad/.test(word)) return word;
  const middle = word.length / 2;
  let best = null;
  for (let i = 3; i <= word.length - 3; i += 1) {
    const [a, b] = [word[i - 1].toLowerCase(), word[i].toLowerCase()];
    if (VOWELS.has(a) || VOWELS.has(b) || !/[a-z]/.test(a + b) || DIGRAPHS.has(a + b)) continue;
    const score = Math.abs(i - middle) - (a === b ? 2 : 0);
    if (best === null || score < best.score) best = { i, score };
  }
  return best ? `${word.slice(0, best.i)}\u00ad${word.slice(best.i)}` : word;
}

