"""The lexical ear's recognizer: Debian's PocketSphinx (python3-pocketsphinx, pocketsphinx-en-us)
decoding the user's speech of many sessions as it arrives, one decoder per session.

Each session gets a decoder of its own, made at its first message (about 0.2 s, 90 MB) and
dropped at its close: a decoder's cepstral mean adapts to the voice it hears across utterances,
so one handed on to the next session would make that session's words depend on who came before.
A new decoder's mean starts far from any voice (its c0 at 40 where our speech sits near 60), so
a session's first utterance is decoded twice: once as it arrives, which moves the mean to this
voice, and again at its end, whose words count.

Spoken to over stdin/stdout by recognizer.ts; messages in, each a 9-byte header (kind: u8,
session: u32 LE, payload length: u32 LE) and the payload:
  1 audio   16 kHz mono s16le samples, decoded at once (an utterance starts at its first audio);
  2 end     ends the utterance; answers one JSON line {"session", "words", "posteriors",
            "partial", "endLog10"}: the utterance's words and each one's posterior probability
            (the decoder's confidence in it, from its lattice), the best path just before the
            end (no sentence end forced on it), and log10 P(end of sentence | the turn's last two
            words) from the recognizer's own trigram model (null before any word);
  3 turn    a new turn: the words so far no longer count as the context of the next end;
  4 close   the session is over; its decoder is dropped.
Answers come in the order their requests came. Nothing else is written to stdout.
"""
import json
import math
import os
import sys

from pocketsphinx import Decoder

MODEL_DIR = '/usr/share/pocketsphinx/model/en-us'
# The trigram model's scores are natural logs in units of log(1.0001) (sphinxbase's logmath base).
LOG10_PER_UNIT = math.log10(1.0001)


def new_decoder():
    c = Decoder.default_config()
    c.set_string('-hmm', os.path.join(MODEL_DIR, 'en-us'))
    c.set_string('-lm', os.path.join(MODEL_DIR, 'en-us.lm.bin'))
    c.set_string('-dict', os.path.join(MODEL_DIR, 'cmudict-en-us.dict'))
    c.set_string('-logfn', '/dev/null')
    return Decoder(c)


def clean(word):
    """A dictionary word as said: no pronunciation index ("to(3)"), None for silence and fillers."""
    if word.startswith('<') or word.startswith('[') or word.startswith('+'):
        return None
    return word.split('(')[0]


class Session:
    def __init__(self, decoder):
        self.decoder = decoder
        self.in_utterance = False
        self.context = []
        # The first utterance's audio, kept for its second decoding; None after it.
        self.first = bytearray()


sessions = {}


def session(sid):
    s = sessions.get(sid)
    if s is None:
        s = Session(new_decoder())
        sessions[sid] = s
    return s


def end_log10(decoder, context):
    if not context:
        return None
    lm = decoder.get_lm('_default')
    # prob() takes the word first, then its history, most recent first.
    return lm.prob(['</s>'] + list(reversed(context[-2:]))) * LOG10_PER_UNIT


def main():
    stdin = sys.stdin.buffer
    out = sys.stdout
    while True:
        header = stdin.read(9)
        if len(header) < 9:
            return
        kind = header[0]
        sid = int.from_bytes(header[1:5], 'little')
        n = int.from_bytes(header[5:9], 'little')
        payload = stdin.read(n) if n else b''
        if kind == 1:
            s = session(sid)
            if not s.in_utterance:
                s.decoder.start_utt()
                s.in_utterance = True
            s.decoder.process_raw(payload, False, False)
            if s.first is not None:
                s.first += payload
        elif kind == 2:
            s = session(sid)
            words = []
            posteriors = []
            partial = []
            if s.in_utterance and s.first is not None:
                s.decoder.end_utt()
                s.decoder.start_utt()
                s.decoder.process_raw(bytes(s.first), False, False)
                s.first = None
            if s.in_utterance:
                h = s.decoder.hyp()
                partial = h.hypstr.split() if h else []
                s.decoder.end_utt()
                s.in_utterance = False
                logmath = s.decoder.get_logmath()
                for seg in s.decoder.seg():
                    w = clean(seg.word)
                    if w:
                        words.append(w)
                        posteriors.append(round(logmath.exp(seg.prob), 4))
            s.context = (s.context + words)[-2:]
            out.write(json.dumps({'session': sid, 'words': words, 'posteriors': posteriors, 'partial': partial, 'endLog10': end_log10(s.decoder, s.context)}) + '\n')
            out.flush()
        elif kind == 3:
            s = sessions.get(sid)
            if s is not None:
                s.context = []
        elif kind == 4:
            s = sessions.pop(sid, None)
            if s is not None and s.in_utterance:
                s.decoder.end_utt()


if __name__ == '__main__':
    main()
