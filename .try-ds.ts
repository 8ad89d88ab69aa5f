import { synthesize } from './datasets/tts/espeak.ts';
import * as T from './datasets/recipes/core-texts.ts';
const all = [...T.QUESTIONS, ...T.FOLLOW_UPS, ...T.PAUSE_TEXTS, ...T.MONOLOGUES, ...T.LONG_ANSWER_REQUESTS, ...T.INTERRUPTIONS, ...T.USER_BACKCHANNELS].map(s=>s.replace(/\s*\|\s*/g,' '));
const A = 184;
const endOff:number[]=[], startOff:number[]=[]; const zero:string[]=[]; let t0=performance.now(); let audio=0;
for (const [vi,voice] of ['en-us','en-gb+f3'].entries()) for (const text of all) {
  const r = await synthesize(text, {name:voice, rate_wpm: 175, pitch: 50}); audio+=r.pcm.length/16000;
  const w=r.words;
  w.forEach((x,i)=>{ if (x.endMs===x.startMs && /\w/.test(x.text)) zero.push(voice+': '+text.slice(0,40)+' ['+x.text+']');
    const e=Math.round(x.endMs*16); const next = i+1<w.length? Math.round(w[i+1].startMs*16): r.pcm.length;
    if (next - e >= 480 && x.endMs>x.startMs) { let last=-1; for(let s=Math.round(x.startMs*16); s<next; s++) if (Math.abs(r.pcm[s])>=A) last=s; endOff.push((last+1-e)/16); }
    const s0=Math.round(x.startMs*16); const prev = i>0? Math.round(w[i-1].endMs*16): 0;
    if (s0 - prev >= 480 || i===0) { let first=-1; for(let s=prev; s<r.pcm.length; s++) if (Math.abs(r.pcm[s])>=A){first=s;break;} startOff.push((first-s0)/16); }
  });
}
const q=(a:number[])=>{const s=[...a].sort((x,y)=>x-y); return {n:s.length,min:s[0],p10:s[Math.floor(s.length*.1)],med:s[Math.floor(s.length/2)],p90:s[Math.floor(s.length*.9)],max:s[s.length-1]}};
console.log('synth s', (performance.now()-t0)/1000, 'audio s', audio);
console.log('end offset (last loud - wordEnd) ms', q(endOff));
console.log('start offset (first loud - wordStart) ms', q(startOff));
console.log('zero-length', zero.length, zero.slice(0,30));
