// Gentle practices: short things a person may try after naming a feeling. Offers, never orders.
// Data plus one pure function that picks a fitting suggestion.

export const PRACTICES = [
  {
    id: 'grounding',
    title: '5-4-3-2-1 grounding',
    minutes: 3,
    summary: 'Come back to the room through your senses.',
    steps: [
      'Look around and name five things you can see.',
      'Listen, and name four things you can hear.',
      'Notice three things you can feel: your feet, your clothes, the chair.',
      'Find two things you can smell, or two smells you like.',
      'Notice one thing you can taste, or take a sip of water.',
      'That’s it. Nothing had to change; you just noticed.',
    ],
  },
  {
    id: 'breathing',
    title: 'Slow breathing',
    minutes: 2,
    summary: 'Breathe in for four, out for six, with a circle to follow.',
    pacer: { inhale: 4, exhale: 6 },
    steps: [
      'Sit or stand however is comfortable.',
      'Breathe in through your nose while the circle grows, for a count of four.',
      'Breathe out slowly while it shrinks, for a count of six.',
      'Keep going for a minute or two. If your mind wanders, that is fine — come back to the count.',
    ],
  },
  {
    id: 'song',
    title: 'A song you love',
    minutes: 4,
    summary: 'Play one song and let yourself feel it.',
    steps: [
      'Put on a song you love, or one that fits how you feel right now.',
      'Listen to the whole of it, without doing anything else.',
      'Notice where in your body the music lands, if anywhere.',
    ],
  },
  {
    id: 'movement',
    title: 'A short walk or stretch',
    minutes: 5,
    summary: 'Let your body move a little.',
    steps: [
      'Stand up and stretch your arms up slowly, then let them drop.',
      'Roll your shoulders a few times, forwards and back.',
      'If you can, walk for five minutes — around the room, the block, anywhere.',
      'Notice your feet touching the ground.',
    ],
  },
  {
    id: 'outside',
    title: 'Time outside',
    minutes: 10,
    summary: 'A few minutes of sky, air and light.',
    steps: [
      'Step outside, or open a window.',
      'Look at the sky for a while. Notice the light and the temperature of the air.',
      'Find one small thing that is alive: a plant, a bird, a tree.',
    ],
  },
  {
    id: 'write',
    title: 'Draw or write for five minutes',
    minutes: 5,
    summary: 'Put a little of it on paper, any way you like.',
    steps: [
      'Take paper, or a note on your phone. Set a timer for five minutes if you like.',
      'Write or draw whatever comes — it doesn’t have to make sense or look good.',
      'When the time is up, stop. You can keep it, or throw it away.',
    ],
  },
  {
    id: 'kindness',
    title: 'A hand on your heart',
    minutes: 1,
    summary: 'Offer yourself the kindness you would offer a friend.',
    steps: [
      'Put a hand on your chest, or anywhere that feels comforting.',
      'Feel the warmth of your hand for a few breaths.',
      'Say to yourself, silently: “This is hard right now. I’m allowed to feel this.”',
    ],
  },
];

const byId = new Map(PRACTICES.map((p) => [p.id, p]));
export const practice = (id) => byId.get(id);

/** One practice that fits a check-in's feeling and intensity. */
export function suggest(entry) {
  const core = entry?.feeling?.core;
  const strong = (entry?.intensity ?? 0) >= 4;
  switch (core) {
    case 'numb': return byId.get('grounding');
    case 'scared': return byId.get(strong ? 'breathing' : 'grounding');
    case 'angry': return byId.get(strong ? 'breathing' : 'movement');
    case 'sad': return byId.get(strong ? 'kindness' : 'song');
    case 'ashamed': return byId.get('kindness');
    case 'surprised': return byId.get(strong ? 'breathing' : 'write');
    case 'happy':
    case 'loving': return byId.get('write');
    case 'calm': return byId.get('outside');
    default: return byId.get('grounding');
  }
}
