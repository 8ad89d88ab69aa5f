/**
 * The words of the core suite. A `|` marks a place where a speaker may hold the floor
 * (a mid-clause hesitation in pause texts, a clause boundary inside a monologue); the recipe
 * picks pause positions only among these marks and removes them from the spoken text.
 */

/** Questions and requests that end a turn (turn_taking, first turn). */
export const QUESTIONS: readonly string[] = [
  'What time does the pharmacy on Main Street close tonight?',
  'Can you recommend a good book for a long flight?',
  'How do I convert a recipe from cups to grams?',
  'Could you remind me what the capital of Australia is?',
  'What should I pack for a weekend of hiking in the mountains?',
  'Is it going to rain in Seattle tomorrow afternoon?',
  'Can you help me write a short thank you note to my neighbor?',
  'How long should I boil an egg if I want the yolk a little soft?',
  'What is the difference between a virus and a bacterium?',
  'Please set a timer for twenty minutes.',
  'Which is bigger, a blue whale or a whale shark?',
  'Could you explain what a mortgage rate actually is?',
  'Tell me a fun fact about octopuses.',
  'How many hours of sleep does a teenager need?',
  'What is a good way to keep basil fresh in the kitchen?',
  'Can you suggest a name for a small orange kitten?',
  'How far is the moon from the earth?',
  'Why do cats purr when they are happy?',
];

/** Second questions, asked after the agent has answered the first. */
export const FOLLOW_UPS: readonly string[] = [
  'Okay, and what about on weekends?',
  'Thanks. Is there anything similar but shorter?',
  'Got it. Does that change at high altitude?',
  'Interesting. How did you figure that out?',
  'Great, can you say that one more time, a little slower?',
  'And how would that work for a family of four?',
  'Alright. What would you do in my place?',
  'Makes sense. Is there a cheaper option?',
];

/** Turns with natural mid-clause hesitation points (pause family). */
export const PAUSE_TEXTS: readonly string[] = [
  'I was wondering if you could | tell me how to | get to the train station from here.',
  'Can you help me find | a recipe for dinner that uses | chicken and rice?',
  'My sister is coming to visit next week and I need | ideas for things we could | do together in the city.',
  'What would be the best way to | explain fractions to a | seven year old?',
  'I need to book a | flight to Denver for | the second week of March.',
  'Could you tell me the | difference between baking soda and | baking powder?',
  'I am trying to decide between a | laptop and a | tablet for my daughter, which would you pick?',
  'How much water should I | give a cactus that | lives on a sunny windowsill?',
  'Do you know if the | museum downtown is open on | Monday mornings?',
  'I would like to start | running again but my | knees hurt a little, what should I do?',
  'Can you give me a | simple way to remember the | order of the planets?',
  'We are planning a | birthday party for about | twenty kids and need some game ideas.',
  'What is the | quickest way to get | red wine out of a carpet?',
  'I keep forgetting to | water my plants, is there | some trick that helps?',
  'Could you walk me through how to | change the battery in a | smoke detector?',
  'My car makes a | strange clicking noise when I | turn the steering wheel, what could it be?',
];

/** Monologues for the backchannel family; `|` marks clause boundaries that invite a backchannel. */
export const MONOLOGUES: readonly string[] = [
  'So last weekend I finally cleaned out the garage, | and you would not believe what I found in there. | There was an old bicycle from when I was a kid, | a box of letters from my grandmother, | and about forty jars of screws that nobody ever sorted. | I spent most of Saturday just reading the letters, | because she wrote about her first job at a bakery | and how she met my grandfather at a dance. | Anyway, I am thinking of turning some of them into a little book for the family.',
  'I started a new job on Monday, | and the first few days have been a bit of a whirlwind. | The office is on the other side of the city, | so I have to take two buses to get there, | which means leaving the house before seven. | My manager seems really kind, | and the team invited me to lunch on the very first day. | The hardest part so far is learning all the software, | because every tool has its own login and its own rules. | I think it will get easier after a couple of weeks.',
  'We went camping by the lake last month, | and it rained almost the whole time. | On the first night the tent started leaking, | so my brother and I moved everything into the car. | The next morning the sun came out for about an hour, | and we managed to go fishing, | although neither of us caught anything. | Then a huge storm rolled in that afternoon, | and we decided to pack up early and drive home. | Still, it was one of the best trips we have had in years.',
  'My neighbor has been building a boat in his backyard for three years now. | At first everyone on the street thought it was a joke, | but it is starting to look like a real boat. | He works on it every evening after dinner, | and on weekends his grandkids come over to help him sand the wood. | Last week he told me he plans to launch it next summer, | on the river behind the old mill. | I honestly hope it floats, | because the whole neighborhood is planning to be there.',
  'I have been trying to learn the piano since January, | and it has been harder than I expected. | I practice for about half an hour every morning, | mostly scales and very simple songs. | My teacher says my left hand is lazy, | which is probably true, | because I always want to play the melody. | The funny thing is that my daughter started at the same time, | and she is already much better than me. | We are going to play a duet at her school concert in May.',
  'The bakery on our corner changed owners in the spring, | and the new owners have completely transformed it. | They kept the old brick oven, | but they painted the walls a bright yellow | and put a few small tables by the window. | Now there is a line out the door every Saturday morning, | mostly for their cinnamon rolls, | which are about the size of a small plate. | I try not to go more than once a week, | but it is very hard to walk past that smell.',
  'Our flight home from Lisbon was delayed by nine hours, | so we ended up spending the whole day at the airport. | At first we were annoyed, | but then we found a quiet corner near a window | where we could watch the planes take off. | My son started keeping a list of every airline he saw, | and by the evening he had counted more than thirty. | The airline gave us meal vouchers, | so we tried a little of everything in the food court. | In the end it was almost like an extra day of vacation.',
  'I finally fixed the old radio that belonged to my father. | It had been sitting in a closet for almost twenty years, | and when I opened it up, | half of the wires had come loose. | I watched a few videos about how these old sets work, | and a friend lent me a soldering iron. | It took three evenings of careful work, | and I burned my thumb twice, | but on Sunday night it suddenly crackled to life. | The first thing it played was an old jazz station, | which felt like a little message from him.',
  'This year we decided to grow our own vegetables for the first time. | We built two raised beds in the backyard, | and filled them with tomatoes, beans, and a few kinds of lettuce. | The lettuce came up really fast, | but the tomatoes took forever, | and then all of them turned red in the same week. | We ended up giving bags of tomatoes to everyone on the street. | Next year I want to try peppers and maybe some pumpkins, | if we can keep the rabbits away from them.',
  'My grandmother turned ninety last Saturday, | and we threw her a surprise party at the community hall. | Almost sixty people came, | including some cousins I had not seen since I was a child. | She pretended to be annoyed about the fuss, | but she danced with every single grandchild, | and she gave a short speech that made everyone cry. | At the end of the night she told me | that the secret to a long life is good soup and bad memory.',
];

/** Requests that invite a long answer (interruption and user_backchannel families). */
export const LONG_ANSWER_REQUESTS: readonly string[] = [
  'Can you tell me the whole story of how the Roman Empire fell?',
  'Please explain in detail how a bill becomes a law in the United States.',
  'Could you walk me through everything I need to know to start a vegetable garden?',
  'Tell me about the history of the printing press and why it mattered.',
  'Can you explain how vaccines train the immune system, step by step?',
  'Describe a complete plan for a three day trip to Rome.',
  'Explain how a car engine works, from the fuel tank to the wheels.',
  'Can you give me a detailed overview of how the stock market works?',
  'Walk me through how to prepare for a job interview, from start to finish.',
  'Tell me everything you know about how bees make honey.',
  'Can you explain the causes of the First World War in detail?',
  'Please describe how electricity gets from a power plant to my house.',
  'Explain how airplanes stay in the air, and go into as much detail as you like.',
  'Tell me the plot of a famous novel of your choice, from beginning to end.',
  'Can you explain how the internet works, starting from the very basics?',
  'Give me a full lesson on how to brew a good cup of coffee at home.',
  'Describe the life cycle of a star, from its birth to its death.',
  'Explain the rules of cricket to me as if I had never seen a game.',
  'Can you describe how a bread dough rises, and what the yeast is doing?',
  'Walk me through how to train a puppy during its first three months at home.',
  'Tell me about the history of the Olympic Games from ancient Greece to today.',
  'Explain how a refrigerator keeps food cold, in as much detail as you can.',
  'Describe how the human heart pumps blood through the body.',
  'Please explain the water cycle, and give me plenty of examples.',
];

/** Short barge-ins that change the subject. */
export const INTERRUPTIONS: readonly string[] = [
  'Wait, sorry — can we talk about something else?',
  'Hold on, actually, can you just tell me the time?',
  'Sorry to cut in, but what is the weather like today?',
  'Stop, stop. Let us change the topic, please.',
  'Actually, never mind that. Can you help me with something else?',
  'Wait a second, I have a different question.',
  'Sorry, I need to interrupt. How do I reset my password?',
  'Hang on, can you give me just the short version?',
];

/** What a listener says to keep the speaker going. */
export const USER_BACKCHANNELS: readonly string[] = ['mm-hmm', 'yeah', 'uh-huh', 'right', 'okay', 'I see'];
