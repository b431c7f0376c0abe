package org.medledger.chaincode;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.medledger.crypto.paillier.PaillierPublicKey;

/**
 * The chaincode's one piece of static state (docs/chaincode.md §1): decoded Paillier keys, each
 * with its h_s, and for keys used as payee or regulator more than once, the fixed-base table of
 * h_s. fabric-chaincode-java makes a new contract object for every transaction, so the cache is
 * static to survive between them.
 *
 * <p>Why it cannot change a result: an entry is looked up by SHA-256 of the exact ledger bytes it
 * was decoded from (the key's canonical encoding and the stored h_s, length-prefixed), its value is
 * a deterministic function of those bytes, and it is immutable once built (the table only makes
 * {@code hsPow} faster; it returns the same numbers). Bytes that fail to decode are never cached,
 * so they are refused the same way every time. A peer with a cold cache, a warm one, or one that
 * evicted the entry computes the same values and writes the same state.
 *
 * <p>Bounds: at most {@link #MAX_KEYS} decoded keys (a few KB each) and tables worth at most
 * {@link #TABLE_BUDGET_BYTES} (about 11.6 MB per 2048-bit key, 25 MB per 3072-bit key), evicted
 * least recently used first. A table is built on a key's {@link #TABLE_AFTER_USES}-th use for
 * verification, so a key seen once (a patient paid once) never pays the table's construction
 * (about 0.5 s at 2048 bits); threads building a table at the moment of an eviction may hold one
 * table each beyond the budget until its transaction ends. Thread-safe: the map is guarded by its
 * own lock, held only for lookups and bookkeeping; decoding and table construction run outside it
 * ({@link PaillierPublicKey#precompute()} is itself idempotent and synchronised per key).
 */
final class KeyCache {
  static final int MAX_KEYS = 512;
  static final long TABLE_BUDGET_BYTES = 160L << 20;
  static final int TABLE_AFTER_USES = 2;

  /** Decodes bytes into a key; a {@code ChaincodeException} (LedgerException) for bytes that are not one. */
  @FunctionalInterface
  interface Decoder {
    PaillierPublicKey decode();
  }

  private static final class Entry {
    final PaillierPublicKey key;
    final long tableBytes;
    int uses;
    boolean tabled;

    Entry(PaillierPublicKey key) {
      this.key = key;
      this.tableBytes = key.tableBytes();
    }
  }

  /** The cache every transaction of this JVM shares. */
  static final KeyCache SHARED = new KeyCache(MAX_KEYS, TABLE_BUDGET_BYTES, TABLE_AFTER_USES);

  private final Object lock = new Object();
  private final LinkedHashMap<String, Entry> map = new LinkedHashMap<>(64, 0.75f, true);
  private final int maxKeys;
  private final long tableBudget;
  private final int tableAfterUses;
  private long tabledBytes;

  /** A cache with its own bounds (tests use small ones; the chaincode uses {@link #SHARED}). */
  KeyCache(int maxKeys, long tableBudget, int tableAfterUses) {
    if (maxKeys < 1 || tableBudget < 0 || tableAfterUses < 1) {
      throw new IllegalArgumentException("bad cache bounds");
    }
    this.maxKeys = maxKeys;
    this.tableBudget = tableBudget;
    this.tableAfterUses = tableAfterUses;
  }

  /** The key decoded from {@code keyBytes} and {@code hsBytes} (null: h_s not stored), cached. */
  PaillierPublicKey key(byte[] keyBytes, byte[] hsBytes, Decoder decoder) {
    return lookup(keyBytes, hsBytes, decoder, false);
  }

  /**
   * As {@link #key}, for a key whose h_s the transfer verification raises to large exponents
   * (payee, regulator): counts the use and, from the {@link #TABLE_AFTER_USES}-th, returns the key
   * with its fixed-base table.
   */
  PaillierPublicKey keyForVerification(byte[] keyBytes, byte[] hsBytes, Decoder decoder) {
    return lookup(keyBytes, hsBytes, decoder, true);
  }

  private PaillierPublicKey lookup(byte[] keyBytes, byte[] hsBytes, Decoder decoder, boolean verification) {
    String id = digest(keyBytes, hsBytes);
    Entry e;
    boolean build = false;
    synchronized (lock) {
      e = map.get(id);
      if (e != null) {
        if (e.tabled || !verification) {
          return e.key;
        }
        e.uses++;
        build = e.uses >= tableAfterUses && e.tableBytes <= tableBudget;
      }
    }
    if (e == null) {
      Entry fresh = new Entry(decoder.decode()); // throws for bad bytes: nothing is cached
      synchronized (lock) {
        e = map.get(id);
        if (e == null) {
          e = fresh;
          map.put(id, e);
          evict();
        }
        if (verification) {
          e.uses++;
        }
        if (e.tabled) {
          return e.key;
        }
        build = verification && e.uses >= tableAfterUses && e.tableBytes <= tableBudget;
      }
    }
    if (!build) {
      return e.key;
    }
    e.key.precompute(); // outside the lock; concurrent callers for the same key wait on the key
    synchronized (lock) {
      if (!e.tabled && map.get(id) == e) {
        e.tabled = true;
        tabledBytes += e.tableBytes;
        evict();
      }
    }
    return e.key;
  }

  /** Evicts least recently used entries until both bounds hold. Called with the lock held. */
  private void evict() {
    Iterator<Map.Entry<String, Entry>> it = map.entrySet().iterator();
    while (map.size() > maxKeys && it.hasNext()) {
      Entry old = it.next().getValue();
      it.remove();
      if (old.tabled) {
        tabledBytes -= old.tableBytes;
      }
    }
    it = map.entrySet().iterator();
    while (tabledBytes > tableBudget && it.hasNext()) {
      Entry old = it.next().getValue();
      if (old.tabled) {
        it.remove(); // the whole entry goes: its key object holds the table
        tabledBytes -= old.tableBytes;
      }
    }
  }

  private static String digest(byte[] keyBytes, byte[] hsBytes) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(ByteBuffer.allocate(4).putInt(keyBytes.length).array());
      md.update(keyBytes);
      if (hsBytes == null) {
        md.update(new byte[] {0});
      } else {
        md.update(new byte[] {1});
        md.update(ByteBuffer.allocate(4).putInt(hsBytes.length).array());
        md.update(hsBytes);
      }
      return java.util.HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException ex) {
      throw new IllegalStateException("SHA-256 is missing", ex);
    }
  }

  // --------------------------------------------------------------------------- for tests only

  /** Number of cached keys. */
  int size() {
    synchronized (lock) {
      return map.size();
    }
  }

  /** Bytes of tables held. */
  long tabledBytes() {
    synchronized (lock) {
      return tabledBytes;
    }
  }

  /** Empties the cache (tests compare cold and warm runs). */
  void clear() {
    synchronized (lock) {
      map.clear();
      tabledBytes = 0;
    }
  }
}
