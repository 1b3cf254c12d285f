/**
 * A preference kept in localStorage, through VueUse's useLocalStorage with a serializer that
 * checks what it reads: a value this window did not write (or storage that refuses access)
 * reads as the default, never as a broken preference.
 */
import { useLocalStorage, type RemovableRef, type UseStorageOptions } from '@vueuse/core';

/**
 * The preference under `key`: `read` turns what is stored into a value (anything unexpected
 * into the default), `write` into text. Written at once (flush 'sync'), nothing written until
 * it changes; null removes the key.
 */
export function useRemembered<T>(
  key: string,
  fallback: T,
  read: (raw: string) => T,
  write: (v: T) => string,
): RemovableRef<T> {
  const options: UseStorageOptions<T> = {
    serializer: { read, write: (v) => (v === null ? '' : write(v)) },
    writeDefaults: false,
    flush: 'sync',
    // Not synced from other tabs: its own write event would pause the next write till a tick.
    listenToStorageChanges: false,
    // Storage may be disabled (privacy settings): the preference still applies, unremembered.
    onError: () => {},
  };
  return useLocalStorage<T>(key, fallback, options);
}
