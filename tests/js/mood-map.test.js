import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  feelingChoices, feelingFromValue, feelingText, feelingValue, levelOfRating, nameKey, suggestFeeling,
} from '../../static/js/mood-map.js';

const feeling = (name, options) => {
  const { known, ...rest } = suggestFeeling(name, options);
  return rest;
};

test('Thaw words and cores map to themselves, in any case, with stray spaces', () => {
  assert.deepEqual(feeling('Anxious'), { core: 'scared', word: 'anxious' });
  assert.deepEqual(feeling('  FRUSTRATED '), { core: 'angry', word: 'frustrated' });
  assert.deepEqual(feeling('content'), { core: 'happy', word: 'content' });
  assert.deepEqual(feeling('Sad'), { core: 'sad' });
  assert.deepEqual(feeling('Numb / can’t tell'), { core: 'numb' });
  assert.deepEqual(feeling('cared for'), { core: 'loving', word: 'cared for' });
});

test('rating words land on a feeling, in several languages', () => {
  assert.deepEqual(feeling('rad'), { core: 'happy', word: 'joyful' });
  assert.deepEqual(feeling('great'), { core: 'happy', word: 'joyful' });
  assert.deepEqual(feeling('Good '), { core: 'happy', word: 'content' });
  for (const name of ['meh', 'ok', 'okay', 'OK', 'so-so', 'tak sobie', 'más o menos', 'так себе', 'bof', 'geht so', 'così così']) {
    assert.deepEqual(feeling(name), { core: 'calm' }, name);
  }
  assert.deepEqual(feeling('bad'), { core: 'sad' });
  assert.deepEqual(feeling('awful'), { core: 'sad', word: 'hopeless' });
  assert.deepEqual(feeling('Świetnie'), { core: 'happy', word: 'joyful' });
  assert.deepEqual(feeling('źle'), { core: 'sad' });
  assert.deepEqual(feeling('ужасно'), { core: 'sad', word: 'hopeless' });
});

test('feeling words Thaw lacks stay the person’s own word under the nearest core', () => {
  assert.deepEqual(feeling('stressed'), { core: 'scared', word: 'stressed' });
  assert.deepEqual(feeling('Tired'), { core: 'sad', word: 'tired' });
  assert.deepEqual(feeling('depressed'), { core: 'sad', word: 'depressed' });
  assert.deepEqual(feeling('Ecstatic'), { core: 'happy', word: 'ecstatic' });
  assert.deepEqual(feeling('irritated'), { core: 'angry', word: 'irritated' });
  assert.deepEqual(feeling('stressed', { keepOwnWords: false }), { core: 'scared' });
});

test('curly apostrophes and case are one name; unknown names use a level, or Numb', () => {
  assert.equal(nameKey('Couldn’t care less '), "couldn't care less");
  assert.equal(nameKey('COULDN\'T care  less'), "couldn't care less");
  assert.deepEqual(suggestFeeling('flummoxed'), { core: 'numb', known: false });
  assert.deepEqual(feeling('meh+', { level: 2 }), { core: 'happy', word: 'content' });
  assert.deepEqual(feeling('Knackered', { level: 4 }), { core: 'sad' });
  assert.deepEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(levelOfRating), [5, 5, 4, 4, 3, 3, 2, 2, 1, 1]);
  assert.equal(levelOfRating(0), null);
});

test('the mapping screen offers every feeling, and the name itself as the person’s word', () => {
  const groups = feelingChoices('Knackered');
  assert.equal(groups[0].options[0].text, 'Numb / can’t tell');
  const sad = groups.find((g) => g.label === 'Sad');
  assert.deepEqual(sad.options[0], { value: 'sad|', text: 'Just sad' });
  assert.ok(sad.options.some((o) => o.text === 'Sad · weary'));
  assert.deepEqual(sad.options.at(-1), { value: 'sad|knackered', text: 'Sad · knackered (yours)' });
  const anxious = feelingChoices('anxious');
  assert.ok(!anxious.flatMap((g) => g.options).some((o) => o.text.includes('(yours)')), 'a Thaw word is never offered twice');
  assert.ok(!feelingChoices('x'.repeat(40)).flatMap((g) => g.options).some((o) => o.text.includes('(yours)')), 'too long to be a word');
  assert.deepEqual(feelingFromValue(feelingValue({ core: 'sad', word: 'a|b' })), { core: 'sad', word: 'a|b' });
  assert.deepEqual(feelingFromValue('calm|'), { core: 'calm' });
  assert.equal(feelingText({ core: 'sad', word: 'weary' }), 'Sad · weary');
  assert.equal(feelingText({ core: 'numb' }), 'Numb / can’t tell');
});
