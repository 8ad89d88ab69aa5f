import { join } from 'node:path';
import { adversariesBench } from './adversaries.ts';
import { createMediaSource } from '../datasets/media-source.ts';
import { createAvMedia } from '../datasets/av-media.ts';
const rows = await adversariesBench({ media: createMediaSource(), av: createAvMedia(), scenariosRoot: join(import.meta.dirname, '..', 'scenarios') }, process.argv.slice(2));
for (const r of rows) console.log(Object.values(r).join(' | '));
