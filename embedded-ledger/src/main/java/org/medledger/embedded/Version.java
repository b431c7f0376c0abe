package org.medledger.embedded;

/**
 * The version of a committed key: the block and the position in it of the transaction that last
 * wrote the key, as in Fabric's state database.
 */
public record Version(long blockNumber, int txIndex) {
  public Version {
    if (blockNumber < 0 || txIndex < 0) {
      throw new IllegalArgumentException("negative version " + blockNumber + ":" + txIndex);
    }
  }

  @Override
  public String toString() {
    return blockNumber + ":" + txIndex;
  }
}
