package org.medledger.chaincode;

import java.util.LinkedHashMap;
import java.util.Map;
import org.medledger.crypto.paillier.PaillierPublicKey;

/**
 * Keeps decoded payee and regulator keys with their fixed-base tables between transactions of one
 * chaincode process. It changes speed only: the key comes from the ledger bytes each time and the
 * table gives the same results as modPow. Bounded (LRU) and per contract instance, not static.
 */
final class KeyCache {
  private final int capacity;
  private final Map<String, PaillierPublicKey> keys;

  KeyCache(int capacity) {
    this.capacity = capacity;
    this.keys = new LinkedHashMap<>(16, 0.75f, true);
  }

  synchronized PaillierPublicKey precomputed(byte[] encoded) {
    String k = java.util.Base64.getEncoder().encodeToString(encoded);
    PaillierPublicKey pk = keys.get(k);
    if (pk == null) {
      pk = PaillierPublicKey.fromBytes(encoded).precompute();
      keys.put(k, pk);
      if (keys.size() > capacity) {
        keys.remove(keys.keySet().iterator().next());
      }
    }
    return pk;
  }
}
