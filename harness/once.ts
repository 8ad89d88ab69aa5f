/**
 * A shared asynchronous resource made on first use (a model, a rendered voice bank): every
 * caller gets the same promise; a failed attempt is forgotten, so the next caller tries again
 * instead of inheriting the old rejection.
 */
export function onceAsync<T>(make: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= make().catch((e: unknown) => {
      pending = undefined;
      throw e;
    });
    return pending;
  };
}
