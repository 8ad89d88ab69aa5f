/**
 * Just enough WASI (preview 1) to run a command-line program compiled to WASI, such as Flite,
 * entirely in memory: arguments, one preopened folder of in-memory files, stdout and stderr
 * captured, a clock that always reads 0 (so nothing depends on the time). Node's own node:wasi
 * is experimental in Node 20 (a warning on load) and crashed in its native fast calls
 * (fd_fdstat_get) under a suite's load here; this shim has no native part.
 */

const ERRNO = { SUCCESS: 0, BADF: 8, INVAL: 28, NOENT: 44, NOSYS: 52 } as const;
const FILETYPE = { CHARACTER_DEVICE: 2, DIRECTORY: 3, REGULAR_FILE: 4 } as const;
const OFLAGS = { CREAT: 1, DIRECTORY: 2, EXCL: 4, TRUNC: 8 } as const;

class Exit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

interface OpenFile {
  name: string;
  position: number;
}

interface WasiRun {
  code: number;
  stdout: string;
  stderr: string;
  /** The preopened folder's files after the run. */
  files: Map<string, Uint8Array>;
}

/**
 * Run `module`'s `_start` with `args` (args[0] is the program name) and `files` in the folder
 * preopened as `dir` (e.g. `/w`).
 */
export async function runWasi(module: WebAssemblyModule, args: string[], dir: string, files: Map<string, Uint8Array>): Promise<WasiRun> {
  const enc = new TextEncoder();
  const dec = new TextDecoder();
  let memory: { buffer: ArrayBuffer } | undefined;
  const view = () => new DataView(memory!.buffer);
  const bytes = () => new Uint8Array(memory!.buffer);
  let stdout = '';
  let stderr = '';
  const PREOPEN = 3;
  const open = new Map<number, OpenFile>();
  let nextFd = 4;
  const argBytes = args.map((a) => enc.encode(`${a}\0`));
  // Files with spare capacity: `size` bytes of `data` are the content.
  const store = new Map([...files].map(([name, data]) => [name, { data: data.slice(), size: data.length }]));
  const dirName = enc.encode(dir);

  const iovecs = (ptr: number, len: number) =>
    Array.from({ length: len }, (_, i) => ({ buf: view().getUint32(ptr + i * 8, true), len: view().getUint32(ptr + i * 8 + 4, true) }));

  const wasi = {
    args_sizes_get(argcPtr: number, sizePtr: number) {
      view().setUint32(argcPtr, argBytes.length, true);
      view().setUint32(
        sizePtr,
        argBytes.reduce((n, b) => n + b.length, 0),
        true,
      );
      return ERRNO.SUCCESS;
    },
    args_get(argvPtr: number, bufPtr: number) {
      let p = bufPtr;
      argBytes.forEach((b, i) => {
        view().setUint32(argvPtr + i * 4, p, true);
        bytes().set(b, p);
        p += b.length;
      });
      return ERRNO.SUCCESS;
    },
    clock_time_get(_id: number, _precision: bigint, timePtr: number) {
      view().setBigUint64(timePtr, 0n, true);
      return ERRNO.SUCCESS;
    },
    fd_prestat_get(fd: number, ptr: number) {
      if (fd !== PREOPEN) return ERRNO.BADF;
      view().setUint8(ptr, 0);
      view().setUint32(ptr + 4, dirName.length, true);
      return ERRNO.SUCCESS;
    },
    fd_prestat_dir_name(fd: number, ptr: number, len: number) {
      if (fd !== PREOPEN) return ERRNO.BADF;
      bytes().set(dirName.subarray(0, len), ptr);
      return ERRNO.SUCCESS;
    },
    fd_fdstat_get(fd: number, ptr: number) {
      const type = fd <= 2 ? FILETYPE.CHARACTER_DEVICE : fd === PREOPEN ? FILETYPE.DIRECTORY : open.has(fd) ? FILETYPE.REGULAR_FILE : undefined;
      if (type === undefined) return ERRNO.BADF;
      const v = view();
      v.setUint8(ptr, type);
      v.setUint16(ptr + 2, 0, true);
      v.setBigUint64(ptr + 8, 0xffff_ffff_ffff_ffffn, true);
      v.setBigUint64(ptr + 16, 0xffff_ffff_ffff_ffffn, true);
      return ERRNO.SUCCESS;
    },
    fd_fdstat_set_flags() {
      return ERRNO.SUCCESS;
    },
    path_open(dirFd: number, _dirFlags: number, pathPtr: number, pathLen: number, oflags: number, _rb: bigint, _ri: bigint, _fdFlags: number, fdPtr: number) {
      if (dirFd !== PREOPEN) return ERRNO.BADF;
      if (oflags & OFLAGS.DIRECTORY) return ERRNO.NOSYS;
      const name = dec.decode(bytes().slice(pathPtr, pathPtr + pathLen)).replace(/^\.?\//, '');
      const existing = store.get(name);
      if (!existing) {
        if (!(oflags & OFLAGS.CREAT)) return ERRNO.NOENT;
        store.set(name, { data: new Uint8Array(4096), size: 0 });
      } else if (oflags & OFLAGS.TRUNC) existing.size = 0;
      const fd = nextFd++;
      open.set(fd, { name, position: 0 });
      view().setUint32(fdPtr, fd, true);
      return ERRNO.SUCCESS;
    },
    fd_read(fd: number, iovs: number, iovsLen: number, nreadPtr: number) {
      const f = open.get(fd);
      if (fd === 0) {
        view().setUint32(nreadPtr, 0, true);
        return ERRNO.SUCCESS;
      }
      if (!f) return ERRNO.BADF;
      const file = store.get(f.name)!;
      let n = 0;
      for (const { buf, len } of iovecs(iovs, iovsLen)) {
        const chunk = file.data.subarray(Math.min(f.position, file.size), Math.min(file.size, f.position + len));
        bytes().set(chunk, buf);
        f.position += chunk.length;
        n += chunk.length;
        if (chunk.length < len) break;
      }
      view().setUint32(nreadPtr, n, true);
      return ERRNO.SUCCESS;
    },
    fd_write(fd: number, iovs: number, iovsLen: number, nwrittenPtr: number) {
      let n = 0;
      for (const { buf, len } of iovecs(iovs, iovsLen)) {
        const chunk = bytes().slice(buf, buf + len);
        n += len;
        if (fd === 1) stdout += dec.decode(chunk);
        else if (fd === 2) stderr += dec.decode(chunk);
        else {
          const f = open.get(fd);
          if (!f) return ERRNO.BADF;
          const file = store.get(f.name)!;
          if (f.position + len > file.data.length) {
            const grown = new Uint8Array(Math.max(f.position + len, file.data.length * 2));
            grown.set(file.data.subarray(0, file.size));
            file.data = grown;
          }
          file.data.set(chunk, f.position);
          f.position += len;
          file.size = Math.max(file.size, f.position);
        }
      }
      view().setUint32(nwrittenPtr, n, true);
      return ERRNO.SUCCESS;
    },
    fd_seek(fd: number, offset: bigint, whence: number, newOffsetPtr: number) {
      const f = open.get(fd);
      if (!f) return ERRNO.BADF;
      const size = store.get(f.name)!.size;
      const base = whence === 0 ? 0 : whence === 1 ? f.position : whence === 2 ? size : NaN;
      const position = base + Number(offset);
      if (!(position >= 0)) return ERRNO.INVAL;
      f.position = position;
      view().setBigUint64(newOffsetPtr, BigInt(position), true);
      return ERRNO.SUCCESS;
    },
    fd_close(fd: number) {
      if (fd > PREOPEN && !open.delete(fd)) return ERRNO.BADF;
      return ERRNO.SUCCESS;
    },
    proc_exit(code: number) {
      throw new Exit(code);
    },
  };

  const instance = (await WASM.instantiate(module, { wasi_snapshot_preview1: wasi })) as { exports: { memory: { buffer: ArrayBuffer }; _start(): void } };
  memory = instance.exports.memory;
  let code = 0;
  try {
    instance.exports._start();
  } catch (e) {
    if (!(e instanceof Exit)) throw e;
    code = e.code;
  }
  return { code, stdout, stderr, files: new Map([...store].map(([name, f]) => [name, f.data.slice(0, f.size)])) };
}

/** A compiled WebAssembly module (this project's TypeScript libraries do not declare the type). */
export type WebAssemblyModule = object;

/** The global WebAssembly object. */
export const WASM = (
  globalThis as unknown as {
    WebAssembly: { compile(bytes: Uint8Array): Promise<WebAssemblyModule>; instantiate(m: WebAssemblyModule, imports: object): Promise<object> };
  }
).WebAssembly;
