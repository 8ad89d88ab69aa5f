/**
 * The words of the held-out suite (held-out-suite.ts), written for it alone: no sentence here
 * is in any other suite, in the agent's vocabularies or training texts, or in the spotter's
 * development set (datasets/recipes/held-out-suite.test.ts checks). A `|` marks a place where a
 * speaker may hold the floor, as in core-texts.ts.
 *
 * Frozen with the suite: nothing here may change to make the agent look better.
 */

/** Questions and requests that end a turn (turn_taking, background, side talk in a silence). */
export const HELD_OUT_QUESTIONS: readonly string[] = [
  'Do you think a fern would survive on a north facing balcony?',
  'Where does the word sandwich come from?',
  'Is it rude to reply to a wedding invitation by text message?',
  'How do I get red wine out of a linen tablecloth?',
  'What is the tallest mountain in Africa?',
  'Should I stretch before running or after?',
  'Why do onions make your eyes water when you chop them?',
  'Can a goldfish really remember things for months?',
  'What is a polite way to decline a second helping?',
  'Which came first, the violin or the cello?',
  'How do sailors tie a bowline knot?',
  'Is brown rice actually healthier than white rice?',
];

/** Second questions, asked after the agent has answered the first. */
export const HELD_OUT_FOLLOW_UPS: readonly string[] = [
  'Hmm, and would that be different in winter?',
  'Right, could you give me an example?',
  'Oh really, who decided that?',
  'I see, and is that true everywhere?',
  'Okay, so what is the quickest way to do it?',
];

/** Turns with hesitation places inside a clause (pause). */
export const HELD_OUT_PAUSE_TEXTS: readonly string[] = [
  'I keep forgetting the name of | that actor who played the | captain in the submarine film.',
  'Could you walk me through how to | reset the password on | my old tablet?',
  'We are trying to decide whether to | paint the hallway a | warm grey or a pale yellow.',
  'What do people usually | bring to a housewarming when they | do not know the hosts well?',
  'I would like to understand why | the tides are higher | during a full moon.',
  'Is there a simple way to | keep a cast iron pan from | going rusty between uses?',
  'My grandfather wants to | learn how to send | photos from his phone.',
  'How much water should | a tomato plant in a | pot get on a hot day?',
  'Can you suggest a | board game that works for | three players and a dog that steals pieces?',
  'I need to | figure out whether the | bakery near the station opens on holidays.',
];

/** Stories told with clause boundaries where a listener may backchannel (backchannel); 20-40 s each. */
export const HELD_OUT_MONOLOGUES: readonly string[] = [
  'My neighbour decided to keep bees this spring, | and at first nobody on the street was happy about it. | He built two white hives at the bottom of his garden, | right next to the fence where the children play. | For the first month the bees mostly ignored us, | but then one warm afternoon a whole swarm left | and settled on the lamp post outside my door. | A woman from the beekeeping club came with a cardboard box, | and she talked to them the whole time she worked. | Now he brings everyone a jar of honey, | and suddenly the bees are very popular.',
  'I tried to bake sourdough for the first time last weekend, | and it did not go the way the videos promised. | The starter took almost a week to get bubbly, | and my flat smelled a little like vinegar the whole time. | On Saturday I mixed the dough and left it overnight, | but I forgot to cover the bowl, | so in the morning it had a dry crust on top. | I baked it anyway, | and it came out flat and very chewy. | My flatmate still ate half of it with butter, | so I am counting it as a partial success.',
  'When we moved to the coast, | the thing that surprised me most was the wind. | It blows almost every day, | and it changes direction in the afternoon, | so the laundry dries in an hour but ends up in the neighbours garden. | The seagulls are bold too, | and one of them took a whole pastry out of my hand on the pier. | In winter the town gets very quiet, | most of the cafes close, | and you can walk on the beach for an hour without seeing anyone. | I did not expect to like that, | but it has become my favourite part of the year.',
  'My daughter joined a chess club at school, | and within a month she was beating me every evening. | She learned a few openings with strange names, | and she plays them very fast, | which makes me nervous. | Last week she entered her first tournament in the town library, | where everyone sat in silence with little clocks. | She won two games, | lost one to a boy who was about eight, | and drew the last one after almost an hour. | She came home tired but already planning the next one.',
];

/** Requests for a long answer, to be interrupted or backchanneled over (interruption, user_backchannel, side talk over speech). */
export const HELD_OUT_LONG_REQUESTS: readonly string[] = [
  'Can you explain how a hot air balloon goes up and comes back down?',
  'Tell me the story of how the printing press changed Europe.',
  'Could you describe what happens inside a volcano before it erupts?',
  'Walk me through how a bill becomes a law in a parliament.',
  'Explain how bees decide where to build a new nest.',
  'Describe how a glacier carves out a valley over thousands of years.',
  'Can you tell me how coffee gets from the farm to my cup?',
  'Explain the rules of cricket to someone who has never seen it.',
  'Tell me how lighthouses worked before electricity.',
  'Could you go through how vaccines teach the body to fight a disease?',
];

/** What the user barges in with (interruption). */
export const HELD_OUT_INTERRUPTIONS: readonly string[] = [
  'Sorry to cut in, but what does that word mean?',
  'Oh, quick question, is that still true today?',
  'Okay but can you skip to the end?',
  'Hmm, never mind that, how long does it take?',
  'No no, I meant the other one.',
  'Let me stop you there, I think I have heard enough.',
  'Right, so who invented it?',
  'Can we go back to the beginning for a second?',
];

/** Short acknowledgements said over the agent (user_backchannel), none of them a word of another suite or of the agent's templates. */
export const HELD_OUT_BACKCHANNELS: readonly string[] = ['mm', 'oh wow', 'exactly', 'I know', 'true', 'go on', 'yeah yeah', 'fair enough'];

/** Said to someone else in the room (side_talk). */
export const HELD_OUT_SIDE_REMARKS: readonly string[] = [
  'Leave the shopping by the stairs, I will sort it out later.',
  'Did you remember to lock the back door?',
  'The parcel is for your brother, not for me.',
  'Turn the oven down a bit, it smells like it is burning.',
  'Tell them I will call back after lunch.',
  'Have you seen my glasses anywhere?',
];

/** Back to the agent after side talk. */
export const HELD_OUT_RESUMES: readonly string[] = [
  'Sorry, that was my flatmate. Carry on.',
  'Okay, where was I? Please continue.',
  'Apologies for that, I am listening again.',
  'Right, I am all yours again. You were saying?',
];

/** Another voice in the room or on a screen (background). */
export const HELD_OUT_BACKGROUND_LINES: readonly string[] = [
  'Traffic is moving slowly on the ring road this morning because of roadworks near the airport.',
  'Could you pass me the scissors? No, the big ones in the drawer.',
  'And that is the end of the first half, with the home side one goal ahead.',
  'I told her the train leaves at six, but she never listens to me.',
];
