/**
 * Paul Kellet's refined pink filter (seven first-order sections summed): white
 * samples in, pink samples out. One stateful filter per stream. Shared by the noise floors the
 * suites play (datasets/noise.ts) and the content-free signals the speech detector is checked
 * against (harness/vad/nonspeech.ts).
 */
export function pinkFilter(): (white: number) => number {
  let b0 = 0,
    b1 = 0,
    b2 = 0,
    b3 = 0,
    b4 = 0,
    b5 = 0,
    b6 = 0;
  return (x) => {
    b0 = 0.99886 * b0 + x * 0.0555179;
    b1 = 0.99332 * b1 + x * 0.0750759;
    b2 = 0.969 * b2 + x * 0.153852;
    b3 = 0.8665 * b3 + x * 0.3104856;
    b4 = 0.55 * b4 + x * 0.5329522;
    b5 = -0.7616 * b5 - x * 0.016898;
    const y = b0 + b1 + b2 + b3 + b4 + b5 + b6 + x * 0.5362;
    b6 = x * 0.115926;
    return y;
  };
}
