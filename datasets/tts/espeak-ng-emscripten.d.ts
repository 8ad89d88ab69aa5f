/** The part of @echogarden/espeak-ng-emscripten's Emscripten module crosstalk uses (it ships no types). */
declare module '@echogarden/espeak-ng-emscripten' {
  export interface EspeakEventStruct {
    get_type(): number;
    get_text_position(): number;
    get_audio_position(): number;
    get_sample(): number;
  }
  export interface EspeakVoiceInfo {
    name: string;
    identifier: string;
    languages: { priority: number; name: string }[];
  }
  export interface EspeakWorker {
    set_voice(name: string, language: string): number;
    rate: number;
    pitch: number;
    get_samplerate(): number;
    list_voices(): EspeakVoiceInfo[];
    getSizeOfEventStruct_(): number;
    getStringIDFromEventStruct_(eventPtr: number): string;
    /** Calls back with (audio pointer, sample count, event array pointer); a non-zero return aborts. */
    synth_(text: string, callbackPtr: number): void;
  }
  export interface EspeakModule {
    eSpeakNGWorker: new () => EspeakWorker;
    espeak_EVENT: unknown;
    espeakEVENT_LIST_TERMINATED: number;
    espeakEVENT_WORD: number;
    espeakEVENT_PHONEME: number;
    HEAP16: Int16Array;
    FS: { readdir(path: string): string[] };
    wrapPointer(ptr: number, type: unknown): EspeakEventStruct;
    addFunction(fn: (...args: number[]) => number, signature: string): number;
    removeFunction(ptr: number): void;
  }
  const createModule: (moduleArg?: object) => Promise<EspeakModule>;
  export default createModule;
}
